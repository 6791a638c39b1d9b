import type { FollowerReplica } from '../../cluster/follower-replica.js';
import { baseOffsetAt, batchSizeAt, PARTITION_LEADER_EPOCH_OFFSET } from '../../log/batch/batch-header.js';
import type { PartitionLog } from '../../log/partition/partition-log.js';

interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: bigint;
}

/**
 * A FollowerReplica for replica fetcher tests, over a real PartitionLog: the leader epoch
 * cache is kept here, from the partitionLeaderEpoch of the batches appended (as Kafka's
 * LeaderEpochFileCache is), and rebuilt from the log when opened. Every call is recorded,
 * and once `detach()` is called any further call is recorded as a violation: a fetcher
 * must not touch a replica it no longer drives.
 */
export class LogFollowerReplica implements FollowerReplica {
  private epochs: EpochEntry[] = [];
  /** Calls in order, e.g. `truncateTo 5`, `append 100..119`, `hw 120`. */
  readonly calls: string[] = [];
  readonly callsAfterDetach: string[] = [];
  private detached = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly log: PartitionLog,
    public leaderEpoch = 0,
  ) {
    const all = log.read(log.logStartOffset, 1 << 30).records;
    this.noteEpochs(all);
  }

  get logStartOffset(): bigint { return this.log.logStartOffset; }
  get logEndOffset(): bigint { return this.log.logEndOffset; }
  get highWatermark(): bigint { return this.log.highWatermark; }
  get latestLocalEpoch(): number { return this.epochs.at(-1)?.epoch ?? -1; }

  /** The epochs the cache holds, as [epoch, start offset]. */
  get epochEntries(): [number, number][] {
    return this.epochs.map((e) => [e.epoch, Number(e.startOffset)]);
  }

  endOffsetForEpoch(epoch: number): { leaderEpoch: number; endOffset: bigint } {
    let i = this.epochs.length - 1;
    while (i >= 0 && this.epochs[i]!.epoch > epoch) i--;
    if (i < 0) return { leaderEpoch: -1, endOffset: -1n };
    return { leaderEpoch: this.epochs[i]!.epoch, endOffset: this.epochs[i + 1]?.startOffset ?? this.log.logEndOffset };
  }

  truncateTo(offset: bigint): void {
    this.record(`truncateTo ${offset}`);
    this.log.truncateTo(offset);
    const end = this.log.logEndOffset;
    this.epochs = this.epochs.filter((e) => e.startOffset < end);
  }

  truncateFullyAndStartAt(offset: bigint): void {
    this.record(`truncateFullyAndStartAt ${offset}`);
    this.log.truncateFullyAndStartAt(offset);
    this.epochs = [];
  }

  appendAsFollower(records: Buffer): void {
    const info = this.log.appendAsFollower(records);
    this.record(`append ${info.firstOffset}..${info.lastOffset}`);
    this.noteEpochs(records);
  }

  updateFollowerHighWatermark(leaderHighWatermark: bigint, _leaderLogStartOffset: bigint): void {
    this.record(`hw ${leaderHighWatermark}`);
    const end = this.log.logEndOffset;
    this.log.updateHighWatermark(leaderHighWatermark < end ? leaderHighWatermark : end);
  }

  /** From now on every call is a violation (the fetcher was told to drop this replica). */
  detach(): void {
    this.detached = true;
  }

  private record(call: string): void {
    (this.detached ? this.callsAfterDetach : this.calls).push(call);
  }

  private noteEpochs(records: Buffer): void {
    for (let pos = 0; pos < records.length; pos += batchSizeAt(records, pos)) {
      const epoch = records.readInt32BE(pos + PARTITION_LEADER_EPOCH_OFFSET);
      if (epoch > this.latestLocalEpoch) this.epochs.push({ epoch, startOffset: baseOffsetAt(records, pos) });
    }
  }
}
