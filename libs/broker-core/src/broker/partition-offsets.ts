import { KafkaError } from '../errors.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, MAX_TIMESTAMP } from '../log/partition/partition-log.js';
import type { ListOffsetOptions } from './broker-api.js';
import type { Partition } from './partition.js';

/**
 * The offset lookups a leader answers (ListOffsets, OffsetForLeaderEpoch, DeleteRecords'
 * bound), each fenced by the caller's leader epoch when it sends one.
 */

/** Kafka's ListOffsets: consumers see the HW (the LSO for read_committed) as the log's end, a follower (replicaId >= 0) the log end itself. */
export function listOffsetOf(
  found: Partition, timestamp: bigint, options: ListOffsetOptions,
): { offset: bigint; timestamp: bigint } | undefined {
  const log = found.leaderLog();
  found.checkLeaderEpoch(options.currentLeaderEpoch ?? -1);
  // What a consumer of this isolation may read up to.
  const bound = options.isolation === 'read_committed' ? found.lastStableOffset : found.highWatermark;
  if (timestamp === LATEST_TIMESTAMP) return { offset: (options.replicaId ?? -1) >= 0 ? log.logEndOffset : bound, timestamp: -1n };
  if (timestamp === EARLIEST_TIMESTAMP) return { offset: log.logStartOffset, timestamp: -1n };
  if (timestamp < 0n && timestamp !== MAX_TIMESTAMP) throw new KafkaError('INVALID_REQUEST', `unsupported ListOffsets timestamp ${timestamp}`);
  const match = log.offsetForTimestamp(timestamp);
  return match !== undefined && match.offset < bound ? match : undefined;
}

/** Kafka's OffsetForLeaderEpoch, answered from the leader's epoch cache. */
export function offsetForLeaderEpochOf(found: Partition, leaderEpoch: number, currentLeaderEpoch: number): { leaderEpoch: number; endOffset: bigint } {
  const log = found.leaderLog();
  found.checkLeaderEpoch(currentLeaderEpoch);
  return log.endOffsetForEpoch(leaderEpoch);
}

/** DeleteRecords' target: -1 means "up to the high watermark"; beyond it is OFFSET_OUT_OF_RANGE. */
export function deleteRecordsTarget(found: Partition, beforeOffset: bigint): bigint {
  const hw = found.highWatermark;
  const target = beforeOffset === -1n ? hw : beforeOffset;
  if (target < 0n || target > hw) {
    throw new KafkaError('OFFSET_OUT_OF_RANGE', `Cannot increment the log start offset to ${target} of partition ${found.key} since it is larger than the high watermark ${hw}`);
  }
  return target;
}
