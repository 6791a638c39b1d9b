import { assignorFor } from './assignors.js';
import { assignRange } from './range-assignor.js';
import { assignRoundRobin } from './roundrobin-assignor.js';
import { assignCooperativeSticky, assignSticky } from './sticky-assignor.js';
import { encodeCooperativeStickyUserData, encodeStickyUserData } from './sticky-member-data.js';
import { counts, member, readable } from './testing/assignor-members.js';

/**
 * The examples of the assignors' Javadoc in Kafka 3.7 (RangeAssignor, RoundRobinAssignor,
 * StickyAssignor, CooperativeStickyAssignor), and the cases their rules single out.
 */
const T0_T1 = ['t0', 't1'];
const THREE_EACH = counts({ t0: 3, t1: 3 });

describe('range', () => {
  it('gives each member a contiguous range per topic, the first members one extra', () => {
    expect(readable(assignRange([member('C1', T0_T1), member('C0', T0_T1)], THREE_EACH))).toEqual({
      C0: { t0: [0, 1], t1: [0, 1] },
      C1: { t0: [2], t1: [2] },
    });
  });

  it('orders static members first, by group.instance.id, whatever their member ids', () => {
    const members = [member('C3', T0_T1, { groupInstanceId: 'I0' }), member('C2', T0_T1, { groupInstanceId: 'I1' }), member('A', T0_T1)];
    expect(readable(assignRange(members, counts({ t0: 4, t1: 3 })))).toEqual({
      C3: { t0: [0, 1], t1: [0] },
      C2: { t0: [2], t1: [1] },
      A: { t0: [3], t1: [2] },
    });
  });

  it('splits a topic among its subscribers only, and skips topics without partitions', () => {
    const members = [member('C0', ['t0', 'ghost', 'empty']), member('C1', ['t0', 't1'])];
    expect(readable(assignRange(members, counts({ t0: 3, t1: 2, empty: 0 })))).toEqual({
      C0: { t0: [0, 1] },
      C1: { t0: [2], t1: [0, 1] },
    });
  });
});

describe('roundrobin', () => {
  it('deals all partitions in order to the members in turn', () => {
    expect(readable(assignRoundRobin([member('C0', T0_T1), member('C1', T0_T1)], THREE_EACH))).toEqual({
      C0: { t0: [0, 2], t1: [1] },
      C1: { t0: [1], t1: [0, 2] },
    });
  });

  it('skips members not subscribed to the topic', () => {
    const members = [member('C0', ['t0']), member('C1', ['t0', 't1']), member('C2', ['t0', 't1', 't2'])];
    expect(readable(assignRoundRobin(members, counts({ t0: 1, t1: 2, t2: 3 })))).toEqual({
      C0: { t0: [0] },
      C1: { t1: [0] },
      C2: { t1: [1], t2: [0, 1, 2] },
    });
  });

  it('keeps static members on their partitions across new member ids', () => {
    const before = [member('C0', T0_T1, { groupInstanceId: 'I0' }), member('C1', T0_T1, { groupInstanceId: 'I1' }), member('C2', T0_T1, { groupInstanceId: 'I2' })];
    const after = [member('C5', T0_T1, { groupInstanceId: 'I0' }), member('C3', T0_T1, { groupInstanceId: 'I1' }), member('C4', T0_T1, { groupInstanceId: 'I2' })];
    expect(Object.values(readable(assignRoundRobin(after, THREE_EACH)))).toEqual(Object.values(readable(assignRoundRobin(before, THREE_EACH))));
    expect(readable(assignRoundRobin(after, THREE_EACH))).toEqual({ C5: { t0: [0], t1: [0] }, C3: { t0: [1], t1: [1] }, C4: { t0: [2], t1: [2] } });
  });
});

describe('sticky', () => {
  const FOUR_TOPICS = ['t0', 't1', 't2', 't3'];
  const TWO_EACH = counts({ t0: 2, t1: 2, t2: 2, t3: 2 });

  it('starts balanced with equal subscriptions', () => {
    const members = ['C0', 'C1', 'C2'].map((id) => member(id, FOUR_TOPICS));
    expect(readable(assignSticky(members, TWO_EACH))).toEqual({
      C0: { t0: [0], t1: [1], t3: [0] },
      C1: { t0: [1], t2: [0], t3: [1] },
      C2: { t1: [0], t2: [1] },
    });
  });

  it('keeps what the members that stay had when one leaves (previous assignment in the user data)', () => {
    const userData = (owned: [string, number[]][]): Buffer =>
      encodeStickyUserData({ partitions: owned.map(([topic, partitions]) => ({ topic, partitions })), generation: 1 });
    const members = [
      member('C0', FOUR_TOPICS, { userData: userData([['t0', [0]], ['t1', [1]], ['t3', [0]]]) }),
      member('C2', FOUR_TOPICS, { userData: userData([['t1', [0]], ['t2', [1]]]) }),
    ];
    expect(readable(assignSticky(members, TWO_EACH))).toEqual({
      C0: { t0: [0, 1], t1: [1], t3: [0] },
      C2: { t1: [0], t2: [0, 1], t3: [1] },
    });
  });

  it('balances unequal subscriptions, topics with fewest subscribers first', () => {
    const members = [member('C0', ['t0']), member('C1', ['t0', 't1']), member('C2', ['t0', 't1', 't2'])];
    const counts3 = counts({ t0: 1, t1: 2, t2: 3 });
    expect(readable(assignSticky(members, counts3))).toEqual({ C0: { t0: [0] }, C1: { t1: [0, 1] }, C2: { t2: [0, 1, 2] } });
    const withoutC0 = [member('C1', ['t0', 't1'], { owned: { t1: [0, 1] }, generation: 1 }), member('C2', ['t0', 't1', 't2'], { owned: { t2: [0, 1, 2] }, generation: 1 })];
    expect(readable(assignSticky(withoutC0, counts3))).toEqual({ C1: { t0: [0], t1: [0, 1] }, C2: { t2: [0, 1, 2] } });
  });

  it('balances by moving new partitions before ones a member owned', () => {
    const members = [
      member('X', ['a', 'b', 'u'], { owned: { a: [0] }, generation: 1 }),
      member('Y', ['a', 'b'], { owned: { a: [1, 2] }, generation: 1 }),
      member('Z', ['u', 'z'], { owned: { z: [0, 1, 2, 3, 4] }, generation: 1 }),
    ];
    // The new b-0 and u-0..2 all go to X, the least loaded when each is placed, leaving X
    // with 5 and Y with 2. Moving b-0 to Y balances them; moving X's own a-0 would too.
    expect(readable(assignSticky(members, counts({ a: 3, b: 1, u: 3, z: 5 })))).toEqual({
      X: { a: [0], u: [0, 1, 2] },
      Y: { a: [1, 2], b: [0] },
      Z: { z: [0, 1, 2, 3, 4] },
    });
  });

  it('moves a partition back to its previous owner (an older claim) before the least loaded member', () => {
    const members = [
      member('A', ['t', 'x'], { owned: { t: [0], x: [0, 1, 2] }, generation: 2 }),
      member('B', ['t'], { owned: { t: [0, 1] }, generation: 1 }),
      member('C', ['t']),
    ];
    // A (4 partitions) must give up t-0: to B, who had it a generation before, although C
    // holds nothing; then B passes its t-1 on to C.
    expect(readable(assignSticky(members, counts({ t: 2, x: 3 })))).toEqual({ A: { x: [0, 1, 2] }, B: { t: [0] }, C: { t: [1] } });
  });

  it('gives a partition two members claim to the newer generation, and reassigns one claimed twice in the same generation', () => {
    const members = [
      member('A', ['t'], { owned: { t: [0, 1] }, generation: 5 }),
      member('B', ['t'], { owned: { t: [0, 2] }, generation: 4 }),
      member('C', ['t'], { owned: { t: [3] }, generation: 5 }),
      member('D', ['t'], { owned: { t: [3] }, generation: 5 }),
    ];
    // A keeps 0 and 1 (it wins 0 over B); nobody owns the contested 3. Quotas are 1 each.
    const assignment = readable(assignSticky(members, counts({ t: 4 })));
    expect(assignment['A']).toEqual({ t: [0] });
    expect(assignment['B']).toEqual({ t: [2] });
    expect(Object.values(assignment).flatMap((tps) => tps['t'] ?? []).sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('cooperative-sticky', () => {
  it('withholds a partition that changes owner until its owner has revoked it', () => {
    const round1 = [member('C0', ['t'], { owned: { t: [0, 1, 2, 3] }, generation: 1 }), member('C1', ['t'])];
    // The target gives C1 partitions 2 and 3; C0 must revoke them first.
    expect(readable(assignSticky(round1, counts({ t: 4 })))).toEqual({ C0: { t: [0, 1] }, C1: { t: [2, 3] } });
    expect(readable(assignCooperativeSticky(round1, counts({ t: 4 })))).toEqual({ C0: { t: [0, 1] }, C1: {} });
    const round2 = [member('C0', ['t'], { owned: { t: [0, 1] }, generation: 2 }), member('C1', ['t'], { generation: 2 })];
    expect(readable(assignCooperativeSticky(round2, counts({ t: 4 })))).toEqual({ C0: { t: [0, 1] }, C1: { t: [2, 3] } });
  });

  it('reads the generation from the user data of subscriptions before v2', () => {
    // C0's claim on t-0 (generation 2) beats C1's stale one (generation 1). Were the
    // generations not read, t-0 would be claimed twice in one generation and withheld.
    const members = [
      member('C0', ['t'], { owned: { t: [0] }, userData: encodeCooperativeStickyUserData(2) }),
      member('C1', ['t'], { owned: { t: [0, 1] }, userData: encodeCooperativeStickyUserData(1) }),
      member('C2', ['t']),
    ];
    expect(readable(assignCooperativeSticky(members, counts({ t: 3 })))).toEqual({ C0: { t: [0] }, C1: { t: [1] }, C2: { t: [2] } });
  });
});

describe('assignorFor', () => {
  it('finds the four assignors by their protocol names, and nothing else', () => {
    expect(assignorFor('range')).toBe(assignRange);
    expect(assignorFor('roundrobin')).toBe(assignRoundRobin);
    expect(assignorFor('sticky')).toBe(assignSticky);
    expect(assignorFor('cooperative-sticky')).toBe(assignCooperativeSticky);
    expect(assignorFor('toString')).toBeUndefined();
    expect(assignorFor('RangeAssignor')).toBeUndefined();
  });

  it('refuses a member listed twice and a partition count that is not a count', () => {
    expect(() => assignRange([member('C0', ['t']), member('C0', ['t'])], counts({ t: 1 }))).toThrow(/listed twice/);
    expect(() => assignSticky([member('C0', ['t'])], counts({ t: -1 }))).toThrow(RangeError);
  });
});
