import { KafkaError } from '../../errors.js';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  LENGTH_OFFSET,
  LOG_OVERHEAD,
  MAX_RECORD_OFFSET,
  MAX_SAFE_INT64,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  CONTROL_FLAG_MASK,
  TIMESTAMP_TYPE_MASK,
  baseOffsetNumberAt,
  isControlAt,
  isSafeInt64,
  lastOffsetNumberAt,
  maxTimestampNumberAt,
  recordsCountAt,
  validateBatchAt,
  writeCrcAt,
  writeInt64NumberAt,
} from '../batch/batch-header.js';
import { RecordScanner, recordsArea } from '../batch/record-scan.js';
import type { LogConfig } from '../config/log-config.js';

/**
 * The `nowMs` of an append under a config that does not use it: NaN, so that a use
 * that slipped past clockNeededBy compares false rather than as a plausible time.
 */
export const CLOCK_NOT_READ = Number.NaN;

/**
 * Whether appends need the broker clock: for LogAppendTime, for
 * message.timestamp.difference.max.ms, and for flush.ms. Under the defaults they do not,
 * and skipping the read saves ~40 ns (Date.now()) per append; segment.ms is measured
 * from batch timestamps.
 */
export function clockNeededBy(config: LogConfig): boolean {
  return config.messageTimestampType === 'LogAppendTime' || config.messageTimestampDifferenceMaxMs < MAX_SAFE_INT64 || config.flushMs < MAX_SAFE_INT64;
}

/**
 * What one pass over a produce request's records found; nothing in the buffer changed
 * yet. Offsets and timestamps are numbers (exact up to 2^53 - 1, checked here). The
 * owning log reuses one instance for every append: it is read before the next one.
 */
export class AppendAnalysis {
  batchCount = 0;
  recordCount = 0;
  /** Sum of (lastOffsetDelta + 1): how many offsets the append consumes. */
  offsetCount = 0;
  /** Largest batch max timestamp (the append time for LogAppendTime), -1 if none. */
  maxTimestamp = -1;
  /** First and last offsets as stored in the batches (meaningful for follower appends). */
  firstOffset = -1;
  lastOffset = -1;
  /** Batches with a producer id (idempotent, transactional, markers): only they touch producer state. */
  producerBatchCount = 0;
  /** Control batches (transaction markers). */
  controlBatchCount = 0;
}

/**
 * Validates every batch of a produce request before anything is written, so that a bad
 * batch anywhere leaves the log untouched: structure and CRC (CORRUPT_MESSAGE /
 * INVALID_RECORD from validateBatchAt), size against max.message.bytes
 * (MESSAGE_TOO_LARGE), max timestamps within +-(2^53 - 1) ms (INVALID_TIMESTAMP: the
 * log holds timestamps as numbers), and for client appends a record count matching the
 * offset span and, with CreateTime, timestamps within message.timestamp.difference.max.ms
 * of the broker clock (checked on the batch's max timestamp: no record is decoded).
 * Follower appends instead require offsets in [0, 2^53 - 2] (see MAX_RECORD_OFFSET),
 * increasing across batches. In a compacted topic (cleanup.policy includes compact) a
 * client's record without a key is INVALID_RECORD, as in Kafka: only there are records
 * read (compressed batches decompressed), since compaction needs every key. `nowMs` (the broker clock) is used only with LogAppendTime
 * or a timestamp difference bound; the caller may skip reading it otherwise.
 * Fills and returns `result`.
 */
export function analyzeRecords(records: Buffer, config: LogConfig, nowMs: number, asLeader: boolean, result: AppendAnalysis): AppendAnalysis {
  const end = records.length;
  const logAppendTime = config.messageTimestampType === 'LogAppendTime';
  const maxMessageBytes = config.maxMessageBytes;
  const differenceMaxMs = config.messageTimestampDifferenceMaxMs;
  const checkDifference = asLeader && !logAppendTime && differenceMaxMs < MAX_SAFE_INT64;
  const checkKeys = asLeader && config.cleanupPolicy.includes('compact');
  let batchCount = 0;
  let recordCount = 0;
  let offsetCount = 0;
  let maxTimestampSeen = -1;
  let firstOffset = -1;
  let lastOffset = -1;
  let producerBatchCount = 0;
  let controlBatchCount = 0;
  let pos = 0;
  while (pos < end) {
    const size = validateBatchAt(records, pos, end);
    if (asLeader && size > maxMessageBytes) {
      throw new KafkaError('MESSAGE_TOO_LARGE', `a batch of ${size} bytes exceeds max.message.bytes ${maxMessageBytes}`);
    }
    const count = recordsCountAt(records, pos);
    const lastOffsetDelta = records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
    const maxTimestamp = maxTimestampNumberAt(records, pos);
    if (!isSafeInt64(maxTimestamp)) {
      throw new KafkaError('INVALID_TIMESTAMP', `batch max timestamp ${records.readBigInt64BE(pos + MAX_TIMESTAMP_OFFSET)} is beyond +-(2^53 - 1) ms`);
    }
    if (asLeader) {
      if (count === 0 || count !== lastOffsetDelta + 1) {
        throw new KafkaError('INVALID_RECORD', `a produced batch must hold lastOffsetDelta + 1 records; it has ${count} records and delta ${lastOffsetDelta}`);
      }
      if (checkDifference && Math.abs(nowMs - maxTimestamp) > differenceMaxMs) {
        throw new KafkaError('INVALID_TIMESTAMP', `batch timestamp ${maxTimestamp} is more than message.timestamp.difference.max.ms ${differenceMaxMs} from the broker time ${nowMs}`);
      }
      if (checkKeys && !isControlAt(records, pos)) requireKeys(records, pos, size);
    } else {
      const base = baseOffsetNumberAt(records, pos);
      const last = lastOffsetNumberAt(records, pos);
      if (base < 0 || !(last <= MAX_RECORD_OFFSET)) {
        throw new KafkaError('INVALID_RECORD', `follower batch offsets ${records.readBigInt64BE(pos)}..+${lastOffsetDelta} are outside [0, 2^53 - 2]`);
      }
      if (batchCount > 0 && base <= lastOffset) {
        throw new KafkaError('INVALID_RECORD', `follower batch offsets go backwards: ${base} after ${lastOffset}`);
      }
      if (batchCount === 0) firstOffset = base;
      lastOffset = last;
    }
    if (maxTimestamp > maxTimestampSeen) maxTimestampSeen = maxTimestamp;
    // The high word of the producer id is negative only for -1 (no producer): one int read.
    if (records.readInt32BE(pos + PRODUCER_ID_OFFSET) >= 0) producerBatchCount++;
    if ((records.readInt16BE(pos + ATTRIBUTES_OFFSET) & CONTROL_FLAG_MASK) !== 0) controlBatchCount++;
    batchCount++;
    recordCount += count;
    offsetCount += lastOffsetDelta + 1;
    pos += size;
  }
  if (asLeader && logAppendTime && batchCount > 0) maxTimestampSeen = nowMs;
  result.batchCount = batchCount;
  result.recordCount = recordCount;
  result.offsetCount = offsetCount;
  result.maxTimestamp = maxTimestampSeen;
  result.firstOffset = firstOffset;
  result.lastOffset = lastOffset;
  result.producerBatchCount = producerBatchCount;
  result.controlBatchCount = controlBatchCount;
  return result;
}

const keyScanner = new RecordScanner();

function requireKeys(records: Buffer, pos: number, size: number): void {
  const area = recordsArea(records, pos, size);
  const scanner = keyScanner.reset(area, 0, area.length);
  while (scanner.next()) {
    if (scanner.keyLength < 0) throw new KafkaError('INVALID_RECORD', 'Compacted topic cannot accept message without key');
  }
}

/**
 * Stamps validated batches in place: baseOffset from `firstOffset` on, the leader epoch,
 * and with LogAppendTime (`logAppendTimeMs` defined) the timestamp type bit and
 * maxTimestamp (which the CRC covers, so it is recomputed; baseOffset and epoch are
 * outside the CRC and cost nothing). The caller has checked that every offset assigned
 * stays within 2^53 - 1. Returns the next offset.
 */
export function assignOffsets(records: Buffer, firstOffset: number, leaderEpoch: number, logAppendTimeMs: number | undefined): number {
  let next = firstOffset;
  let pos = 0;
  const end = records.length;
  while (pos < end) {
    const size = LOG_OVERHEAD + records.readInt32BE(pos + LENGTH_OFFSET);
    writeInt64NumberAt(records, next, pos + BASE_OFFSET_OFFSET);
    records.writeInt32BE(leaderEpoch, pos + PARTITION_LEADER_EPOCH_OFFSET);
    if (logAppendTimeMs !== undefined) {
      records.writeInt16BE(records.readInt16BE(pos + ATTRIBUTES_OFFSET) | TIMESTAMP_TYPE_MASK, pos + ATTRIBUTES_OFFSET);
      writeInt64NumberAt(records, logAppendTimeMs, pos + MAX_TIMESTAMP_OFFSET);
      writeCrcAt(records, pos, size);
    }
    next += records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET) + 1;
    pos += size;
  }
  return next;
}
