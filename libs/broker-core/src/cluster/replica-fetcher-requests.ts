import { BATCH_HEADER_SIZE, LENGTH_OFFSET, LOG_OVERHEAD } from '../log/batch/batch-header.js';
import { READ_UNCOMMITTED } from '../protocol/isolation-level.js';
import { makeFetchRequest, makeFetchRequestPartition, makeFetchRequestTopic, type FetchRequest, type FetchRequestPartition } from '../protocol/fetch/index.js';
import {
  makeListOffsetsRequest, makeListOffsetsRequestPartition, makeListOffsetsRequestTopic, type ListOffsetsRequest, type ListOffsetsRequestPartition,
} from '../protocol/listOffsets/index.js';
import {
  makeOffsetForLeaderEpochRequest, makeOffsetForLeaderEpochRequestOffsetForLeaderPartition, makeOffsetForLeaderEpochRequestOffsetForLeaderTopic,
  type OffsetForLeaderEpochRequest, type OffsetForLeaderEpochRequestOffsetForLeaderPartition,
} from '../protocol/offsetForLeaderEpoch/index.js';
import type { FetcherPartition } from './replica-fetcher-partition.js';

/**
 * The requests a follower sends its leader, built from the fetcher's partition states.
 * Versions: Fetch v12 (the first with diverging_epoch and last_fetched_epoch, and the
 * last naming topics rather than ids), OffsetForLeaderEpoch v4 (replica_id, flexible),
 * ListOffsets v7 (what Kafka 3.x followers send).
 */
export const REPLICA_FETCH_VERSION = 12;
export const OFFSET_FOR_LEADER_EPOCH_VERSION = 4;
export const REPLICA_LIST_OFFSETS_VERSION = 7;

/** ListOffsets' special timestamps: the log end (for a follower, the LEO) and the log start. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;

/** A full fetch outside any fetch session (KIP-227). */
const NO_SESSION_ID = 0;
const FINAL_SESSION_EPOCH = -1;

export interface FetchSettings {
  readonly brokerId: number;
  /** replica.fetch.wait.max.ms */
  readonly replicaFetchWaitMaxMs: number;
  /** replica.fetch.min.bytes */
  readonly replicaFetchMinBytes: number;
  /** replica.fetch.max.bytes (per partition) */
  readonly replicaFetchMaxBytes: number;
  /** replica.fetch.response.max.bytes (the whole response) */
  readonly replicaFetchResponseMaxBytes: number;
}

/** The states' entries grouped under their topics, topics in first-seen order. */
function byTopic<P>(states: readonly FetcherPartition[], entry: (state: FetcherPartition) => P): { topic: string; partitions: P[] }[] {
  const topics = new Map<string, P[]>();
  for (const state of states) {
    let partitions = topics.get(state.topic);
    if (partitions === undefined) {
      partitions = [];
      topics.set(state.topic, partitions);
    }
    partitions.push(entry(state));
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}

/** Asks, per partition, where the leader's log ends the replica's latest epoch (current_leader_epoch fences stale leaders). */
export function offsetForLeaderEpochRequest(brokerId: number, states: readonly FetcherPartition[]): OffsetForLeaderEpochRequest {
  const topics = byTopic<OffsetForLeaderEpochRequestOffsetForLeaderPartition>(states, (s) =>
    makeOffsetForLeaderEpochRequestOffsetForLeaderPartition({ partition: s.partition, currentLeaderEpoch: s.replica.leaderEpoch, leaderEpoch: s.replica.latestLocalEpoch }),
  );
  return makeOffsetForLeaderEpochRequest({ replicaId: brokerId, topics: topics.map((t) => makeOffsetForLeaderEpochRequestOffsetForLeaderTopic(t)) });
}

/** One Fetch at every state's log end; records the offset asked in `requestedOffset`. */
export function replicaFetchRequest(settings: FetchSettings, states: readonly FetcherPartition[]): FetchRequest {
  const topics = byTopic<FetchRequestPartition>(states, (s) => {
    const { replica } = s;
    s.requestedOffset = replica.logEndOffset;
    return makeFetchRequestPartition({
      partition: s.partition,
      currentLeaderEpoch: replica.leaderEpoch,
      fetchOffset: s.requestedOffset,
      lastFetchedEpoch: replica.latestLocalEpoch,
      logStartOffset: replica.logStartOffset,
      partitionMaxBytes: settings.replicaFetchMaxBytes,
    });
  });
  return makeFetchRequest({
    replicaId: settings.brokerId,
    maxWaitMs: settings.replicaFetchWaitMaxMs,
    minBytes: settings.replicaFetchMinBytes,
    maxBytes: settings.replicaFetchResponseMaxBytes,
    isolationLevel: READ_UNCOMMITTED,
    sessionId: NO_SESSION_ID,
    sessionEpoch: FINAL_SESSION_EPOCH,
    topics: topics.map(({ topic, partitions }) => makeFetchRequestTopic({ topic, partitions })),
  });
}

/** The leader's log end (LATEST) or start (EARLIEST) for each state, asked as a replica. */
export function replicaListOffsetsRequest(brokerId: number, states: readonly FetcherPartition[], timestamp: bigint): ListOffsetsRequest {
  const topics = byTopic<ListOffsetsRequestPartition>(states, (s) =>
    makeListOffsetsRequestPartition({ partitionIndex: s.partition, currentLeaderEpoch: s.replica.leaderEpoch, timestamp }),
  );
  return makeListOffsetsRequest({
    replicaId: brokerId,
    isolationLevel: READ_UNCOMMITTED,
    topics: topics.map(({ topic, partitions }) => makeListOffsetsRequestTopic({ name: topic, partitions })),
  });
}

/**
 * How many leading bytes of a fetched record set are whole batches. A leader may end a
 * response with a batch cut short by max_bytes (Kafka's does; a consumer ignores the
 * tail); the follower appends only whole ones. Reads one length per batch, nothing else.
 */
export function wholeBatchesLength(records: Buffer): number {
  let position = 0;
  while (records.length - position >= LOG_OVERHEAD) {
    const batchLength = records.readInt32BE(position + LENGTH_OFFSET);
    // A length too small to hold a batch header is not a cut-short batch: let the log's validation refuse it.
    if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) return records.length;
    const end = position + LOG_OVERHEAD + batchLength;
    if (end > records.length) break;
    position = end;
  }
  return position;
}
