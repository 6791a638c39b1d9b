import { KafkaError } from '../../errors.js';
import { compress } from '../compression/codecs.js';
import {
  BATCH_HEADER_SIZE,
  COMPRESSION_CODEC_MASK,
  CONTROL_FLAG_MASK,
  CompressionType,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
  TimestampType,
  writeBatchHeaderAt,
} from './batch-header.js';
import { type RecordFields, type RecordHeader, sizeOfRecordBody, sizeOfVarintPrefixed, writeRecord } from './record.js';

/**
 * Builds one RecordBatch v2 the way Kafka's MemoryRecordsBuilder lays it out:
 * baseTimestamp is the first record's timestamp (deltas may be negative), maxTimestamp
 * the largest, lastOffsetDelta the last record's offset delta; with LOG_APPEND_TIME every
 * record carries the append time, so deltas are 0 and both timestamps equal it.
 *
 * Uncompressed batches are written into one buffer sized exactly in a first pass.
 * Compressed ones write the records into one exact-size buffer, compress it, and copy
 * the result behind the header: the one copy compression cannot avoid.
 *
 * Out-of-range numeric input (an epoch beyond int16, a negative offset delta) is a
 * KafkaError INVALID_RECORD, since the REST gateway passes user-supplied values here.
 */

export interface RecordInput {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: readonly RecordHeader[];
  /** Milliseconds; defaults to the batch's `defaultTimestamp`. */
  timestamp?: bigint | number;
  /** Defaults to the record's index. Must increase (compacted batches may skip). */
  offsetDelta?: number;
}

export interface RecordBatchInput {
  records: readonly RecordInput[];
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  compression?: CompressionType;
  timestampType?: TimestampType;
  /** The broker's time for LOG_APPEND_TIME batches; required by them. */
  logAppendTime?: bigint | number;
  /** For records without their own timestamp; NO_TIMESTAMP (-1) when absent. */
  defaultTimestamp?: bigint | number;
  isTransactional?: boolean;
  isControl?: boolean;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  /** Only for empty batches (kept by compaction), whose delta no record states. */
  lastOffsetDelta?: number;
}

const INT16_MIN = -0x8000;
const INT16_MAX = 0x7fff;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function checkInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new KafkaError('INVALID_RECORD', `${name} ${value} is outside [${min}, ${max}]`);
  }
  return value;
}

function checkLong(name: string, value: bigint | number): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new KafkaError('INVALID_RECORD', `${name} ${value} is not an integer`);
  }
  const v = BigInt(value);
  if (v < INT64_MIN || v > INT64_MAX) throw new KafkaError('INVALID_RECORD', `${name} ${v} is outside int64`);
  return v;
}

function subtract(a: bigint | number, b: bigint | number): bigint | number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return checkLong('timestamp delta', BigInt(a) - BigInt(b));
}

export function encodeRecordBatch(input: RecordBatchInput): Buffer {
  const compression = input.compression ?? CompressionType.NONE;
  const timestampType = input.timestampType ?? TimestampType.CREATE_TIME;
  const records = input.records;
  const count = records.length;

  let attributes = compression & COMPRESSION_CODEC_MASK;
  if (attributes !== compression) {
    throw new KafkaError('UNSUPPORTED_COMPRESSION_TYPE', `unknown compression codec id ${compression}`);
  }
  if (timestampType === TimestampType.LOG_APPEND_TIME) attributes |= TIMESTAMP_TYPE_MASK;
  if (input.isTransactional) attributes |= TRANSACTIONAL_FLAG_MASK;
  if (input.isControl) attributes |= CONTROL_FLAG_MASK;

  const appendTime =
    timestampType === TimestampType.LOG_APPEND_TIME ? (input.logAppendTime ?? input.defaultTimestamp) : undefined;
  if (timestampType === TimestampType.LOG_APPEND_TIME && appendTime === undefined) {
    throw new KafkaError('INVALID_TIMESTAMP', 'a LOG_APPEND_TIME batch needs logAppendTime');
  }
  const defaultTimestamp = input.defaultTimestamp ?? NO_TIMESTAMP;

  // Pass 1: resolve timestamps and deltas, size every record.
  const fields: RecordFields[] = new Array<RecordFields>(count);
  const bodySizes = new Array<number>(count);
  const headerKeyBytes: number[] = [];
  let baseTimestamp: bigint | number = NO_TIMESTAMP;
  let maxTimestamp: bigint | number = NO_TIMESTAMP;
  let previousOffsetDelta = -1;
  let recordsSize = 0;
  for (let i = 0; i < count; i++) {
    const record = records[i]!;
    const timestamp = appendTime ?? record.timestamp ?? defaultTimestamp;
    if (typeof timestamp === 'number' && !Number.isSafeInteger(timestamp)) {
      throw new KafkaError('INVALID_TIMESTAMP', `record timestamp ${timestamp} is not an integer`);
    }
    if (i === 0) {
      baseTimestamp = timestamp;
      maxTimestamp = timestamp;
    } else if (timestamp > maxTimestamp) {
      maxTimestamp = timestamp;
    }
    const offsetDelta = checkInt('offset delta', record.offsetDelta ?? i, previousOffsetDelta + 1, INT32_MAX);
    previousOffsetDelta = offsetDelta;
    const recordFields: RecordFields = {
      attributes: 0,
      timestampDelta: subtract(timestamp, baseTimestamp),
      offsetDelta,
      key: record.key ?? null,
      value: record.value,
      headers: record.headers ?? [],
    };
    fields[i] = recordFields;
    const bodySize = sizeOfRecordBody(recordFields, headerKeyBytes);
    bodySizes[i] = bodySize;
    recordsSize += sizeOfVarintPrefixed(bodySize);
  }
  if (count === 0 && appendTime !== undefined) maxTimestamp = appendTime;

  const header = {
    baseOffset: checkLong('base offset', input.baseOffset ?? 0n),
    partitionLeaderEpoch: checkInt(
      'partition leader epoch',
      input.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH,
      INT32_MIN,
      INT32_MAX,
    ),
    attributes,
    lastOffsetDelta: count > 0 ? previousOffsetDelta : checkInt('last offset delta', input.lastOffsetDelta ?? 0, 0, INT32_MAX),
    baseTimestamp: checkLong('base timestamp', baseTimestamp),
    maxTimestamp: checkLong('max timestamp', maxTimestamp),
    producerId: checkLong('producer id', input.producerId ?? NO_PRODUCER_ID),
    producerEpoch: checkInt('producer epoch', input.producerEpoch ?? NO_PRODUCER_EPOCH, INT16_MIN, INT16_MAX),
    baseSequence: checkInt('base sequence', input.baseSequence ?? NO_SEQUENCE, INT32_MIN, INT32_MAX),
    recordsCount: count,
  };

  // Pass 2: write the records, straight behind the header when uncompressed.
  const uncompressed = compression === CompressionType.NONE;
  const recordsBuf = Buffer.allocUnsafe(uncompressed ? BATCH_HEADER_SIZE + recordsSize : recordsSize);
  let pos = uncompressed ? BATCH_HEADER_SIZE : 0;
  let keyIndex = 0;
  for (let i = 0; i < count; i++) {
    const recordFields = fields[i]!;
    pos = writeRecord(recordsBuf, pos, recordFields, bodySizes[i]!, headerKeyBytes, keyIndex);
    keyIndex += recordFields.headers.length;
  }
  if (pos !== recordsBuf.length) throw new Error(`record sizing is off: wrote ${pos} of ${recordsBuf.length} bytes`);

  if (uncompressed) {
    writeBatchHeaderAt(recordsBuf, 0, recordsBuf.length, header);
    return recordsBuf;
  }
  const compressed = compress(compression, recordsBuf);
  const batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + compressed.length);
  compressed.copy(batch, BATCH_HEADER_SIZE);
  writeBatchHeaderAt(batch, 0, batch.length, header);
  return batch;
}
