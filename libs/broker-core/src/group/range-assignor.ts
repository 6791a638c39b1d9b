import { type AssignorMember, type GroupAssignment, type PartitionCounts, compareMembers } from './assignor.js';
import { PartitionIndex } from './partition-index.js';

/**
 * Kafka's RangeAssignor ("range"), without rack awareness (Weir's assignors are given no
 * replica racks). Topic by topic: the topic's subscribers in member order (static members
 * first), each given a contiguous range of `count / subscribers` partitions, the first
 * `count % subscribers` of them one more. Two members C0, C1 on topics t0 and t1 of three
 * partitions each: C0 gets t0p0, t0p1, t1p0, t1p1 and C1 gets t0p2, t1p2. The same
 * partition numbers of co-partitioned topics land on the same member, which joins need;
 * the price is imbalance across many topics, since the extras always go to the first members.
 */
export function assignRange(members: readonly AssignorMember[], partitionCounts: PartitionCounts): GroupAssignment {
  const index = PartitionIndex.forMembers(members, partitionCounts);
  const sorted = [...members].sort(compareMembers);
  const topicSets = sorted.map((m) => new Set(m.subscription.topics));
  const assigned: number[][] = sorted.map(() => []);
  for (let t = 0; t < index.topics.length; t++) {
    const subscribers = topicSets.flatMap((topics, i) => (topics.has(index.topics[t]!) ? [i] : []));
    const perMember = Math.floor(index.count(t) / subscribers.length);
    const withExtra = index.count(t) % subscribers.length;
    let next = index.first(t);
    subscribers.forEach((i, rank) => {
      const end = next + perMember + (rank < withExtra ? 1 : 0);
      for (; next < end; next++) assigned[i]!.push(next);
    });
  }
  return index.toAssignment(
    sorted.map((m) => m.memberId),
    assigned,
  );
}
