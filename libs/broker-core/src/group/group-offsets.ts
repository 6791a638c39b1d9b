import type { OffsetCommitValue } from './offset-commit-value.js';
import type { TopicPartitionRef } from './group-results.js';

/** A committed offset as the cache holds it, with where its record sits in the offsets partition. */
export interface CommittedOffset {
  readonly value: OffsetCommitValue;
  /** Base offset of the batch holding the commit record: of two commits, the later record wins. */
  readonly recordOffset: bigint;
}

/** One partition's commit on its way to the log. */
export interface OffsetWrite extends TopicPartitionRef {
  readonly value: OffsetCommitValue;
}

/**
 * The committed offsets of one group (the offsets part of Kafka's GroupMetadata), by topic
 * then partition, plus the commits written but not yet acknowledged ("pending").
 *
 * Invariants: a committed entry only moves to a commit whose record lies later in the
 * offsets partition (so a slow append never overwrites a newer commit); a pending entry is
 * cleared by its own append's outcome only (a newer pending commit of the partition stays).
 * OffsetFetch with require_stable reports partitions with a pending commit as unstable.
 */
export class GroupOffsets {
  private readonly committed = new Map<string, Map<number, CommittedOffset>>();
  private readonly pending = new Map<string, Map<number, OffsetCommitValue>>();

  get(topic: string, partition: number): OffsetCommitValue | undefined {
    return this.committed.get(topic)?.get(partition)?.value;
  }

  /** Every committed offset, topics and partitions in the order they were first committed. */
  all(): OffsetWrite[] {
    const out: OffsetWrite[] = [];
    for (const [topic, partitions] of this.committed) for (const [partition, c] of partitions) out.push({ topic, partition, value: c.value });
    return out;
  }

  get size(): number {
    let n = 0;
    for (const partitions of this.committed.values()) n += partitions.size;
    return n;
  }

  /** Committed or pending offsets exist (an Empty group without any can be dropped). */
  get hasOffsets(): boolean {
    return this.committed.size > 0 || this.pending.size > 0;
  }

  hasPending(topic: string, partition: number): boolean {
    return this.pending.get(topic)?.has(partition) ?? false;
  }

  /** Commits about to be appended: pending until their append's outcome. */
  prepare(writes: readonly OffsetWrite[]): void {
    for (const w of writes) nested(this.pending, w.topic).set(w.partition, w.value);
  }

  /** The append holding `writes` was acknowledged at `recordOffset`. */
  onAppended(writes: readonly OffsetWrite[], recordOffset: bigint): void {
    for (const w of writes) {
      const staged = this.pending.get(w.topic)?.get(w.partition);
      // A commit whose pending entry is gone was removed meanwhile (OffsetDelete, topic deleted): it stays removed.
      if (staged === undefined) continue;
      this.put(w.topic, w.partition, { value: w.value, recordOffset });
      if (staged === w.value) deleteNested(this.pending, w.topic, w.partition);
    }
  }

  /** The append holding `writes` failed: their pending entries go (unless a newer commit replaced them). */
  onAppendFailed(writes: readonly OffsetWrite[]): void {
    for (const w of writes) if (this.pending.get(w.topic)?.get(w.partition) === w.value) deleteNested(this.pending, w.topic, w.partition);
  }

  /** A commit read back from the log when the group is loaded. */
  load(topic: string, partition: number, committed: CommittedOffset): void {
    this.put(topic, partition, committed);
  }

  private put(topic: string, partition: number, c: CommittedOffset): void {
    const current = this.committed.get(topic)?.get(partition);
    if (current === undefined || current.recordOffset < c.recordOffset) nested(this.committed, topic).set(partition, c);
  }

  /** Removes these partitions' offsets, committed and pending; returns those that had a committed one. */
  remove(refs: readonly TopicPartitionRef[]): TopicPartitionRef[] {
    const removed: TopicPartitionRef[] = [];
    for (const { topic, partition } of refs) {
      deleteNested(this.pending, topic, partition);
      if (deleteNested(this.committed, topic, partition)) removed.push({ topic, partition });
    }
    return removed;
  }

  removeAll(): TopicPartitionRef[] {
    return this.remove(this.all());
  }

  /**
   * Removes and returns the offsets that expired at `nowMs`: those without a pending
   * commit, outside `keepTopics`, whose explicit expire timestamp (OffsetCommit v1-v4's
   * retention) has passed, or, without one, whose `baseTimestampMs` lies
   * `retentionMs` or more in the past.
   */
  removeExpired(nowMs: number, retentionMs: number, baseTimestampMs: (value: OffsetCommitValue) => number, keepTopics: ReadonlySet<string>): TopicPartitionRef[] {
    const expired: TopicPartitionRef[] = [];
    for (const [topic, partitions] of this.committed) {
      if (keepTopics.has(topic)) continue;
      for (const [partition, { value }] of partitions) {
        if (this.hasPending(topic, partition)) continue;
        const due = value.expireTimestampMs !== -1 ? nowMs >= value.expireTimestampMs : nowMs - baseTimestampMs(value) >= retentionMs;
        if (due) expired.push({ topic, partition });
      }
    }
    for (const { topic, partition } of expired) deleteNested(this.committed, topic, partition);
    return expired;
  }
}

function nested<V>(map: Map<string, Map<number, V>>, topic: string): Map<number, V> {
  let inner = map.get(topic);
  if (inner === undefined) {
    inner = new Map();
    map.set(topic, inner);
  }
  return inner;
}

function deleteNested<V>(map: Map<string, Map<number, V>>, topic: string, partition: number): boolean {
  const inner = map.get(topic);
  if (inner === undefined || !inner.delete(partition)) return false;
  if (inner.size === 0) map.delete(topic);
  return true;
}
