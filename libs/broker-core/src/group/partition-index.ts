import { type AssignorMember, type GroupAssignment, type PartitionCounts, checkDistinctMembers, compareStrings } from './assignor.js';
import type { TopicPartitions } from './consumer-protocol.js';

/**
 * Dense ids for the partitions one assignment deals with, so that assignors work on small
 * integers instead of (topic, partition) pairs. Layout: the topics some member subscribes to
 * that have partitions, in Java string order; topic t's partitions take the ids
 * `first(t) .. first(t) + count(t) - 1` in partition order. Id order is therefore Kafka's
 * TopicPartition order (topic, then partition), and sorting ids sorts partitions.
 * Immutable once built; every topic in it has at least one subscriber.
 */
export class PartitionIndex {
  readonly topics: readonly string[];
  /** Total number of partitions (ids are 0 .. size - 1). */
  readonly size: number;
  private readonly starts: readonly number[];
  private readonly topicByName: ReadonlyMap<string, number>;
  private readonly topicOfId: Int32Array;

  constructor(topicCounts: ReadonlyMap<string, number>) {
    this.topics = [...topicCounts.keys()].sort(compareStrings);
    const starts: number[] = [];
    const byName = new Map<string, number>();
    let size = 0;
    this.topics.forEach((topic, t) => {
      byName.set(topic, t);
      starts.push(size);
      size += topicCounts.get(topic)!;
    });
    starts.push(size);
    this.starts = starts;
    this.size = size;
    this.topicByName = byName;
    this.topicOfId = new Int32Array(size);
    for (let t = 0; t < this.topics.length; t++) this.topicOfId.fill(t, starts[t], starts[t + 1]);
  }

  /** The subscribed topics of `members` that `partitionCounts` gives one or more partitions. */
  static forMembers(members: readonly AssignorMember[], partitionCounts: PartitionCounts): PartitionIndex {
    checkDistinctMembers(members);
    const counts = new Map<string, number>();
    for (const member of members) {
      for (const topic of member.subscription.topics) {
        const count = partitionCounts.get(topic);
        if (count === undefined) continue;
        if (!Number.isInteger(count) || count < 0) throw new RangeError(`topic ${topic} has ${count} partitions`);
        if (count > 0) counts.set(topic, count);
      }
    }
    return new PartitionIndex(counts);
  }

  /** The topic's index in `topics`, or -1 when it is not part of this assignment. */
  topicIndex(topic: string): number {
    return this.topicByName.get(topic) ?? -1;
  }

  first(t: number): number {
    return this.starts[t]!;
  }

  count(t: number): number {
    return this.starts[t + 1]! - this.starts[t]!;
  }

  topicOf(id: number): number {
    return this.topicOfId[id]!;
  }

  topicName(id: number): string {
    return this.topics[this.topicOfId[id]!]!;
  }

  partitionOf(id: number): number {
    return id - this.starts[this.topicOfId[id]!]!;
  }

  /** The ids of the partitions listed that exist here, each once, ascending. */
  ids(partitions: readonly TopicPartitions[]): number[] {
    const ids = new Set<number>();
    for (const { topic, partitions: numbers } of partitions) {
      const t = this.topicIndex(topic);
      if (t < 0) continue;
      for (const p of numbers) if (Number.isInteger(p) && p >= 0 && p < this.count(t)) ids.add(this.first(t) + p);
    }
    return [...ids].sort((a, b) => a - b);
  }

  /** Partitions by topic, from ids in any order. */
  group(ids: readonly number[]): TopicPartitions[] {
    const out: TopicPartitions[] = [];
    let current: TopicPartitions | undefined;
    for (const id of [...ids].sort((a, b) => a - b)) {
      const topic = this.topicName(id);
      if (current?.topic !== topic) out.push((current = { topic, partitions: [] }));
      current.partitions.push(this.partitionOf(id));
    }
    return out;
  }

  /** The assignment of member `memberIds[i]` to `ids[i]`, in GroupAssignment's form. */
  toAssignment(memberIds: readonly string[], ids: readonly (readonly number[])[]): GroupAssignment {
    return new Map(memberIds.map((memberId, i) => [memberId, this.group(ids[i]!)]));
  }
}
