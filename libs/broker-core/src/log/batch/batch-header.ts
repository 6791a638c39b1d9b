import { crc32c } from '@node-rs/crc32';
import { KafkaError } from '../../errors.js';

/**
 * The fixed 61-byte header of a RecordBatch v2, read and patched in place.
 *
 * Layout (big-endian):
 *   0 baseOffset i64 · 8 batchLength i32 · 12 partitionLeaderEpoch i32 · 16 magic i8 ·
 *   17 crc u32 · 21 attributes i16 · 23 lastOffsetDelta i32 · 27 baseTimestamp i64 ·
 *   35 maxTimestamp i64 · 43 producerId i64 · 51 producerEpoch i16 · 53 baseSequence i32 ·
 *   57 recordsCount i32 · 61 records...
 *
 * `batchLength` counts the bytes after the length field itself, so a batch occupies
 * `LOG_OVERHEAD + batchLength` bytes. The CRC-32C covers attributes..end, which is why
 * the broker may rewrite baseOffset and partitionLeaderEpoch without recomputing it.
 *
 * These helpers take (buffer, position) and allocate nothing: they are on the produce
 * and fetch hot paths.
 */
export const BASE_OFFSET_OFFSET = 0;
export const LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORDS_COUNT_OFFSET = 57;
export const RECORDS_OFFSET = 61;

/** baseOffset + batchLength: the bytes in front of what batchLength counts. */
export const LOG_OVERHEAD = 12;
export const BATCH_HEADER_SIZE = RECORDS_OFFSET;
export const CURRENT_MAGIC = 2;

export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
export const NO_TIMESTAMP = -1n;

export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_FLAG_MASK = 0x10;
export const CONTROL_FLAG_MASK = 0x20;
export const DELETE_HORIZON_FLAG_MASK = 0x40;

export enum CompressionType {
  NONE = 0,
  GZIP = 1,
  SNAPPY = 2,
  LZ4 = 3,
  ZSTD = 4,
}

export enum TimestampType {
  CREATE_TIME = 0,
  LOG_APPEND_TIME = 1,
}

export function batchSizeAt(buf: Buffer, pos: number): number {
  return LOG_OVERHEAD + buf.readInt32BE(pos + LENGTH_OFFSET);
}

export function baseOffsetAt(buf: Buffer, pos: number): bigint {
  return buf.readBigInt64BE(pos + BASE_OFFSET_OFFSET);
}

export function lastOffsetAt(buf: Buffer, pos: number): bigint {
  return baseOffsetAt(buf, pos) + BigInt(buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET));
}

/**
 * Number-typed reads of the int64 offset and timestamp fields, for the log's hot paths:
 * bigint arithmetic costs 10-70 ns per operation and allocates, two 32-bit reads cost a
 * few ns. A number holds every integer up to 2^53 - 1 exactly: as an offset that is 28
 * years of appends at 10^7 records/s on one partition, as a timestamp 285,000 years of
 * milliseconds. Values beyond are never used silently: `int64NumberAt` then returns a
 * number of magnitude >= 2^53 (no longer exact) that `isSafeInt64` rejects, and callers
 * check before they use one.
 */
export const MAX_SAFE_INT64 = Number.MAX_SAFE_INTEGER;
/**
 * The largest offset a record may have: one less than MAX_SAFE_INT64, so that a log end
 * offset (one past the last record) is exact too.
 */
export const MAX_RECORD_OFFSET = MAX_SAFE_INT64 - 1;
const TWO_POW_32 = 0x1_0000_0000;

/**
 * The big-endian int64 at `at`: exact when it lies within +-(2^53 - 1); otherwise a
 * number of magnitude >= 2^53 (rounding is monotonic, so an out-of-range value never
 * lands inside the exact range), which the caller must reject with `isSafeInt64`.
 */
export function int64NumberAt(buf: Buffer, at: number): number {
  // Byte reads under one bounds check: readInt32BE + readUInt32BE check each read, and
  // this runs several times per append. (A byte past the end would read as 0.)
  if (!(at >= 0 && at + 8 <= buf.length)) throw new RangeError(`an int64 at ${at} does not fit a buffer of ${buf.length} bytes`);
  const high = (buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!;
  const low = ((buf[at + 4]! << 24) | (buf[at + 5]! << 16) | (buf[at + 6]! << 8) | buf[at + 7]!) >>> 0;
  return high * TWO_POW_32 + low;
}

/** True when `value` is an int64 read or computed exactly (|value| <= 2^53 - 1). */
export function isSafeInt64(value: number): boolean {
  return value <= MAX_SAFE_INT64 && value >= -MAX_SAFE_INT64;
}

/** Writes a safe integer as a big-endian int64; throws RangeError for anything else. */
export function writeInt64NumberAt(buf: Buffer, value: number, at: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an integer within +-(2^53 - 1)`);
  const high = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(high, at);
  buf.writeUInt32BE(value - high * TWO_POW_32, at + 4);
}

/** baseOffset as a number (see int64NumberAt for values past 2^53 - 1). */
export function baseOffsetNumberAt(buf: Buffer, pos: number): number {
  return int64NumberAt(buf, pos + BASE_OFFSET_OFFSET);
}

/**
 * baseOffset + lastOffsetDelta as a number: exact when the base offset is a
 * non-negative safe integer and the sum is one (check both with isSafeInt64).
 */
export function lastOffsetNumberAt(buf: Buffer, pos: number): number {
  return int64NumberAt(buf, pos + BASE_OFFSET_OFFSET) + buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
}

/** maxTimestamp as a number (see int64NumberAt for values past 2^53 - 1). */
export function maxTimestampNumberAt(buf: Buffer, pos: number): number {
  return int64NumberAt(buf, pos + MAX_TIMESTAMP_OFFSET);
}

export function attributesAt(buf: Buffer, pos: number): number {
  return buf.readInt16BE(pos + ATTRIBUTES_OFFSET);
}

export function compressionAt(buf: Buffer, pos: number): CompressionType {
  return (attributesAt(buf, pos) & COMPRESSION_CODEC_MASK) as CompressionType;
}

export function isTransactionalAt(buf: Buffer, pos: number): boolean {
  return (attributesAt(buf, pos) & TRANSACTIONAL_FLAG_MASK) !== 0;
}

export function isControlAt(buf: Buffer, pos: number): boolean {
  return (attributesAt(buf, pos) & CONTROL_FLAG_MASK) !== 0;
}

export function maxTimestampAt(buf: Buffer, pos: number): bigint {
  return buf.readBigInt64BE(pos + MAX_TIMESTAMP_OFFSET);
}

export function recordsCountAt(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + RECORDS_COUNT_OFFSET);
}

/** CRC-32C of attributes..end of the batch at `pos` (size from its length field). */
export function computeCrcAt(buf: Buffer, pos: number, size = batchSizeAt(buf, pos)): number {
  return crc32c(buf.subarray(pos + ATTRIBUTES_OFFSET, pos + size)) >>> 0;
}

export function storedCrcAt(buf: Buffer, pos: number): number {
  return buf.readUInt32BE(pos + CRC_OFFSET);
}

/** Writes a fresh CRC after the covered fields changed (e.g. LogAppendTime stamping). */
export function writeCrcAt(buf: Buffer, pos: number, size = batchSizeAt(buf, pos)): void {
  buf.writeUInt32BE(computeCrcAt(buf, pos, size), pos + CRC_OFFSET);
}

/**
 * Checks the structure of one batch at `pos` within `[pos, end)` and returns its size.
 * Throws KafkaError CORRUPT_MESSAGE for a length past the buffer, a bad CRC or a short
 * header, and INVALID_RECORD for a wrong magic or an impossible record count.
 * `verifyCrc = false` skips the CRC, for bytes checked when they first arrived.
 */
export function validateBatchAt(buf: Buffer, pos: number, end = buf.length, verifyCrc = true): number {
  if (end - pos < BATCH_HEADER_SIZE) {
    throw new KafkaError('CORRUPT_MESSAGE', `batch header needs ${BATCH_HEADER_SIZE} bytes, ${end - pos} left`);
  }
  const batchLength = buf.readInt32BE(pos + LENGTH_OFFSET);
  const size = LOG_OVERHEAD + batchLength;
  if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD || pos + size > end) {
    throw new KafkaError('CORRUPT_MESSAGE', `batch length ${batchLength} does not fit the ${end - pos} bytes left`);
  }
  const magic = buf.readInt8(pos + MAGIC_OFFSET);
  if (magic !== CURRENT_MAGIC) {
    throw new KafkaError('INVALID_RECORD', `unsupported record batch magic ${magic}, expected ${CURRENT_MAGIC}`);
  }
  if (verifyCrc) {
    const stored = storedCrcAt(buf, pos);
    const computed = computeCrcAt(buf, pos, size);
    if (stored !== computed) {
      throw new KafkaError('CORRUPT_MESSAGE', `batch CRC ${stored} does not match computed ${computed}`);
    }
  }
  const count = recordsCountAt(buf, pos);
  const lastOffsetDelta = buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
  if (count < 0 || lastOffsetDelta < 0) {
    throw new KafkaError('INVALID_RECORD', `batch has record count ${count} and last offset delta ${lastOffsetDelta}`);
  }
  return size;
}

/** Every header field, as read by `readBatchHeaderAt` and written by `writeBatchHeaderAt`. */
export interface RecordBatchHeader {
  baseOffset: bigint;
  /** Bytes after the length field: the batch occupies LOG_OVERHEAD + batchLength bytes. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: CompressionType;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizon: boolean;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/** Reads the header at `pos` without checking it (see validateBatchAt for that). */
export function readBatchHeaderAt(buf: Buffer, pos: number): RecordBatchHeader {
  const attributes = attributesAt(buf, pos);
  return {
    baseOffset: baseOffsetAt(buf, pos),
    batchLength: buf.readInt32BE(pos + LENGTH_OFFSET),
    partitionLeaderEpoch: buf.readInt32BE(pos + PARTITION_LEADER_EPOCH_OFFSET),
    magic: buf.readInt8(pos + MAGIC_OFFSET),
    crc: storedCrcAt(buf, pos),
    attributes,
    compression: (attributes & COMPRESSION_CODEC_MASK) as CompressionType,
    timestampType: (attributes & TIMESTAMP_TYPE_MASK) !== 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
    isTransactional: (attributes & TRANSACTIONAL_FLAG_MASK) !== 0,
    isControl: (attributes & CONTROL_FLAG_MASK) !== 0,
    hasDeleteHorizon: (attributes & DELETE_HORIZON_FLAG_MASK) !== 0,
    lastOffsetDelta: buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET),
    baseTimestamp: buf.readBigInt64BE(pos + BASE_TIMESTAMP_OFFSET),
    maxTimestamp: maxTimestampAt(buf, pos),
    producerId: buf.readBigInt64BE(pos + PRODUCER_ID_OFFSET),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH_OFFSET),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE_OFFSET),
    recordsCount: recordsCountAt(buf, pos),
  };
}

/** The header fields a writer chooses; length, magic and CRC follow from the bytes. */
export type BatchHeaderFields = Pick<
  RecordBatchHeader,
  | 'baseOffset'
  | 'partitionLeaderEpoch'
  | 'attributes'
  | 'lastOffsetDelta'
  | 'baseTimestamp'
  | 'maxTimestamp'
  | 'producerId'
  | 'producerEpoch'
  | 'baseSequence'
  | 'recordsCount'
>;

/**
 * Writes a header at `pos` for a batch of `size` bytes whose records are already in
 * place after it, then its CRC (which covers those records).
 */
export function writeBatchHeaderAt(buf: Buffer, pos: number, size: number, fields: BatchHeaderFields): void {
  buf.writeBigInt64BE(fields.baseOffset, pos + BASE_OFFSET_OFFSET);
  buf.writeInt32BE(size - LOG_OVERHEAD, pos + LENGTH_OFFSET);
  buf.writeInt32BE(fields.partitionLeaderEpoch, pos + PARTITION_LEADER_EPOCH_OFFSET);
  buf.writeInt8(CURRENT_MAGIC, pos + MAGIC_OFFSET);
  buf.writeInt16BE(fields.attributes, pos + ATTRIBUTES_OFFSET);
  buf.writeInt32BE(fields.lastOffsetDelta, pos + LAST_OFFSET_DELTA_OFFSET);
  buf.writeBigInt64BE(fields.baseTimestamp, pos + BASE_TIMESTAMP_OFFSET);
  buf.writeBigInt64BE(fields.maxTimestamp, pos + MAX_TIMESTAMP_OFFSET);
  buf.writeBigInt64BE(fields.producerId, pos + PRODUCER_ID_OFFSET);
  buf.writeInt16BE(fields.producerEpoch, pos + PRODUCER_EPOCH_OFFSET);
  buf.writeInt32BE(fields.baseSequence, pos + BASE_SEQUENCE_OFFSET);
  buf.writeInt32BE(fields.recordsCount, pos + RECORDS_COUNT_OFFSET);
  writeCrcAt(buf, pos, size);
}
