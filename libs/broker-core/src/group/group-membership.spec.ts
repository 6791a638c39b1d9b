import { afterEach, describe, expect, it } from '@jest/globals';
import { KAFKA_ERRORS as E } from '../errors.js';
import { assignmentOf, CoordinatorHarness, REBALANCE_MS, SESSION_MS, settle, subscriptionOf, type Tracked } from './testing/coordinator-harness.js';

/**
 * The classic rebalance protocol against one broker's coordinator on a mock clock: joins,
 * leader and protocol choice, syncs, heartbeats, session and rebalance timeouts, leaves
 * and static membership, each timeout driven by advancing the clock.
 */
let c: CoordinatorHarness;
afterEach(async () => c.close());

/** The answer of a call, once due timer tasks ran (see CoordinatorHarness.answered). */
async function answer<T>(call: Tracked<T>): Promise<T> {
  return (await c.answered(call))[0];
}

/** Two dynamic members joined and synced: generation 1, `a` leads and gave `b` partition 2. */
async function stableGroupOfTwo(groupId = 'g'): Promise<{ a: string; b: string; generation: number }> {
  const a = await c.joinNew(groupId);
  const b = await c.joinNew(groupId);
  const [ja, jb] = await c.answered(a.joined, b.joined);
  expect([ja.errorCode, jb.errorCode]).toEqual([0, 0]);
  const followerSync = c.sync(groupId, b.memberId, jb.generationId);
  const leaderSync = c.sync(groupId, a.memberId, ja.generationId, new Map([[a.memberId, assignmentOf('t', [0, 1])], [b.memberId, assignmentOf('t', [2])]]));
  await c.answered(followerSync, leaderSync);
  return { a: a.memberId, b: b.memberId, generation: ja.generationId };
}

describe('joining a group', () => {
  it('gives a new v4+ member its id first, then completes the rebalance: generation 1, the first member leads and sees every member', async () => {
    c = await CoordinatorHarness.start();
    const first = await answer(c.join('g'));
    expect(first).toMatchObject({ errorCode: E.MEMBER_ID_REQUIRED.code, generationId: -1 });
    expect(first.memberId).toMatch(/^spec-[0-9a-f-]{36}$/);

    const a = c.join('g', { memberId: first.memberId });
    const b = await c.joinNew('g');
    const [ja, jb] = await c.answered(a, b.joined);
    expect(ja).toMatchObject({ errorCode: 0, generationId: 1, protocolType: 'consumer', protocolName: 'range', leaderId: first.memberId });
    expect(ja.members.map((m) => m.memberId).sort()).toEqual([first.memberId, b.memberId].sort());
    expect(jb).toMatchObject({ errorCode: 0, generationId: 1, leaderId: first.memberId, members: [] });
    expect(c.groups.describeGroup('g')).toMatchObject({ state: 'CompletingRebalance', protocol: '' });
  });

  it('waits group.initial.rebalance.delay.ms for more members, longer each time one joins', async () => {
    c = await CoordinatorHarness.start({ groupInitialRebalanceDelayMs: 3000 });
    const a = await c.joinNew('g');
    await c.advance(2000);
    const b = await c.joinNew('g'); // joins during the first delay: one more delay follows
    await c.advance(1000);
    expect(a.joined.done).toBe(false);
    await c.advance(2000);
    expect(a.joined.done).toBe(false);
    await c.advance(1000);
    expect(a.joined.value).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(b.joined.value).toMatchObject({ errorCode: 0, generationId: 1 });
  });

  it('joins v0-v3 members at once (no MEMBER_ID_REQUIRED) and chooses the protocol every member supports by vote', async () => {
    c = await CoordinatorHarness.start();
    const meta = subscriptionOf(['t']);
    const a = c.join('g', { requireKnownMemberId: false, protocols: [{ name: 'range', metadata: meta }, { name: 'roundrobin', metadata: meta }] });
    const b = c.join('g', { requireKnownMemberId: false, protocols: [{ name: 'roundrobin', metadata: meta }, { name: 'range', metadata: meta }] });
    const d = c.join('g', { requireKnownMemberId: false, protocols: [{ name: 'roundrobin', metadata: meta }] });
    const results = await c.answered(a, b, d);
    expect(results.map((r) => [r.errorCode, r.protocolName])).toEqual([[0, 'roundrobin'], [0, 'roundrobin'], [0, 'roundrobin']]);
  });

  it('refuses a member without a protocol in common or of another protocol type (INCONSISTENT_GROUP_PROTOCOL)', async () => {
    c = await CoordinatorHarness.start();
    await stableGroupOfTwo();
    expect((await answer(c.join('g', { protocols: [{ name: 'sticky', metadata: subscriptionOf(['t']) }] }))).errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL.code);
    expect((await answer(c.join('g', { protocolType: 'connect' }))).errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL.code);
    expect((await answer(c.join('h', { protocols: [] }))).errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL.code);
  });

  it('checks the session timeout bounds, the group id, and that a member id names a member', async () => {
    c = await CoordinatorHarness.start({ groupMinSessionTimeoutMs: 6000, groupMaxSessionTimeoutMs: 60_000 });
    expect((await answer(c.join('g', { sessionTimeoutMs: 5999 }))).errorCode).toBe(E.INVALID_SESSION_TIMEOUT.code);
    expect((await answer(c.join('g', { sessionTimeoutMs: 60_001 }))).errorCode).toBe(E.INVALID_SESSION_TIMEOUT.code);
    expect((await answer(c.join(''))).errorCode).toBe(E.INVALID_GROUP_ID.code);
    expect((await answer(c.join('g', { memberId: 'nobody' }))).errorCode).toBe(E.UNKNOWN_MEMBER_ID.code);
  });

  it('answers a rejoin with unchanged metadata with the current generation, and a leader rejoin starts a rebalance', async () => {
    c = await CoordinatorHarness.start();
    const { a, b, generation } = await stableGroupOfTwo();
    const followerAgain = await answer(c.join('g', { memberId: b }));
    expect(followerAgain).toMatchObject({ errorCode: 0, generationId: generation, leaderId: a, members: [] });
    expect(c.groups.describeGroup('g').state).toBe('Stable');
    const leaderAgain = c.join('g', { memberId: a });
    await settle();
    expect(c.groups.describeGroup('g').state).toBe('PreparingRebalance');
    expect(c.heartbeat('g', b, generation)).toBe(E.REBALANCE_IN_PROGRESS.code);
    const bRejoin = c.join('g', { memberId: b });
    const [ra, rb] = await c.answered(leaderAgain, bRejoin);
    expect([ra.generationId, rb.generationId]).toEqual([generation + 1, generation + 1]);
  });
});

describe('syncing', () => {
  it('parks followers until the leader sends the assignment, stores it, then answers each member its part: Stable', async () => {
    c = await CoordinatorHarness.start();
    const a = await c.joinNew('g');
    const b = await c.joinNew('g');
    const [ja] = await c.answered(a.joined, b.joined);
    const follower = c.sync('g', b.memberId, ja.generationId);
    await c.advance(1000);
    expect(follower.done).toBe(false);
    const leader = c.sync('g', a.memberId, ja.generationId, new Map([[a.memberId, assignmentOf('t', [0, 1])], [b.memberId, assignmentOf('t', [2])]]));
    const [sf, sl] = await c.answered(follower, leader);
    expect(sf).toMatchObject({ errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment: assignmentOf('t', [2]) });
    expect(sl.assignment).toEqual(assignmentOf('t', [0, 1]));
    const described = c.groups.describeGroup('g');
    expect(described).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'range' });
    expect(described.members.find((m) => m.memberId === b.memberId)?.assignment).toEqual(assignmentOf('t', [2]));
    // In a Stable group a SyncGroup gets the stored assignment at once.
    expect((await answer(c.sync('g', b.memberId, ja.generationId))).assignment).toEqual(assignmentOf('t', [2]));
  });

  it('refuses a wrong generation, an unknown member and a rebalance in progress', async () => {
    c = await CoordinatorHarness.start();
    const { a, generation } = await stableGroupOfTwo();
    expect((await answer(c.sync('g', a, generation + 1))).errorCode).toBe(E.ILLEGAL_GENERATION.code);
    expect((await answer(c.sync('g', 'nobody', generation))).errorCode).toBe(E.UNKNOWN_MEMBER_ID.code);
    c.join('g', { memberId: a });
    await settle();
    expect((await answer(c.sync('g', a, generation))).errorCode).toBe(E.REBALANCE_IN_PROGRESS.code);
  });

  it('removes members that do not sync within the rebalance timeout and rebalances without them', async () => {
    c = await CoordinatorHarness.start();
    const a = await c.joinNew('g');
    const b = await c.joinNew('g');
    const [ja] = await c.answered(a.joined, b.joined);
    await answer(c.sync('g', a.memberId, ja.generationId, new Map([[a.memberId, assignmentOf('t', [0, 1, 2])]])));
    // b never syncs (nor heartbeats); a heartbeats. Once the rebalance timeout passes, b is removed.
    for (let t = 0; t < REBALANCE_MS; t += SESSION_MS / 2) {
      await c.advance(SESSION_MS / 2);
      c.heartbeat('g', a.memberId, ja.generationId);
    }
    await c.advance(1000);
    expect(c.groups.describeGroup('g').members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect(c.heartbeat('g', a.memberId, ja.generationId)).toBe(E.REBALANCE_IN_PROGRESS.code);
  });
});

describe('sessions', () => {
  it('answers heartbeats by state, generation and member', async () => {
    c = await CoordinatorHarness.start();
    const { a, generation } = await stableGroupOfTwo();
    expect(c.heartbeat('g', a, generation)).toBe(0);
    expect(c.heartbeat('g', a, generation - 1)).toBe(E.ILLEGAL_GENERATION.code);
    expect(c.heartbeat('g', 'nobody', generation)).toBe(E.UNKNOWN_MEMBER_ID.code);
    expect(c.heartbeat('nope', a, generation)).toBe(E.UNKNOWN_MEMBER_ID.code);
  });

  it('removes a member whose session expires and rebalances the rest; heartbeats keep the others', async () => {
    c = await CoordinatorHarness.start();
    const { a, b, generation } = await stableGroupOfTwo();
    for (let i = 0; i < 3; i++) {
      await c.advance(SESSION_MS / 2);
      expect([0, E.REBALANCE_IN_PROGRESS.code]).toContain(c.heartbeat('g', a, generation));
    }
    // b has not heartbeaten for 1.5 sessions: it is gone, and a hears of the rebalance.
    expect(c.heartbeat('g', b, generation)).toBe(E.UNKNOWN_MEMBER_ID.code);
    expect(c.heartbeat('g', a, generation)).toBe(E.REBALANCE_IN_PROGRESS.code);
    const rejoined = await answer(c.join('g', { memberId: a }));
    expect(rejoined).toMatchObject({ errorCode: 0, generationId: generation + 1, leaderId: a });
    expect(rejoined.members.map((m) => m.memberId)).toEqual([a]);
  });

  it('drops members that do not rejoin within the rebalance timeout', async () => {
    c = await CoordinatorHarness.start();
    const { a, b, generation } = await stableGroupOfTwo();
    const rejoin = c.join('g', { memberId: a });
    // b keeps heartbeating (REBALANCE_IN_PROGRESS) but never rejoins.
    for (let t = 5000; t < REBALANCE_MS; t += 5000) {
      await c.advance(5000);
      expect(c.heartbeat('g', b, generation)).toBe(E.REBALANCE_IN_PROGRESS.code);
    }
    await c.advance(5000);
    expect(await answer(rejoin)).toMatchObject({ errorCode: 0, generationId: generation + 1, members: [expect.objectContaining({ memberId: a })] });
    expect(c.heartbeat('g', b, generation)).toBe(E.UNKNOWN_MEMBER_ID.code);
  });

  it('forgets an id handed out with MEMBER_ID_REQUIRED unless it joins within its session timeout', async () => {
    c = await CoordinatorHarness.start();
    const pending = await answer(c.join('g'));
    await c.advance(SESSION_MS + 1000);
    expect((await answer(c.join('g', { memberId: pending.memberId }))).errorCode).toBe(E.UNKNOWN_MEMBER_ID.code);
  });
});

describe('leaving', () => {
  it('removes members at once (v3+ batches, static members by instance id alone) and empties the group', async () => {
    c = await CoordinatorHarness.start();
    // The static member's session outlasts a rebalance timeout, as static members' sessions usually do.
    const s = c.join('g', { groupInstanceId: 'instance-1', sessionTimeoutMs: 2 * REBALANCE_MS });
    const d = await c.joinNew('g');
    const [js] = await c.answered(s, d.joined);
    const left = c.groups.leaveGroup('g', [
      { memberId: d.memberId, groupInstanceId: null, reason: 'bye' },
      { memberId: '', groupInstanceId: 'instance-1', reason: null },
      { memberId: 'nobody', groupInstanceId: null, reason: null },
    ]);
    expect(left).toEqual({ errorCode: 0, members: [
      { memberId: d.memberId, groupInstanceId: null, errorCode: 0 },
      { memberId: '', groupInstanceId: 'instance-1', errorCode: 0 },
      { memberId: 'nobody', groupInstanceId: null, errorCode: E.UNKNOWN_MEMBER_ID.code },
    ] });
    expect(c.heartbeat('g', js.memberId, js.generationId, 'instance-1')).toBe(E.UNKNOWN_MEMBER_ID.code);
    await c.answered();
    expect(c.groups.describeGroup('g')).toMatchObject({ state: 'Empty', members: [] });
  });
});

describe('static membership', () => {
  async function stableStaticPair(): Promise<{ s: string; d: string; generation: number }> {
    // The static member's session outlasts a rebalance timeout, as static members' sessions usually do.
    const s = c.join('g', { groupInstanceId: 'instance-1', sessionTimeoutMs: 2 * REBALANCE_MS });
    const d = await c.joinNew('g');
    const [js, jd] = await c.answered(s, d.joined);
    expect(js.leaderId).toBe(js.memberId);
    const assignments = new Map([[js.memberId, assignmentOf('t', [0, 1])], [d.memberId, assignmentOf('t', [2])]]);
    await c.answered(c.sync('g', d.memberId, jd.generationId), c.sync('g', js.memberId, js.generationId, assignments, 'instance-1'));
    return { s: js.memberId, d: d.memberId, generation: js.generationId };
  }

  it('lets a restarted static member take its place under a new id without a rebalance; the old id is fenced', async () => {
    c = await CoordinatorHarness.start();
    const { s, generation } = await stableStaticPair();
    const again = await answer(c.join('g', { groupInstanceId: 'instance-1' }));
    expect(again.errorCode).toBe(0);
    expect(again.memberId).not.toBe(s);
    expect(again.generationId).toBe(generation);
    // Before v9 the restarted leader is told the old leader id, so it does not assign.
    expect(again.leaderId).toBe(s);
    expect(again.members).toEqual([]);
    expect(c.groups.describeGroup('g').state).toBe('Stable');
    expect(c.heartbeat('g', s, generation, 'instance-1')).toBe(E.FENCED_INSTANCE_ID.code);
    expect(c.heartbeat('g', again.memberId, generation, 'instance-1')).toBe(0);
    expect((await answer(c.sync('g', again.memberId, generation, new Map(), 'instance-1'))).assignment).toEqual(assignmentOf('t', [0, 1]));
  });

  it('tells a v9 static leader it leads but to skip the assignment', async () => {
    c = await CoordinatorHarness.start();
    await stableStaticPair();
    const again = await answer(c.join('g', { groupInstanceId: 'instance-1', supportSkippingAssignment: true }));
    expect(again).toMatchObject({ errorCode: 0, leaderId: again.memberId, skipAssignment: true });
    expect(again.members).toHaveLength(2);
  });

  it('rebalances when a static member comes back with protocols that change the group choice', async () => {
    c = await CoordinatorHarness.start();
    await stableStaticPair();
    const meta = subscriptionOf(['t']);
    const both = [{ name: 'roundrobin', metadata: meta }, { name: 'range', metadata: meta }];
    await answer(c.join('g', { groupInstanceId: 'instance-1', protocols: both }));
    // The other member still only offers range, so range stays the choice: no rebalance.
    expect(c.groups.describeGroup('g').state).toBe('Stable');
    const alone = await answer(c.join('h', { groupInstanceId: 'solo' }));
    await answer(c.sync('h', alone.memberId, alone.generationId, new Map(), 'solo'));
    // A member alone moves the choice (it votes for its first protocol): a new generation, at once since it is all there is.
    const moved = await answer(c.join('h', { groupInstanceId: 'solo', protocols: both }));
    expect(moved).toMatchObject({ errorCode: 0, generationId: alone.generationId + 1, protocolName: 'roundrobin', leaderId: moved.memberId });
    expect(c.groups.describeGroup('h').state).toBe('CompletingRebalance');
  });

  it('keeps a static member that does not rejoin in the next generation (a dynamic one would be dropped)', async () => {
    c = await CoordinatorHarness.start();
    const { s, d, generation } = await stableStaticPair();
    // A changed subscription starts a rebalance; the static member does not rejoin it.
    const rejoin = c.join('g', { memberId: d, protocols: [{ name: 'range', metadata: subscriptionOf(['t', 'u']) }] });
    await c.advance(REBALANCE_MS - 1000);
    expect(rejoin.done).toBe(false);
    await c.advance(1000);
    const next = await answer(rejoin);
    expect(next.generationId).toBe(generation + 1);
    expect(next.members.map((m) => m.memberId).sort()).toEqual([s, d].sort());
  });
});
