import { type AssignorMember, type GroupAssignment, type PartitionCounts, compareMembers } from './assignor.js';
import { PartitionIndex } from './partition-index.js';

/**
 * Kafka's RoundRobinAssignor ("roundrobin"). All partitions of all subscribed topics in
 * (topic, partition) order are dealt to the members in member order (static members first),
 * one each in turn; a member not subscribed to a partition's topic is skipped, and the turn
 * passes on from whoever took the partition. With equal subscriptions counts differ by at
 * most one; with unequal ones they may not (C0 on t0, C1 on t0 and t1, C2 on all three of
 * t0, t1, t2 with 1, 2 and 3 partitions: C0 t0p0, C1 t1p0, C2 t1p1 and all of t2).
 */
export function assignRoundRobin(members: readonly AssignorMember[], partitionCounts: PartitionCounts): GroupAssignment {
  const index = PartitionIndex.forMembers(members, partitionCounts);
  const sorted = [...members].sort(compareMembers);
  const topicSets = sorted.map((m) => new Set(m.subscription.topics));
  const assigned: number[][] = sorted.map(() => []);
  let turn = 0;
  for (let id = 0; id < index.size; id++) {
    const topic = index.topicName(id);
    // Ends: every topic in the index has a subscriber.
    while (!topicSets[turn]!.has(topic)) turn = (turn + 1) % sorted.length;
    assigned[turn]!.push(id);
    turn = (turn + 1) % sorted.length;
  }
  return index.toAssignment(
    sorted.map((m) => m.memberId),
    assigned,
  );
}
