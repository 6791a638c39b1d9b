import type { Cancellable, Scheduler } from '../timer/scheduler.js';
import type { FollowerReplica } from './follower-replica.js';
import type { PartitionFetchStats } from './replica-fetcher-stats.js';

/**
 * - truncating: just added (or the leader answered with an epoch we lack): the next
 *   round asks the leader for its end of our latest epoch (OffsetForLeaderEpoch) and cuts;
 * - fetching: in every Fetch the fetcher sends, at the replica's log end.
 */
export type FetchPhase = 'truncating' | 'fetching';

/**
 * One partition a fetcher drives (Kafka's PartitionFetchState): its phase, a backoff
 * after an error, and counters. The fetch offset is not kept here: it is the replica's
 * log end offset, read when a request is built, and `requestedOffset` remembers it so a
 * response is applied only if the log still ends there.
 *
 * A state object stands for one assignment: re-adding a partition (a new leader epoch)
 * replaces it, and removing it marks it `removed`. A response to a request sent for an
 * older state object is dropped, which is how a removal (or re-add) while a request is in
 * flight keeps the response away from the replica.
 */
export class FetcherPartition {
  phase: FetchPhase = 'truncating';
  removed = false;
  /** The replica's log end offset when the in-flight Fetch was built. */
  requestedOffset = -1n;
  /** The leader's high watermark in the last Fetch response; -1 before one arrived. */
  leaderHighWatermark = -1n;
  bytesFetched = 0;
  lastError: string | undefined;
  /** The epoch the replica followed when added: re-adding at the same epoch keeps this state. */
  readonly addedAtEpoch: number;
  private delay: Cancellable | undefined;

  constructor(readonly replica: FollowerReplica) {
    this.addedAtEpoch = replica.leaderEpoch;
  }

  get topic(): string {
    return this.replica.topic;
  }

  get partition(): number {
    return this.replica.partition;
  }

  get isDelayed(): boolean {
    return this.delay !== undefined;
  }

  get readyToTruncate(): boolean {
    return !this.removed && this.delay === undefined && this.phase === 'truncating';
  }

  get readyToFetch(): boolean {
    return !this.removed && this.delay === undefined && this.phase === 'fetching';
  }

  /** Skips the partition for `delayMs` after `error`; `wake` runs when the backoff is over. */
  backOff(timer: Scheduler, delayMs: number, error: string, wake: () => void): void {
    this.lastError = error;
    if (this.removed || this.delay !== undefined) return;
    this.delay = timer.schedule(delayMs, () => {
      this.delay = undefined;
      wake();
    });
  }

  stats(): PartitionFetchStats {
    return {
      topic: this.topic, partition: this.partition, phase: this.phase, delayed: this.isDelayed, logEndOffset: this.replica.logEndOffset,
      leaderHighWatermark: this.leaderHighWatermark, bytesFetched: this.bytesFetched, lastError: this.lastError,
    };
  }

  remove(): void {
    this.removed = true;
    this.delay?.cancel();
    this.delay = undefined;
  }
}

/** A fetcher's partitions by topic, then partition number: looking up a response's (name, index) allocates nothing. */
export class FetcherPartitions {
  private readonly byTopic = new Map<string, Map<number, FetcherPartition>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(topic: string, partition: number): FetcherPartition | undefined {
    return this.byTopic.get(topic)?.get(partition);
  }

  /** Stores `state`, returning the one it replaces. */
  set(state: FetcherPartition): FetcherPartition | undefined {
    let partitions = this.byTopic.get(state.topic);
    if (partitions === undefined) {
      partitions = new Map();
      this.byTopic.set(state.topic, partitions);
    }
    const previous = partitions.get(state.partition);
    partitions.set(state.partition, state);
    if (previous === undefined) this.count++;
    return previous;
  }

  delete(topic: string, partition: number): FetcherPartition | undefined {
    const partitions = this.byTopic.get(topic);
    const state = partitions?.get(partition);
    if (partitions === undefined || state === undefined) return undefined;
    partitions.delete(partition);
    if (partitions.size === 0) this.byTopic.delete(topic);
    this.count--;
    return state;
  }

  /** The partitions for which `wanted` holds, in insertion order per topic. */
  select(wanted: (state: FetcherPartition) => boolean): FetcherPartition[] {
    const out: FetcherPartition[] = [];
    for (const partitions of this.byTopic.values()) {
      for (const state of partitions.values()) if (wanted(state)) out.push(state);
    }
    return out;
  }
}
