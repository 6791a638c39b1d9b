import { KafkaError } from '../../errors.js';
import { ByteReader, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

/**
 * One record inside a RecordBatch v2 (Kafka's DefaultRecord):
 *
 *   length varint · attributes i8 · timestampDelta varlong · offsetDelta varint ·
 *   keyLength varint · key · valueLength varint · value · headerCount varint ·
 *   [headerKeyLength varint · headerKey (UTF-8) · headerValueLength varint · headerValue]
 *
 * `length` counts the bytes after itself. A length of -1 means null for key, value and
 * header value; a header key is never null. Record attributes are unused by Kafka
 * (always 0) but preserved.
 *
 * Decoded keys, values and header values are views into the buffer they were read from
 * (the batch, or its decompressed records); copy them to keep them past that buffer.
 */

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** The fields of one record as the encoder lays them out. */
export interface RecordFields {
  attributes: number;
  timestampDelta: bigint | number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: readonly RecordHeader[];
}

export interface DecodedRecordBody {
  attributes: number;
  timestampDelta: bigint;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** The smallest record: 1-byte length, attributes, and one byte each for the 5 varints. */
export const MIN_RECORD_SIZE = 7;

/** Bytes of a varint length prefix plus the `length` bytes it announces. */
export function sizeOfVarintPrefixed(length: number): number {
  return sizeOfVarint(length) + length;
}

function sizeOfNullableBytes(bytes: Buffer | null): number {
  return bytes === null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
}

/** Bytes after the length prefix. `headerKeyBytes` receives the UTF-8 length of each header key. */
export function sizeOfRecordBody(record: RecordFields, headerKeyBytes: number[]): number {
  let size =
    1 +
    sizeOfVarlong(record.timestampDelta) +
    sizeOfVarint(record.offsetDelta) +
    sizeOfNullableBytes(record.key) +
    sizeOfNullableBytes(record.value) +
    sizeOfVarint(record.headers.length);
  for (const header of record.headers) {
    const keyBytes = Buffer.byteLength(header.key, 'utf8');
    headerKeyBytes.push(keyBytes);
    size += sizeOfVarint(keyBytes) + keyBytes + sizeOfNullableBytes(header.value);
  }
  return size;
}

function writeNullableBytes(buf: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, bytes.length);
  return pos + bytes.copy(buf, pos);
}

/**
 * Writes one record (length prefix included) at `pos` and returns the position after it.
 * `bodySize` and `headerKeyBytes[keyIndex..]` come from `sizeOfRecordBody`.
 */
export function writeRecord(
  buf: Buffer,
  pos: number,
  record: RecordFields,
  bodySize: number,
  headerKeyBytes: readonly number[],
  keyIndex: number,
): number {
  pos = writeVarint(buf, pos, bodySize);
  buf[pos++] = record.attributes & 0xff;
  pos = writeVarlong(buf, pos, record.timestampDelta);
  pos = writeVarint(buf, pos, record.offsetDelta);
  pos = writeNullableBytes(buf, pos, record.key);
  pos = writeNullableBytes(buf, pos, record.value);
  pos = writeVarint(buf, pos, record.headers.length);
  for (const header of record.headers) {
    const keyBytes = headerKeyBytes[keyIndex++]!;
    pos = writeVarint(buf, pos, keyBytes);
    pos += buf.write(header.key, pos, keyBytes, 'utf8');
    pos = writeNullableBytes(buf, pos, header.value);
  }
  return pos;
}

function readNullableBytes(reader: ByteReader, what: string): Buffer | null {
  const length = reader.readVarint();
  if (length === -1) return null;
  if (length < 0) throw new KafkaError('INVALID_RECORD', `${what} has negative length ${length}`);
  return reader.readSlice(length, what);
}

/**
 * Reads one record from `reader`, which is left after it. Throws CORRUPT_MESSAGE when the
 * record runs past the reader's end and INVALID_RECORD when its declared length does not
 * match what its fields take, or a length or count is negative.
 */
export function readRecord(reader: ByteReader): DecodedRecordBody {
  const bodySize = reader.readVarint();
  if (bodySize < 0) throw new KafkaError('INVALID_RECORD', `record has negative length ${bodySize}`);
  if (bodySize > reader.remaining) {
    throw new KafkaError('CORRUPT_MESSAGE', `record of ${bodySize} bytes runs past the ${reader.remaining} left`);
  }
  const bodyEnd = reader.pos + bodySize;
  // Bound the field reads by the record's own length so a bad length cannot borrow
  // bytes from the next record.
  const body = new ByteReader(reader.buf, reader.pos, bodyEnd);
  const attributes = body.readInt8();
  const timestampDelta = body.readVarlong();
  const offsetDelta = body.readVarint();
  const key = readNullableBytes(body, 'record key');
  const value = readNullableBytes(body, 'record value');
  const headerCount = body.readVarint();
  if (headerCount < 0) throw new KafkaError('INVALID_RECORD', `record has negative header count ${headerCount}`);
  // Each header takes at least 2 bytes; refuse counts the record cannot hold before looping.
  if (headerCount * 2 > body.remaining) {
    throw new KafkaError('CORRUPT_MESSAGE', `record declares ${headerCount} headers in ${body.remaining} bytes`);
  }
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const keyLength = body.readVarint();
    if (keyLength < 0) throw new KafkaError('INVALID_RECORD', `header key has negative length ${keyLength}`);
    const headerKey = body.readSlice(keyLength, 'header key').toString('utf8');
    headers.push({ key: headerKey, value: readNullableBytes(body, 'header value') });
  }
  if (body.pos !== bodyEnd) {
    throw new KafkaError('INVALID_RECORD', `record declares ${bodySize} bytes but its fields take ${body.pos - reader.pos}`);
  }
  reader.pos = bodyEnd;
  return { attributes, timestampDelta, offsetDelta, key, value, headers };
}
