import { KafkaError } from '../../errors.js';
import { decompress } from '../compression/codecs.js';
import { BATCH_HEADER_SIZE, COMPRESSION_CODEC_MASK, CompressionType, attributesAt } from './batch-header.js';
import { ByteReader } from './varint.js';

/**
 * Walks the records area of a RecordBatch v2 (uncompressed or already decompressed)
 * without decoding records into objects: after each `next()`, the fields below locate
 * the current record in `buf` (see record.ts for the layout). For scans that look at
 * keys and copy records whole, such as the compacted-topic key check on append and the
 * log cleaner, where decodeRecordBatch would allocate an object and three views per
 * record.
 *
 * One instance is reused: `reset` starts a new area. Malformed bytes raise KafkaError
 * CORRUPT_MESSAGE (a field running past the area) or INVALID_RECORD (a negative length,
 * a record whose declared length disagrees with its fields), as the decoder does.
 */
export class RecordScanner {
  private reader = new ByteReader(Buffer.alloc(0), 0, 0);
  /** The current record, length prefix included: [recordStart, recordEnd). */
  recordStart = 0;
  recordEnd = 0;
  offsetDelta = 0;
  /** As a number: exact within +-(2^53 - 1), like every timestamp the log holds. */
  timestampDelta = 0;
  keyStart = 0;
  /** -1 for a null key. */
  keyLength = -1;
  /** -1 for a null value (a tombstone). */
  valueLength = -1;

  reset(buf: Buffer, start: number, end: number): this {
    this.reader = new ByteReader(buf, start, end);
    return this;
  }

  /** Steps to the next record; false when the area is exhausted. */
  next(): boolean {
    const r = this.reader;
    if (r.pos >= r.end) return false;
    this.recordStart = r.pos;
    const bodySize = r.readVarint();
    if (bodySize < 0) throw new KafkaError('INVALID_RECORD', `record has negative length ${bodySize}`);
    if (bodySize > r.end - r.pos) throw new KafkaError('CORRUPT_MESSAGE', `record of ${bodySize} bytes runs past the ${r.end - r.pos} left`);
    const areaEnd = r.end;
    const bodyEnd = r.pos + bodySize;
    // Bound the field reads by the record's own length, as the decoder does.
    r.end = bodyEnd;
    r.skip(1, 'record attributes');
    this.timestampDelta = r.readVarlongNumber();
    this.offsetDelta = r.readVarint();
    this.keyLength = readLength(r, 'record key');
    this.keyStart = r.pos;
    if (this.keyLength > 0) r.skip(this.keyLength, 'record key');
    this.valueLength = readLength(r, 'record value');
    if (this.valueLength > 0) r.skip(this.valueLength, 'record value');
    const headerCount = r.readVarint();
    if (headerCount < 0) throw new KafkaError('INVALID_RECORD', `record has negative header count ${headerCount}`);
    for (let i = 0; i < headerCount; i++) {
      const keyLength = r.readVarint();
      if (keyLength < 0) throw new KafkaError('INVALID_RECORD', `header key has negative length ${keyLength}`);
      r.skip(keyLength, 'header key');
      const valueLength = readLength(r, 'header value');
      if (valueLength > 0) r.skip(valueLength, 'header value');
    }
    if (r.pos !== bodyEnd) throw new KafkaError('INVALID_RECORD', `record declares ${bodySize} bytes but its fields take ${r.pos - this.recordStart}`);
    r.end = areaEnd;
    this.recordEnd = bodyEnd;
    return true;
  }
}

/** A nullable length: -1 for null, never below. */
function readLength(r: ByteReader, what: string): number {
  const length = r.readVarint();
  if (length < -1) throw new KafkaError('INVALID_RECORD', `${what} has negative length ${length}`);
  return length;
}

/** The records area of the batch at `pos`: a view of its bytes, or their decompressed copy. */
export function recordsArea(buf: Buffer, pos: number, size: number): Buffer {
  const codec = (attributesAt(buf, pos) & COMPRESSION_CODEC_MASK) as CompressionType;
  const area = buf.subarray(pos + BATCH_HEADER_SIZE, pos + size);
  return codec === CompressionType.NONE ? area : decompress(codec, area);
}
