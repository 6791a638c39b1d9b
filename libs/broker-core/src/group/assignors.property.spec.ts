import fc from 'fast-check';
import { type GroupAssignment, compareMembers } from './assignor.js';
import { ASSIGNORS } from './assignors.js';
import { assignRange } from './range-assignor.js';
import { assignRoundRobin } from './roundrobin-assignor.js';
import { assignCooperativeSticky, assignSticky } from './sticky-assignor.js';
import { flat } from './testing/assignor-members.js';
import { type Scenario, assignablePartitions, loads, owning, scenarios, subscribes } from './testing/assignor-scenarios.js';

/**
 * What every assignor promises, over random groups: each partition of a subscribed topic
 * assigned exactly once and only to a subscriber; the balance each one achieves; the
 * stickiness of the sticky ones; and that cooperative-sticky never hands out a partition
 * another member still owns.
 */
const ANY = scenarios({ equalSubscriptions: false, claims: 'overlapping' });
const EQUAL = scenarios({ equalSubscriptions: true, claims: 'disjoint' });
const UNEQUAL = scenarios({ equalSubscriptions: false, claims: 'disjoint' });
const spread = (ns: number[]): number => Math.max(0, ...ns) - Math.min(Infinity, ...ns);

/** Checks that each partition is assigned at most once, only to a subscriber; returns the holders. */
function holders(s: Scenario, assignment: GroupAssignment): Map<string, string> {
  expect([...assignment.keys()].sort()).toEqual(s.members.map((m) => m.memberId).sort());
  const assignable = assignablePartitions(s);
  const holder = new Map<string, string>();
  for (const [memberId, partitions] of flat(assignment)) {
    const m = s.members.find((x) => x.memberId === memberId)!;
    for (const p of partitions) {
      expect(holder.has(p)).toBe(false);
      expect(assignable.has(p) && subscribes(m, p)).toBe(true);
      holder.set(p, memberId);
    }
  }
  return holder;
}

describe.each(['range', 'roundrobin', 'sticky'] as const)('%s assignor', (name) => {
  const assign = ASSIGNORS[name];

  it('assigns every partition of a subscribed topic exactly once, only to subscribers', () => {
    fc.assert(
      fc.property(ANY, (s) => {
        expect(holders(s, assign(s.members, s.partitionCounts)).size).toBe(assignablePartitions(s).size);
      }),
    );
  });

  it('gives the same assignment whatever order the members come in', () => {
    fc.assert(
      fc.property(
        ANY.chain((s) => fc.shuffledSubarray(s.members, { minLength: s.members.length }).map((shuffled) => ({ s, shuffled }))),
        ({ s, shuffled }) => {
          expect(flat(assign(shuffled, s.partitionCounts))).toEqual(flat(assign(s.members, s.partitionCounts)));
        },
      ),
    );
  });
});

describe('balance', () => {
  it('range: per topic, subscribers in member order get non-increasing counts that differ by at most one', () => {
    fc.assert(
      fc.property(ANY, (s) => {
        const assignment = assignRange(s.members, s.partitionCounts);
        for (const [topic, count] of s.partitionCounts) {
          const subscribers = s.members.filter((m) => m.subscription.topics.includes(topic)).sort(compareMembers);
          const perMember = subscribers.map((m) => assignment.get(m.memberId)!.find((tp) => tp.topic === topic)?.partitions.length ?? 0);
          expect(perMember.reduce((a, b) => a + b, 0)).toBe(subscribers.length > 0 ? count : 0);
          expect(spread(perMember)).toBeLessThanOrEqual(1);
          expect(perMember).toEqual([...perMember].sort((a, b) => b - a));
        }
      }),
    );
  });

  it('roundrobin and sticky: counts differ by at most one when subscriptions are equal', () => {
    fc.assert(
      fc.property(EQUAL, (s) => {
        expect(spread(loads(assignRoundRobin(s.members, s.partitionCounts)))).toBeLessThanOrEqual(1);
        expect(spread(loads(assignSticky(s.members, s.partitionCounts)))).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('sticky: no holder has two partitions more than another subscriber of the topic', () => {
    fc.assert(
      fc.property(ANY, (s) => {
        const assignment = assignSticky(s.members, s.partitionCounts);
        const load = new Map([...assignment].map(([id], i) => [id, loads(assignment)[i]!]));
        for (const [partition, holder] of holders(s, assignment)) {
          for (const m of s.members.filter((x) => subscribes(x, partition))) expect(load.get(holder)!).toBeLessThanOrEqual(load.get(m.memberId)! + 1);
        }
      }),
    );
  });
});

describe('stickiness', () => {
  it('sticky keeps each member at least min(what it owns, the smaller quota) when subscriptions are equal', () => {
    fc.assert(
      fc.property(EQUAL, (s) => {
        const assignment = flat(assignSticky(s.members, s.partitionCounts));
        const assignable = assignablePartitions(s);
        const minQuota = Math.floor(assignable.size / s.members.length);
        s.members.forEach((m, i) => {
          const owned = s.claims.filter((c) => c.member === i).map((c) => `${c.topic}/${c.partition}`).filter((p) => assignable.has(p));
          const kept = owned.filter((p) => assignment.get(m.memberId)!.includes(p));
          expect(kept.length).toBeGreaterThanOrEqual(Math.min(owned.length, minQuota));
        });
      }),
    );
  });

  it('sticky and cooperative-sticky change nothing when members own what they were given', () => {
    fc.assert(
      fc.property(UNEQUAL, (s) => {
        for (const assign of [assignSticky, assignCooperativeSticky]) {
          const target = assignSticky(s.members, s.partitionCounts);
          expect(flat(assign(owning(s, target, 7), s.partitionCounts))).toEqual(flat(target));
        }
      }),
    );
  });
});

describe('cooperative-sticky', () => {
  it('assigns a claimed partition only to its newest claimer, and only when that claimer is alone in its generation', () => {
    fc.assert(
      fc.property(ANY, (s) => {
        for (const [partition, holder] of holders(s, assignCooperativeSticky(s.members, s.partitionCounts))) {
          const claimers = [...new Set(s.claims.filter((c) => `${c.topic}/${c.partition}` === partition).map((c) => c.member))];
          if (claimers.length === 0) continue;
          const newest = Math.max(...claimers.map((i) => s.generations[i]!));
          const newestClaimers = claimers.filter((i) => s.generations[i] === newest);
          expect(newestClaimers.map((i) => s.members[i]!.memberId)).toEqual([holder]);
        }
      }),
    );
  });

  it("holds back only partitions of sticky's target that another member owns", () => {
    fc.assert(
      fc.property(UNEQUAL, (s) => {
        const target = flat(assignSticky(s.members, s.partitionCounts));
        const cooperative = flat(assignCooperativeSticky(s.members, s.partitionCounts));
        s.members.forEach((m, i) => {
          const withheld = target.get(m.memberId)!.filter((p) => !cooperative.get(m.memberId)!.includes(p));
          expect(cooperative.get(m.memberId)!.every((p) => target.get(m.memberId)!.includes(p))).toBe(true);
          for (const p of withheld) expect(s.claims.some((c) => c.member !== i && `${c.topic}/${c.partition}` === p)).toBe(true);
        });
      }),
    );
  });

  it('completes in the follow-up rebalance when subscriptions are equal', () => {
    fc.assert(
      fc.property(EQUAL, (s) => {
        const first = assignCooperativeSticky(s.members, s.partitionCounts);
        const second = assignCooperativeSticky(owning(s, first, 4), s.partitionCounts);
        expect(holders(s, second).size).toBe(assignablePartitions(s).size);
        expect(spread(loads(second))).toBeLessThanOrEqual(1);
      }),
    );
  });
});
