import type { ConsumerSubscription, TopicPartitions } from './consumer-protocol.js';

/**
 * What every server-side assignor takes and gives. An assignor is a pure function: the
 * group's members with their decoded subscriptions (topics, owned partitions, generation,
 * user data) and the partition counts of the topics they subscribe to, in; every member's
 * partitions, out. Weir runs them for its REST consumers, which have no client-side leader;
 * Kafka clients keep assigning for themselves and only ship the result in SyncGroup.
 *
 * Topics that have no count (unknown to the cluster) or no partitions are left out, as
 * Kafka's assignors skip topics without metadata. Every member gets an entry, possibly
 * empty; partitions come grouped by topic, topics and partitions in ascending order.
 */
export interface AssignorMember {
  memberId: string;
  /** Static membership (KIP-345): members with one sort before the others, by it. */
  groupInstanceId: string | null;
  subscription: ConsumerSubscription;
}

/** Partition counts by topic name. */
export type PartitionCounts = ReadonlyMap<string, number>;

/** Each member's partitions, by member id. */
export type GroupAssignment = Map<string, TopicPartitions[]>;

export type Assignor = (members: readonly AssignorMember[], partitionCounts: PartitionCounts) => GroupAssignment;

/**
 * Java's String.compareTo order (UTF-16 code units), which is also JavaScript's `<` on
 * strings; not localeCompare, whose order depends on the locale.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order the range and round-robin assignors lay members out in (Kafka's MemberInfo):
 * static members first, by group.instance.id, so that a bounce that gives them new member
 * ids does not shuffle their partitions; then dynamic members by member id.
 */
export function compareMembers(a: AssignorMember, b: AssignorMember): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) {
    return compareStrings(a.groupInstanceId, b.groupInstanceId) || compareStrings(a.memberId, b.memberId);
  }
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

/** A member id given twice is the caller's bug: the group keys members by id. */
export function checkDistinctMembers(members: readonly AssignorMember[]): void {
  const seen = new Set<string>();
  for (const { memberId } of members) {
    if (seen.has(memberId)) throw new RangeError(`member ${memberId} is listed twice`);
    seen.add(memberId);
  }
}
