import { KafkaError } from '../../errors.js';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  TIMESTAMP_TYPE_MASK,
  baseOffsetAt,
  lastOffsetAt,
  maxTimestampAt,
  recordsCountAt,
  validateBatchAt,
  writeCrcAt,
} from '../batch/batch-header.js';
import type { LogConfig } from '../config/log-config.js';

/** What one pass over a produce request's records found; nothing in the buffer changed yet. */
export interface AppendAnalysis {
  batchCount: number;
  recordCount: number;
  /** Sum of (lastOffsetDelta + 1): how many offsets the append consumes. */
  offsetCount: bigint;
  /** Largest batch max timestamp (the append time for LogAppendTime), -1 if none. */
  maxTimestamp: bigint;
  /** First and last offsets as stored in the batches (meaningful for follower appends). */
  firstOffset: bigint;
  lastOffset: bigint;
}

const SAFE_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * Validates every batch of a produce request before anything is written, so that a bad
 * batch anywhere leaves the log untouched: structure and CRC (CORRUPT_MESSAGE /
 * INVALID_RECORD from validateBatchAt), size against max.message.bytes
 * (MESSAGE_TOO_LARGE), and for client appends a record count matching the offset span
 * and, with CreateTime, timestamps within message.timestamp.difference.max.ms of the
 * broker clock (checked on the batch's max timestamp: no record is decoded).
 * Follower appends instead require offsets to increase across batches.
 */
export function analyzeRecords(records: Buffer, config: LogConfig, nowMs: number, asLeader: boolean): AppendAnalysis {
  const end = records.length;
  const logAppendTime = config.messageTimestampType === 'LogAppendTime';
  const checkDifference = asLeader && !logAppendTime && config.messageTimestampDifferenceMaxMs < SAFE_LIMIT;
  const result: AppendAnalysis = { batchCount: 0, recordCount: 0, offsetCount: 0n, maxTimestamp: -1n, firstOffset: -1n, lastOffset: -1n };
  // Counted as a number (a request's offsets fit easily) and turned into a bigint once.
  let offsetCount = 0;
  let pos = 0;
  while (pos < end) {
    const size = validateBatchAt(records, pos, end);
    if (asLeader && size > config.maxMessageBytes) {
      throw new KafkaError('MESSAGE_TOO_LARGE', `a batch of ${size} bytes exceeds max.message.bytes ${config.maxMessageBytes}`);
    }
    const count = recordsCountAt(records, pos);
    const lastOffsetDelta = records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
    const maxTimestamp = maxTimestampAt(records, pos);
    if (asLeader) {
      if (count === 0 || count !== lastOffsetDelta + 1) {
        throw new KafkaError('INVALID_RECORD', `a produced batch must hold lastOffsetDelta + 1 records; it has ${count} records and delta ${lastOffsetDelta}`);
      }
      if (checkDifference && Math.abs(nowMs - Number(maxTimestamp)) > config.messageTimestampDifferenceMaxMs) {
        throw new KafkaError('INVALID_TIMESTAMP', `batch timestamp ${maxTimestamp} is more than message.timestamp.difference.max.ms ${config.messageTimestampDifferenceMaxMs} from the broker time ${nowMs}`);
      }
    } else {
      const base = baseOffsetAt(records, pos);
      if (result.batchCount > 0 && base <= result.lastOffset) {
        throw new KafkaError('INVALID_RECORD', `follower batch offsets go backwards: ${base} after ${result.lastOffset}`);
      }
      if (result.batchCount === 0) result.firstOffset = base;
      result.lastOffset = lastOffsetAt(records, pos);
    }
    if (maxTimestamp > result.maxTimestamp) result.maxTimestamp = maxTimestamp;
    result.batchCount++;
    result.recordCount += count;
    offsetCount += lastOffsetDelta + 1;
    pos += size;
  }
  result.offsetCount = BigInt(offsetCount);
  if (asLeader && logAppendTime && result.batchCount > 0) result.maxTimestamp = BigInt(nowMs);
  return result;
}

/**
 * Stamps validated batches in place: baseOffset from `firstOffset` on, the leader epoch,
 * and with LogAppendTime the timestamp type bit and maxTimestamp (which the CRC covers,
 * so it is recomputed; baseOffset and epoch are outside the CRC and cost nothing).
 */
export function assignOffsets(records: Buffer, firstOffset: bigint, leaderEpoch: number, logAppendTimeMs: bigint | undefined): bigint {
  let next = firstOffset;
  let pos = 0;
  while (pos < records.length) {
    const size = 12 + records.readInt32BE(pos + 8);
    records.writeBigInt64BE(next, pos + BASE_OFFSET_OFFSET);
    records.writeInt32BE(leaderEpoch, pos + PARTITION_LEADER_EPOCH_OFFSET);
    if (logAppendTimeMs !== undefined) {
      records.writeInt16BE(records.readInt16BE(pos + ATTRIBUTES_OFFSET) | TIMESTAMP_TYPE_MASK, pos + ATTRIBUTES_OFFSET);
      records.writeBigInt64BE(logAppendTimeMs, pos + MAX_TIMESTAMP_OFFSET);
      writeCrcAt(records, pos, size);
    }
    next += BigInt(records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET)) + 1n;
    pos += size;
  }
  return next;
}
