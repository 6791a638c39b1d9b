/**
 * What the replica fetcher needs from one local follower replica (implemented by the
 * broker's Partition over its PartitionLog). All calls are synchronous and made on the
 * one event loop; the fetcher never holds a replica across a leadership change: the
 * broker removes it from the fetcher first.
 */
export interface FollowerReplica {
  readonly topic: string;
  readonly partition: number;
  /** The leader epoch of the partition state this broker follows (sent as current_leader_epoch). */
  readonly leaderEpoch: number;
  readonly logStartOffset: bigint;
  readonly logEndOffset: bigint;
  readonly highWatermark: bigint;
  /** The latest epoch in the local leader epoch cache, -1 when the cache is empty. */
  readonly latestLocalEpoch: number;
  /**
   * The local cache's answer for `epoch` (Kafka's LeaderEpochFileCache.endOffsetFor): the
   * largest epoch <= `epoch` and the start offset of the epoch after it (or the LEO); for
   * an epoch below the earliest cached one, that epoch and the earliest entry's start
   * (Kafka 2.1+); { leaderEpoch: -1, endOffset: -1n } when the cache is empty.
   */
  endOffsetForEpoch(epoch: number): { leaderEpoch: number; endOffset: bigint };
  /** Removes everything at and above `offset` (no-op when offset >= LEO). */
  truncateTo(offset: bigint): void;
  /** Drops the whole log and starts it empty at `offset` (the leader's log start moved past ours). */
  truncateFullyAndStartAt(offset: bigint): void;
  /** Appends fetched batches with the offsets and epochs the leader gave them. */
  appendAsFollower(records: Buffer): void;
  /**
   * The leader's HW and log start offset as a fetch response reported them: the replica
   * keeps min(HW, its LEO), and moves its own log start up to the leader's (DeleteRecords
   * and retention on the leader reach followers this way, as in Kafka).
   */
  updateFollowerHighWatermark(leaderHighWatermark: bigint, leaderLogStartOffset: bigint): void;
}
