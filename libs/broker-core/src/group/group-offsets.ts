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

/** A transactional commit waiting for its transaction's end; its record offset is unknown until the append is acknowledged. */
export interface PendingTxnOffset {
  readonly value: OffsetCommitValue;
  readonly recordOffset: bigint | undefined;
}

/**
 * The committed offsets of one group (the offsets part of Kafka's GroupMetadata), by topic
 * then partition, plus the commits written but not yet acknowledged ("pending").
 *
 * Invariants: a committed entry only moves to a commit whose record lies later in the
 * offsets partition (so a slow append never overwrites a newer commit); a pending entry is
 * cleared by its own append's outcome only (a newer pending commit of the partition stays).
 * OffsetFetch with require_stable reports partitions with a pending commit as unstable.
 *
 * Transactional commits (TxnOffsetCommit) stay pending per producer id until their
 * transaction ends: a COMMIT marker turns them into committed offsets under the same
 * later-record-wins rule (a plain commit written after the transactional record stays),
 * an ABORT drops them. A producer's entry lives from its first commit to its marker, even
 * when its partitions were removed meanwhile, as Kafka's pendingTransactionalOffsetCommits.
 */
export class GroupOffsets {
  private readonly committed = new Map<string, Map<number, CommittedOffset>>();
  private readonly pending = new Map<string, Map<number, OffsetCommitValue>>();
  private readonly pendingTxn = new Map<bigint, Map<string, Map<number, PendingTxnOffset>>>();
  private transactionalCommits = false;

  get(topic: string, partition: number): OffsetCommitValue | undefined {
    return this.committed.get(topic)?.get(partition)?.value;
  }

  /** Every committed offset, topics and partitions in the order they were first committed. */
  all(): OffsetWrite[] {
    const out: OffsetWrite[] = [];
    for (const [topic, partitions] of this.committed) for (const [partition, c] of partitions) out.push({ topic, partition, value: c.value });
    return out;
  }

  /** The committed offsets of one topic (a topic's consumers summary reads them), partitions in commit order. */
  committedOn(topic: string): { partition: number; offset: bigint }[] {
    const partitions = this.committed.get(topic);
    if (partitions === undefined) return [];
    return [...partitions].map(([partition, c]) => ({ partition, offset: c.value.offset }));
  }

  get size(): number {
    let n = 0;
    for (const partitions of this.committed.values()) n += partitions.size;
    return n;
  }

  /** Committed or pending offsets exist (an Empty group without any can be dropped). */
  get hasOffsets(): boolean {
    return this.committed.size > 0 || this.pending.size > 0 || this.pendingTxn.size > 0;
  }

  /** Offsets were committed through transactions (Kafka's receivedTransactionalOffsetCommits): its consumers read committed. */
  get transactional(): boolean {
    return this.transactionalCommits;
  }

  /** A plain or transactional commit of the partition is not settled yet. */
  hasPending(topic: string, partition: number): boolean {
    if (this.pending.get(topic)?.has(partition) === true) return true;
    for (const byTopic of this.pendingTxn.values()) if (byTopic.get(topic)?.has(partition) === true) return true;
    return false;
  }

  hasPendingFrom(producerId: bigint): boolean {
    return this.pendingTxn.has(producerId);
  }

  /** The producers whose transactions hold commits of this group. */
  pendingProducers(): bigint[] {
    return [...this.pendingTxn.keys()];
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

  /**
   * Transactional commits about to be appended for `producerId`: pending until the
   * transaction ends. Returns the entries they replace, for onTxnAppendFailed.
   */
  prepareTxn(producerId: bigint, writes: readonly OffsetWrite[]): (PendingTxnOffset | undefined)[] {
    this.transactionalCommits = true;
    const byTopic = this.producerOffsets(producerId);
    return writes.map((w) => {
      const partitions = nested(byTopic, w.topic);
      const replaced = partitions.get(w.partition);
      partitions.set(w.partition, { value: w.value, recordOffset: undefined });
      return replaced;
    });
  }

  /** The transactional append holding `writes` was acknowledged at `recordOffset`. */
  onTxnAppended(producerId: bigint, writes: readonly OffsetWrite[], recordOffset: bigint): void {
    const byTopic = this.pendingTxn.get(producerId);
    if (byTopic === undefined) return; // completed or removed meanwhile
    for (const w of writes) {
      const partitions = byTopic.get(w.topic);
      if (partitions?.get(w.partition)?.value === w.value) partitions.set(w.partition, { value: w.value, recordOffset });
    }
  }

  /**
   * The transactional append holding `writes` failed (a fenced epoch, say): their pending
   * entries go back to what they replaced (`replaced`, from prepareTxn), unless a newer
   * commit replaced them meanwhile, so a zombie's attempt does not erase the live commit.
   */
  onTxnAppendFailed(producerId: bigint, writes: readonly OffsetWrite[], replaced: readonly (PendingTxnOffset | undefined)[]): void {
    const byTopic = this.pendingTxn.get(producerId);
    if (byTopic === undefined) return;
    writes.forEach((w, i) => {
      if (byTopic.get(w.topic)?.get(w.partition)?.value !== w.value) return;
      const previous = replaced[i];
      if (previous === undefined) deleteNested(byTopic, w.topic, w.partition);
      else nested(byTopic, w.topic).set(w.partition, previous);
    });
    if (byTopic.size === 0) this.pendingTxn.delete(producerId);
  }

  /** A transactional commit read back from the log whose marker was not in the part loaded. */
  loadTxn(producerId: bigint, topic: string, partition: number, committed: CommittedOffset): void {
    this.transactionalCommits = true;
    nested(this.producerOffsets(producerId), topic).set(partition, committed);
  }

  /** Marks the group transactional (a load saw its transactional commits, settled since). */
  markTransactional(): void {
    this.transactionalCommits = true;
  }

  /**
   * The producer's transaction ended (its marker is in the offsets partition): on commit
   * its pending offsets become committed unless a later record holds a newer commit; on
   * abort they go. Returns how many became committed.
   */
  completeTxn(producerId: bigint, commit: boolean): number {
    const byTopic = this.pendingTxn.get(producerId);
    if (byTopic === undefined) return 0;
    this.pendingTxn.delete(producerId);
    if (!commit) return 0;
    let applied = 0;
    for (const [topic, partitions] of byTopic) {
      for (const [partition, { value, recordOffset }] of partitions) {
        // Not acknowledged: the client saw its TxnOffsetCommit fail, so it cannot have committed it.
        if (recordOffset === undefined) continue;
        if (this.put(topic, partition, { value, recordOffset })) applied++;
      }
    }
    return applied;
  }

  private producerOffsets(producerId: bigint): Map<string, Map<number, PendingTxnOffset>> {
    let byTopic = this.pendingTxn.get(producerId);
    if (byTopic === undefined) this.pendingTxn.set(producerId, (byTopic = new Map()));
    return byTopic;
  }

  private put(topic: string, partition: number, c: CommittedOffset): boolean {
    const current = this.committed.get(topic)?.get(partition);
    if (current !== undefined && current.recordOffset >= c.recordOffset) return false;
    nested(this.committed, topic).set(partition, c);
    return true;
  }

  /** Removes these partitions' offsets, committed and pending; returns those that had a committed one. */
  remove(refs: readonly TopicPartitionRef[]): TopicPartitionRef[] {
    const removed: TopicPartitionRef[] = [];
    for (const { topic, partition } of refs) {
      deleteNested(this.pending, topic, partition);
      for (const byTopic of this.pendingTxn.values()) deleteNested(byTopic, topic, partition);
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
