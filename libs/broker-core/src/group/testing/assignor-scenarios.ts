import fc from 'fast-check';
import type { AssignorMember, GroupAssignment, PartitionCounts } from '../assignor.js';
import { member } from './assignor-members.js';

/**
 * Random groups for the assignor property tests: up to 7 members subscribed to some of four
 * topics (and a topic the cluster does not have), partition counts from 0, and claims on
 * partitions (owned partitions with a generation), some of them stale or out of range.
 */
export const TOPICS = ['t0', 't1', 't2', 't3'] as const;
const MAX_MEMBERS = 7;

export interface Claim {
  member: number;
  topic: string;
  partition: number;
}

export interface Scenario {
  members: AssignorMember[];
  partitionCounts: PartitionCounts;
  claims: Claim[];
  generations: number[];
}

export interface ScenarioShape {
  /** Every member subscribes to the same topics. */
  equalSubscriptions: boolean;
  /** `disjoint`: each partition claimed by one member at most; `overlapping`: any. */
  claims: 'none' | 'disjoint' | 'overlapping';
}

export function scenarios(shape: ScenarioShape): fc.Arbitrary<Scenario> {
  const topicSet = fc.subarray([...TOPICS, 'ghost']);
  return fc
    .record({
      ids: fc.uniqueArray(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: MAX_MEMBERS }),
      instanceIds: fc.array(fc.option(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 2 }), { nil: null }), { minLength: MAX_MEMBERS, maxLength: MAX_MEMBERS }),
      counts: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: TOPICS.length, maxLength: TOPICS.length }),
      common: topicSet,
      own: fc.array(topicSet, { minLength: MAX_MEMBERS, maxLength: MAX_MEMBERS }),
      claims: fc.array(fc.record({ member: fc.nat(MAX_MEMBERS - 1), topic: fc.constantFrom(...TOPICS), partition: fc.nat(9) }), { maxLength: shape.claims === 'none' ? 0 : 40 }),
      generations: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: MAX_MEMBERS, maxLength: MAX_MEMBERS }),
    })
    .map(({ ids, instanceIds, counts, common, own, claims, generations }) => {
      let kept = claims.filter((c) => c.member < ids.length);
      if (shape.claims === 'disjoint') kept = kept.filter((c, i) => kept.findIndex((o) => o.topic === c.topic && o.partition === c.partition) === i);
      const members = ids.map((id, i) => {
        const owned: Record<string, number[]> = {};
        for (const c of kept) if (c.member === i) (owned[c.topic] ??= []).push(c.partition);
        return member(id, shape.equalSubscriptions ? common : own[i]!, { groupInstanceId: instanceIds[i]!, owned, generation: generations[i]! });
      });
      return { members, partitionCounts: new Map(TOPICS.map((t, i) => [t, counts[i]!])), claims: kept, generations: generations.slice(0, ids.length) };
    });
}

/** Every partition a subscriber could get: topic subscribed by someone, partition within the count. */
export function assignablePartitions(s: Scenario): Set<string> {
  const out = new Set<string>();
  for (const m of s.members) {
    for (const topic of m.subscription.topics) for (let p = 0; p < (s.partitionCounts.get(topic) ?? 0); p++) out.add(`${topic}/${p}`);
  }
  return out;
}

export function subscribes(m: AssignorMember, partition: string): boolean {
  return m.subscription.topics.includes(partition.slice(0, partition.lastIndexOf('/')));
}

export function loads(assignment: GroupAssignment): number[] {
  return [...assignment.values()].map((tps) => tps.reduce((n, tp) => n + tp.partitions.length, 0));
}

/** The same members with `assignment` as what they own, all in `generation`. */
export function owning(s: Scenario, assignment: GroupAssignment, generation: number): AssignorMember[] {
  return s.members.map((m) => ({ ...m, subscription: { ...m.subscription, ownedPartitions: assignment.get(m.memberId)!, generationId: generation } }));
}
