import type { PartitionIndex } from './partition-index.js';
import type { StickyClaim } from './sticky-member-data.js';

/**
 * Who owns what before a sticky assignment, from the members' claims. Claims can disagree:
 * a member that missed a rebalance still claims what it had generations ago. The claim of
 * the highest generation wins; when several members claim a partition in that same
 * generation, none of them owns it (Kafka logs this as invalid input and reassigns it).
 * Claims on partitions the assignment does not cover (a topic nobody subscribes to any
 * more, a partition number past the topic's count) are dropped.
 *
 * Kafka resolves claims in the order of a hash map, so with three claimers its winner can
 * depend on that order; here the rule above holds whatever the order.
 */
export interface Ownership {
  /** Per member (by index into the members given), the partition ids it owns, ascending. */
  owned: number[][];
  /** Partition id to owning member index, -1 for none. */
  ownerOf: Int32Array;
  /** Partitions several members claim in the newest generation claiming them. */
  contested: ReadonlySet<number>;
  /**
   * Partitions claimed by members of a generation older than the group's newest claim, to
   * the newest such claimer: the general sticky algorithm moves a partition back there
   * first when balance asks for a move (Kafka's prevAssignment).
   */
  previousOwner: ReadonlyMap<number, number>;
}

export function resolveOwnership(claims: readonly StickyClaim[], index: PartitionIndex): Ownership {
  const claimIds = claims.map((claim) => index.ids(claim.partitions));
  const maxGeneration = claims.reduce((max, claim) => Math.max(max, claim.generation), -1);
  const ownerOf = new Int32Array(index.size).fill(-1);
  const bestGeneration = new Map<number, number>();
  const contested = new Set<number>();
  const previousOwner = new Map<number, number>();
  const previousGeneration = new Map<number, number>();

  claimIds.forEach((ids, member) => {
    const generation = claims[member]!.generation;
    for (const id of ids) {
      const best = bestGeneration.get(id);
      if (best === undefined || generation > best) {
        bestGeneration.set(id, generation);
        ownerOf[id] = member;
        contested.delete(id);
      } else if (generation === best) {
        ownerOf[id] = -1;
        contested.add(id);
      }
      if (generation < maxGeneration && generation > (previousGeneration.get(id) ?? Number.NEGATIVE_INFINITY)) {
        previousGeneration.set(id, generation);
        previousOwner.set(id, member);
      }
    }
  });

  const owned: number[][] = claims.map(() => []);
  for (let id = 0; id < index.size; id++) if (ownerOf[id]! >= 0) owned[ownerOf[id]!]!.push(id);
  return { owned, ownerOf, contested, previousOwner };
}
