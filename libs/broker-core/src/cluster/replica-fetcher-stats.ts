/** What the replica fetchers report, for tests and metrics (Kafka's fetcher lag and stats), and where their errors happen. */
import type { FetchPhase } from './replica-fetcher-partition.js';

/** Where an error happened: the fetcher's leader, and the partition when it was one partition's. */
export interface FetcherErrorContext {
  readonly leaderId: number;
  readonly topic?: string;
  readonly partition?: number;
}

export interface PartitionFetchStats {
  readonly topic: string;
  readonly partition: number;
  readonly phase: FetchPhase;
  readonly delayed: boolean;
  readonly logEndOffset: bigint;
  /** The leader's high watermark in the last response, -1 before one. */
  readonly leaderHighWatermark: bigint;
  readonly bytesFetched: number;
  readonly lastError: string | undefined;
}

export interface ReplicaFetcherStats {
  readonly leaderId: number;
  readonly partitions: readonly PartitionFetchStats[];
  /** Fetch requests sent (OffsetForLeaderEpoch and ListOffsets not counted). */
  readonly fetchRequests: number;
  readonly bytesFetched: number;
  /** Partition results dropped because the partition was removed, re-added or truncated while the request was in flight. */
  readonly discardedResults: number;
  /** The last connection-level failure. */
  readonly lastError: string | undefined;
  readonly backingOff: boolean;
  readonly requestInFlight: boolean;
}
