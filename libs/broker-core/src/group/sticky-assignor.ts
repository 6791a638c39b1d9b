import { type AssignorMember, type GroupAssignment, type PartitionCounts, compareStrings } from './assignor.js';
import type { ConsumerSubscription } from './consumer-protocol.js';
import { PartitionIndex } from './partition-index.js';
import { assignConstrained } from './sticky-constrained.js';
import { assignGeneral } from './sticky-general.js';
import { type StickyClaim, cooperativeStickyClaim, stickyClaim } from './sticky-member-data.js';
import { type Ownership, resolveOwnership } from './sticky-ownership.js';

/**
 * Kafka's StickyAssignor ("sticky") and CooperativeStickyAssignor ("cooperative-sticky").
 * Both aim at the same target: as balanced as possible, and within that keeping as many
 * partitions with their previous owners as possible. With equal subscriptions, counts
 * differ by at most one (sticky-constrained.ts); otherwise no partition's holder has more
 * than one partition more than another subscriber of its topic (sticky-general.ts). Members
 * are ordered by member id here, not by group.instance.id as range and roundrobin order them.
 *
 * They differ in where previous ownership comes from (sticky-member-data.ts) and in what a
 * partition changing owner does. Eager members revoke everything before each rebalance, so
 * "sticky" hands out the target as is. Cooperative members keep consuming what they own
 * while they rejoin, so "cooperative-sticky" leaves a partition that moves out of its new
 * owner's assignment this round: the old owner sees it missing from its own, revokes it and
 * rejoins, and the follow-up rebalance gives it to the new owner. No partition is therefore
 * assigned to one member while another still owns it. Partitions that several members claimed
 * in the same generation are withheld the same way.
 */
export function assignSticky(members: readonly AssignorMember[], partitionCounts: PartitionCounts): GroupAssignment {
  const { index, memberIds, target } = stickyTarget(members, partitionCounts, stickyClaim);
  return index.toAssignment(memberIds, target);
}

export function assignCooperativeSticky(members: readonly AssignorMember[], partitionCounts: PartitionCounts): GroupAssignment {
  const { index, memberIds, target, ownership } = stickyTarget(members, partitionCounts, cooperativeStickyClaim);
  const withoutTransfers = target.map((ids, member) =>
    ids.filter((id) => !ownership.contested.has(id) && (ownership.ownerOf[id]! < 0 || ownership.ownerOf[id] === member)),
  );
  return index.toAssignment(memberIds, withoutTransfers);
}

interface StickyTarget {
  index: PartitionIndex;
  /** Member ids in id order; members are indices into this list below. */
  memberIds: string[];
  target: number[][];
  ownership: Ownership;
}

function stickyTarget(members: readonly AssignorMember[], partitionCounts: PartitionCounts, claimOf: (s: ConsumerSubscription) => StickyClaim): StickyTarget {
  const index = PartitionIndex.forMembers(members, partitionCounts);
  const sorted = [...members].sort((a, b) => compareStrings(a.memberId, b.memberId));
  const memberIds = sorted.map((m) => m.memberId);
  const ownership = resolveOwnership(
    sorted.map((m) => claimOf(m.subscription)),
    index,
  );
  const topicSets = sorted.map((m) => new Set(m.subscription.topics));
  if (sorted.length === 0) return { index, memberIds, target: [], ownership };
  const target = allEqual(topicSets) ? assignConstrained(sorted.length, index, ownership) : assignGeneral(topicSets, index, ownership);
  return { index, memberIds, target, ownership };
}

/** Kafka compares the subscribed topic names as given, topics that do not exist included. */
function allEqual(topicSets: readonly ReadonlySet<string>[]): boolean {
  const [first] = topicSets;
  return topicSets.every((topics) => topics.size === first!.size && [...topics].every((topic) => first!.has(topic)));
}
