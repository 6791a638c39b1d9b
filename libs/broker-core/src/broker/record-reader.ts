import { KafkaError } from '../errors.js';
import { TimestampType } from '../log/batch/batch-header.js';
import { iterateBatches, type DecodedRecord, type DecodedRecordBatch } from '../log/batch/record-batch-decoder.js';
import type { PartitionLog } from '../log/partition/partition-log.js';
import type { ReadQuery, ReadResult, RecordView } from './broker-api.js';

/** Defaults for a read that names no bounds: a page the console can show at once. */
export const DEFAULT_READ_MAX_RECORDS = 500;
export const DEFAULT_READ_MAX_BYTES = 1024 * 1024;
/** Stored bytes fetched per log read while decoding; whole batches, so a larger batch still comes whole. */
const READ_CHUNK_BYTES = 256 * 1024;
/** Offsets per backward window at first; each further window is four times wider. */
const MIN_BACKWARD_WINDOW = 64n;

export interface ReadOutcome {
  readonly result: ReadResult;
  /** Key, value and header bytes returned (what maxBytes bounds), for the out counters. */
  readonly bytes: number;
}

/**
 * Decoded records of one partition for REST consumers and the message browser, bounded
 * by the high watermark (the read_committed bound too, until transactions exist).
 * Control batches (transaction markers) are skipped: they are not records to a user.
 *
 * Forward reads start at an offset (which must lie in [logStartOffset, HW]), at the first
 * record with timestamp >= T, or at the oldest/newest end, and go up. Backward reads
 * (newest first) return records below an exclusive end: offset o means "o and older",
 * timestamp T means "older than the first record at or after T", newest means from the
 * HW; an end below the log start yields nothing. Since segments are only readable
 * forwards, backward reads decode windows of offsets before the end, newest window
 * first, widening the window each time, so a page near the head costs one small read.
 *
 * maxRecords and maxBytes (key + value + header bytes) bound the page; the first record
 * is always returned whole even if alone it exceeds maxBytes.
 */
export function readPartitionRecords(log: PartitionLog, partition: number, highWatermark: bigint, query: ReadQuery): ReadOutcome {
  const maxRecords = query.maxRecords ?? DEFAULT_READ_MAX_RECORDS;
  const maxBytes = query.maxBytes ?? DEFAULT_READ_MAX_BYTES;
  if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new KafkaError('INVALID_REQUEST', `maxRecords must be a positive integer, got ${maxRecords}`);
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new KafkaError('INVALID_REQUEST', `maxBytes must be a positive integer, got ${maxBytes}`);
  const limits = { maxRecords, maxBytes };
  return query.direction === 'backward'
    ? readBackward(log, partition, highWatermark, backwardEnd(log, highWatermark, query), limits)
    : readForward(log, partition, highWatermark, forwardStart(log, highWatermark, query), limits);
}

interface Limits {
  readonly maxRecords: number;
  readonly maxBytes: number;
}

function timestampOffset(log: PartitionLog, highWatermark: bigint, timestamp: number): bigint {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new KafkaError('INVALID_REQUEST', `timestamp must be a non-negative integer of milliseconds, got ${timestamp}`);
  const found = log.offsetForTimestamp(BigInt(timestamp));
  return found !== undefined && found.offset < highWatermark ? found.offset : highWatermark;
}

function forwardStart(log: PartitionLog, highWatermark: bigint, query: ReadQuery): bigint {
  const start = query.start;
  if ('offset' in start) {
    if (start.offset < log.logStartOffset || start.offset > highWatermark) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `offset ${start.offset} is outside [${log.logStartOffset}, ${highWatermark}]`);
    }
    return start.offset;
  }
  if ('timestamp' in start) return timestampOffset(log, highWatermark, start.timestamp);
  return start.position === 'oldest' ? log.logStartOffset : highWatermark;
}

function backwardEnd(log: PartitionLog, highWatermark: bigint, query: ReadQuery): bigint {
  const start = query.start;
  if ('offset' in start) {
    if (start.offset > highWatermark) throw new KafkaError('OFFSET_OUT_OF_RANGE', `offset ${start.offset} is past the high watermark ${highWatermark}`);
    return start.offset < highWatermark ? start.offset + 1n : highWatermark;
  }
  if ('timestamp' in start) return timestampOffset(log, highWatermark, start.timestamp);
  return start.position === 'oldest' ? log.logStartOffset : highWatermark;
}

/**
 * Records (control batches skipped) with offset >= start, below the HW, read chunk by
 * chunk. `cursor.next` tracks the offset after the last batch consumed, which is where a
 * reader that drained the generator continues.
 */
function* recordsFrom(log: PartitionLog, start: bigint, highWatermark: bigint, cursor = { next: start }): Generator<[DecodedRecord, DecodedRecordBatch]> {
  let offset = start < log.logStartOffset ? log.logStartOffset : start;
  cursor.next = offset;
  while (offset < highWatermark) {
    const data = log.read(offset, READ_CHUNK_BYTES, { maxOffset: highWatermark, minOneMessage: true });
    if (data.records.length === 0) return;
    let next = offset;
    // Our own log: CRCs were checked on append and on recovery.
    for (const batch of iterateBatches(data.records, 0, { verifyCrc: false, allowPartialTail: true })) {
      next = batch.lastOffset + 1n;
      if (batch.isControl) continue;
      for (const record of batch.records) if (record.offset >= offset) yield [record, batch];
    }
    if (next <= offset) return;
    offset = next;
    cursor.next = offset;
  }
}

/** A decoded record as the REST door and the console show it. */
export function recordView(partition: number, record: DecodedRecord, batch: DecodedRecordBatch): RecordView {
  return {
    partition,
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType: batch.timestampType === TimestampType.LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime',
    key: record.key,
    value: record.value,
    headers: record.headers.map((h) => ({ key: h.key, value: h.value })),
  };
}

/** Key, value and header bytes: what read limits (maxBytes) count. */
export function payloadBytes(record: DecodedRecord): number {
  let bytes = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) bytes += Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  return bytes;
}

function readForward(log: PartitionLog, partition: number, highWatermark: bigint, start: bigint, limits: Limits): ReadOutcome {
  const records: RecordView[] = [];
  let bytes = 0;
  const cursor = { next: start };
  for (const [record, batch] of recordsFrom(log, start, highWatermark, cursor)) {
    const size = payloadBytes(record);
    if (records.length >= limits.maxRecords || (records.length > 0 && bytes + size > limits.maxBytes)) {
      return { result: { records, nextOffset: record.offset, logStartOffset: log.logStartOffset, highWatermark }, bytes };
    }
    records.push(recordView(partition, record, batch));
    bytes += size;
  }
  // Every batch up to the cursor was consumed, trailing control batches included.
  return { result: { records, nextOffset: cursor.next, logStartOffset: log.logStartOffset, highWatermark }, bytes };
}

function readBackward(log: PartitionLog, partition: number, highWatermark: bigint, end: bigint, limits: Limits): ReadOutcome {
  const logStart = log.logStartOffset;
  const records: RecordView[] = [];
  let bytes = 0;
  let windowEnd = end;
  let window = BigInt(limits.maxRecords) > MIN_BACKWARD_WINDOW ? BigInt(limits.maxRecords) : MIN_BACKWARD_WINDOW;
  while (windowEnd > logStart) {
    const windowStart = windowEnd - window > logStart ? windowEnd - window : logStart;
    const inWindow: [DecodedRecord, DecodedRecordBatch][] = [];
    for (const entry of recordsFrom(log, windowStart, highWatermark)) {
      if (entry[0].offset >= windowEnd) break;
      inWindow.push(entry);
    }
    for (let i = inWindow.length - 1; i >= 0; i--) {
      const [record, batch] = inWindow[i]!;
      const size = payloadBytes(record);
      if (records.length >= limits.maxRecords || (records.length > 0 && bytes + size > limits.maxBytes)) {
        return { result: { records, nextOffset: records.at(-1)!.offset - 1n, logStartOffset: logStart, highWatermark }, bytes };
      }
      records.push(recordView(partition, record, batch));
      bytes += size;
    }
    windowEnd = windowStart;
    window *= 4n;
  }
  const nextOffset = (records.length > 0 ? records.at(-1)!.offset : windowEnd) - 1n;
  return { result: { records, nextOffset, logStartOffset: logStart, highWatermark }, bytes };
}
