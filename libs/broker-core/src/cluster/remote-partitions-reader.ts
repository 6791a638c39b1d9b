import type { ReadQuery, ReadResult, ReadStart, RecordView } from '../broker/broker-api.js';
import { DEFAULT_READ_MAX_BYTES, DEFAULT_READ_MAX_RECORDS, payloadBytes, recordView } from '../broker/record-reader.js';
import { KafkaError } from '../errors.js';
import { iterateBatches, type DecodedRecord, type DecodedRecordBatch } from '../log/batch/record-batch-decoder.js';

/** Stored bytes asked per Fetch while decoding; the leader sends whole batches, at least one. */
const READ_CHUNK_BYTES = 256 * 1024;
/** Offsets per backward window at first; each further window is four times wider. */
const MIN_BACKWARD_WINDOW = 64n;

export interface LogBounds {
  readonly logStartOffset: bigint;
  readonly highWatermark: bigint;
}

/** What the reader asks of a partition's leader on another broker; each is one request. */
export interface RemoteLog {
  /** The log start offset and the HW, as the leader has them now. */
  bounds(): Promise<LogBounds>;
  /** The first offset whose timestamp is >= `timestampMs`, or undefined when no record below the leader's HW has one. */
  offsetForTimestamp(timestampMs: bigint): Promise<bigint | undefined>;
  /** Stored batches from the one holding `offset` on, about `maxBytes` of them (at least one), below the leader's HW. */
  read(offset: bigint, maxBytes: number): Promise<Buffer>;
}

interface Limits {
  readonly maxRecords: number;
  readonly maxBytes: number;
}

/**
 * BrokerApi.readRecords for a partition led by another broker: the semantics of the local
 * reader (broker/record-reader.ts) built from ListOffsets and Fetch. Bounds come first
 * (log start and HW, plus the timestamp's offset, asked together); the whole read then
 * keeps to that HW, so it returns what a local read at that moment would have: the same
 * starts (offset, timestamp, oldest, newest), directions, page bounds, skipped control
 * batches, nextOffset and backward windows. Batches are decoded with their CRCs checked:
 * they came over the network.
 *
 * Errors are thrown as KafkaErrors: INVALID_REQUEST for bad bounds or timestamps,
 * OFFSET_OUT_OF_RANGE for an offset outside [log start, HW], and whatever the leader
 * answered (or the transport's error, mapped by the caller's RemoteLog).
 */
export async function readRemoteRecords(log: RemoteLog, partition: number, query: ReadQuery): Promise<ReadResult> {
  const maxRecords = query.maxRecords ?? DEFAULT_READ_MAX_RECORDS;
  const maxBytes = query.maxBytes ?? DEFAULT_READ_MAX_BYTES;
  if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new KafkaError('INVALID_REQUEST', `maxRecords must be a positive integer, got ${maxRecords}`);
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new KafkaError('INVALID_REQUEST', `maxBytes must be a positive integer, got ${maxBytes}`);
  const { start } = query;
  if ('timestamp' in start && (!Number.isSafeInteger(start.timestamp) || start.timestamp < 0)) {
    throw new KafkaError('INVALID_REQUEST', `timestamp must be a non-negative integer of milliseconds, got ${start.timestamp}`);
  }
  const [bounds, byTimestamp] = await Promise.all([log.bounds(), 'timestamp' in start ? log.offsetForTimestamp(BigInt(start.timestamp)) : undefined]);
  const { highWatermark } = bounds;
  const timestampOffset = byTimestamp !== undefined && byTimestamp < highWatermark ? byTimestamp : highWatermark;
  const limits = { maxRecords, maxBytes };
  return query.direction === 'backward'
    ? readBackward(log, partition, bounds, backwardEnd(bounds, start, timestampOffset), limits)
    : readForward(log, partition, bounds, forwardStart(bounds, start, timestampOffset), limits);
}

function forwardStart({ logStartOffset, highWatermark }: LogBounds, start: ReadStart, timestampOffset: bigint): bigint {
  if ('offset' in start) {
    if (start.offset < logStartOffset || start.offset > highWatermark) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `offset ${start.offset} is outside [${logStartOffset}, ${highWatermark}]`);
    }
    return start.offset;
  }
  if ('timestamp' in start) return timestampOffset;
  return start.position === 'oldest' ? logStartOffset : highWatermark;
}

function backwardEnd({ logStartOffset, highWatermark }: LogBounds, start: ReadStart, timestampOffset: bigint): bigint {
  if ('offset' in start) {
    if (start.offset > highWatermark) throw new KafkaError('OFFSET_OUT_OF_RANGE', `offset ${start.offset} is past the high watermark ${highWatermark}`);
    return start.offset < highWatermark ? start.offset + 1n : highWatermark;
  }
  if ('timestamp' in start) return timestampOffset;
  return start.position === 'oldest' ? logStartOffset : highWatermark;
}

/**
 * Records (control batches skipped) with offset >= start, in batches that end below the
 * HW, fetched chunk by chunk. `cursor.next` is the offset after the last batch consumed.
 */
async function* recordsFrom(
  log: RemoteLog, bounds: LogBounds, start: bigint, cursor = { next: start },
): AsyncGenerator<[DecodedRecord, DecodedRecordBatch]> {
  const { logStartOffset, highWatermark } = bounds;
  let offset = start < logStartOffset ? logStartOffset : start;
  cursor.next = offset;
  while (offset < highWatermark) {
    const data = await log.read(offset, READ_CHUNK_BYTES);
    let next = offset;
    let reachedHw = false;
    for (const batch of iterateBatches(data, 0, { allowPartialTail: true })) {
      // The leader's HW may have moved on since the bounds were read: keep to ours, by whole batches as the log does.
      if (batch.lastOffset >= highWatermark) {
        reachedHw = true;
        break;
      }
      next = batch.lastOffset + 1n;
      if (batch.isControl) continue;
      for (const record of batch.records) if (record.offset >= offset) yield [record, batch];
    }
    if (next <= offset) return;
    offset = next;
    cursor.next = offset;
    if (reachedHw) return;
  }
}

async function readForward(log: RemoteLog, partition: number, bounds: LogBounds, start: bigint, limits: Limits): Promise<ReadResult> {
  const records: RecordView[] = [];
  let bytes = 0;
  const cursor = { next: start };
  for await (const [record, batch] of recordsFrom(log, bounds, start, cursor)) {
    const size = payloadBytes(record);
    if (records.length >= limits.maxRecords || (records.length > 0 && bytes + size > limits.maxBytes)) {
      return { records, nextOffset: record.offset, ...bounds };
    }
    records.push(recordView(partition, record, batch));
    bytes += size;
  }
  return { records, nextOffset: cursor.next, ...bounds };
}

async function readBackward(log: RemoteLog, partition: number, bounds: LogBounds, end: bigint, limits: Limits): Promise<ReadResult> {
  const logStart = bounds.logStartOffset;
  const records: RecordView[] = [];
  let bytes = 0;
  let windowEnd = end;
  let window = BigInt(limits.maxRecords) > MIN_BACKWARD_WINDOW ? BigInt(limits.maxRecords) : MIN_BACKWARD_WINDOW;
  while (windowEnd > logStart) {
    const windowStart = windowEnd - window > logStart ? windowEnd - window : logStart;
    const inWindow: [DecodedRecord, DecodedRecordBatch][] = [];
    for await (const entry of recordsFrom(log, bounds, windowStart)) {
      if (entry[0].offset >= windowEnd) break;
      inWindow.push(entry);
    }
    for (let i = inWindow.length - 1; i >= 0; i--) {
      const [record, batch] = inWindow[i]!;
      const size = payloadBytes(record);
      if (records.length >= limits.maxRecords || (records.length > 0 && bytes + size > limits.maxBytes)) {
        return { records, nextOffset: records.at(-1)!.offset - 1n, ...bounds };
      }
      records.push(recordView(partition, record, batch));
      bytes += size;
    }
    windowEnd = windowStart;
    window *= 4n;
  }
  const nextOffset = (records.length > 0 ? records.at(-1)!.offset : windowEnd) - 1n;
  return { records, nextOffset, ...bounds };
}
