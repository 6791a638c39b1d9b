import { KafkaError } from '../../errors.js';
import { decompress } from '../compression/codecs.js';
import {
  BATCH_HEADER_SIZE,
  CompressionType,
  LENGTH_OFFSET,
  LOG_OVERHEAD,
  type RecordBatchHeader,
  TimestampType,
  readBatchHeaderAt,
  validateBatchAt,
} from './batch-header.js';
import { MIN_RECORD_SIZE, type RecordHeader, readRecord } from './record.js';
import { ByteReader } from './varint.js';

/**
 * Decodes RecordBatch v2 bytes (one batch, or several laid end to end as in a segment
 * file or a fetch response) into header fields and records.
 *
 * Checks, in order: header fits, length fits the buffer, magic is 2, CRC-32C matches
 * (validateBatchAt), then that the records area holds exactly `recordsCount` records.
 * Malformed bytes only ever raise KafkaError:
 * - CORRUPT_MESSAGE: length past the buffer, bad CRC, a record or varint running past
 *   the records area, undecompressable data;
 * - INVALID_RECORD: wrong magic, negative counts or lengths, a record whose declared
 *   length disagrees with its fields, bytes left over after the last record;
 * - UNSUPPORTED_COMPRESSION_TYPE: codec id 5-7.
 *
 * Keys, values and header values are views into `buf` (or into the decompressed
 * records), not copies.
 */

export interface DecodedRecord {
  offset: bigint;
  /** For LOG_APPEND_TIME batches this is the batch's maxTimestamp, as Kafka reports it. */
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  attributes: number;
  offsetDelta: number;
  timestampDelta: bigint;
}

export interface DecodedRecordBatch extends RecordBatchHeader {
  /** Bytes the batch occupies: LOG_OVERHEAD + batchLength. */
  sizeInBytes: number;
  lastOffset: bigint;
  records: DecodedRecord[];
}

export interface DecodeOptions {
  /** Skip the CRC check for bytes already validated (e.g. read back from our own log). */
  verifyCrc?: boolean;
  /** Most bytes a compressed records area may decompress to (default: see compression/bound.ts). */
  maxDecompressedBytes?: number;
}

/** Decodes the batch at `pos`; bytes after it are ignored. */
export function decodeRecordBatch(buf: Buffer, pos = 0, options: DecodeOptions = {}): DecodedRecordBatch {
  const size = validateBatchAt(buf, pos, buf.length, options.verifyCrc !== false);
  const header = readBatchHeaderAt(buf, pos);
  const records = decodeRecords(header, buf.subarray(pos + BATCH_HEADER_SIZE, pos + size), options.maxDecompressedBytes);
  return {
    ...header,
    sizeInBytes: size,
    lastOffset: header.baseOffset + BigInt(header.lastOffsetDelta),
    records,
  };
}

function decodeRecords(header: RecordBatchHeader, area: Buffer, maxDecompressedBytes: number | undefined): DecodedRecord[] {
  const count = header.recordsCount;
  if (count < 0) throw new KafkaError('INVALID_RECORD', `batch has negative record count ${count}`);
  const data = header.compression === CompressionType.NONE ? area : decompress(header.compression, area, { maxOutputBytes: maxDecompressedBytes });
  // Reject counts the bytes cannot hold before building anything for them.
  if (count > data.length / MIN_RECORD_SIZE) {
    throw new KafkaError('CORRUPT_MESSAGE', `batch declares ${count} records in ${data.length} bytes`);
  }
  const logAppendTime = header.timestampType === TimestampType.LOG_APPEND_TIME ? header.maxTimestamp : null;
  const reader = new ByteReader(data, 0, data.length);
  const records: DecodedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const body = readRecord(reader);
    records.push({
      offset: header.baseOffset + BigInt(body.offsetDelta),
      timestamp: logAppendTime ?? header.baseTimestamp + body.timestampDelta,
      key: body.key,
      value: body.value,
      headers: body.headers,
      attributes: body.attributes,
      offsetDelta: body.offsetDelta,
      timestampDelta: body.timestampDelta,
    });
  }
  if (reader.remaining !== 0) {
    throw new KafkaError('INVALID_RECORD', `${reader.remaining} bytes left after the ${count} declared records`);
  }
  return records;
}

export interface IterateOptions extends DecodeOptions {
  /**
   * Stop quietly at a trailing batch cut short by the end of the buffer, as a fetch
   * response may end (Kafka's consumer does the same). Default: throw CORRUPT_MESSAGE.
   */
  allowPartialTail?: boolean;
}

/** Walks concatenated batches from `pos`, decoding each. */
export function* iterateBatches(buf: Buffer, pos = 0, options: IterateOptions = {}): Generator<DecodedRecordBatch> {
  while (pos < buf.length) {
    if (options.allowPartialTail && isPartialTail(buf, pos)) return;
    const batch = decodeRecordBatch(buf, pos, options);
    pos += batch.sizeInBytes;
    yield batch;
  }
}

export interface BatchPosition extends RecordBatchHeader {
  position: number;
  sizeInBytes: number;
}

/**
 * Walks concatenated batches from `pos`, checking each (validateBatchAt) but leaving its
 * records undecoded: for scans that need offsets, timestamps and sizes only.
 */
export function* iterateBatchHeaders(buf: Buffer, pos = 0, options: IterateOptions = {}): Generator<BatchPosition> {
  while (pos < buf.length) {
    if (options.allowPartialTail && isPartialTail(buf, pos)) return;
    const size = validateBatchAt(buf, pos, buf.length, options.verifyCrc !== false);
    yield { ...readBatchHeaderAt(buf, pos), position: pos, sizeInBytes: size };
    pos += size;
  }
}

function isPartialTail(buf: Buffer, pos: number): boolean {
  if (buf.length - pos < LOG_OVERHEAD) return true;
  const batchLength = buf.readInt32BE(pos + LENGTH_OFFSET);
  return batchLength >= BATCH_HEADER_SIZE - LOG_OVERHEAD && pos + LOG_OVERHEAD + batchLength > buf.length;
}
