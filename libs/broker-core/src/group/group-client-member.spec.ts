import { afterEach, describe, expect, it } from '@jest/globals';
import { GroupClientMember } from './group-client-member.js';
import type { TopicPartitions } from './consumer-protocol.js';
import { CoordinatorHarness, settle } from './testing/coordinator-harness.js';

/**
 * GroupClientMember (the member the server runs for a REST consumer) against a real
 * coordinator on a mock clock: joins and the leader's server-side assignment, heartbeats
 * keeping it alive past the session timeout, rejoins when the group rebalances, a new
 * member id after the coordinator forgot it, and leaving.
 */
const SESSION_MS = 10_000;
const HEARTBEAT_MS = 3_000;
let c: CoordinatorHarness;

afterEach(async () => c?.close());

function member(groupId: string, assignors: string[] = ['range']): GroupClientMember & { seen: TopicPartitions[][] } {
  const seen: TopicPartitions[][] = [];
  const m = new GroupClientMember({
    groupId, clientId: 'rest', clientHost: '/127.0.0.1', assignors, sessionTimeoutMs: SESSION_MS, rebalanceTimeoutMs: 30_000,
    heartbeatIntervalMs: HEARTBEAT_MS, retryBackoffMs: 100, scheduler: c.h.timer,
    calls: {
      joinConsumerGroup: (input) => c.groups.joinGroup(input),
      syncConsumerGroup: (input) => c.groups.syncGroup(input),
      heartbeatConsumerGroup: (input) => Promise.resolve(c.groups.heartbeat(input)),
      leaveConsumerGroup: (groupId, members) => Promise.resolve(c.groups.leaveGroup(groupId, members)),
    },
    partitionCounts: (topics) => new Map(topics.filter((t) => t === 't').map((t) => [t, 3])),
    onAssignment: (partitions) => void seen.push(partitions),
  });
  return Object.assign(m, { seen });
}

/** Moves the mock clock in small steps until `done` holds (bounded). */
async function until(what: string, done: () => boolean, stepMs = 100, maxMs = 120_000): Promise<void> {
  for (let t = 0; !done(); t += stepMs) {
    if (t > maxMs) throw new Error(`not within ${maxMs} ms of mock time: ${what}`);
    c.time.advance(stepMs);
    await settle();
  }
}

const owned = (m: GroupClientMember) => m.assignment.flatMap((t) => t.partitions.map((p) => `${t.topic}-${p}`)).sort();
const members = (groupId: string) => c.groups.describeGroup(groupId).members.length;

describe('GroupClientMember', () => {
  it('joins, and the leader splits the topic over the members with the chosen assignor', async () => {
    c = await CoordinatorHarness.start();
    const a = member('g');
    const b = member('g');
    void a.subscribe(['t']);
    void b.subscribe(['t']);
    await until('both stable with assignments', () => a.phase === 'stable' && b.phase === 'stable' && a.generationId === b.generationId && owned(a).length + owned(b).length === 3);
    expect(a.protocol).toBe('range');
    expect([...owned(a), ...owned(b)].sort()).toEqual(['t-0', 't-1', 't-2']);
    expect(owned(a).filter((p) => owned(b).includes(p))).toEqual([]);
    expect(c.groups.describeGroup('g')).toMatchObject({ state: 'Stable', protocol: 'range' });
  });

  it('keeps its membership by heartbeating past the session timeout', async () => {
    c = await CoordinatorHarness.start();
    const a = member('hb');
    void a.subscribe(['t']);
    await until('stable', () => a.phase === 'stable');
    const generation = a.generationId;
    await c.advance(3 * SESSION_MS, 500);
    expect(members('hb')).toBe(1);
    expect(a.generationId).toBe(generation);
    expect(owned(a)).toEqual(['t-0', 't-1', 't-2']);
  });

  it('rejoins when another member makes the group rebalance, and the partitions are split again', async () => {
    c = await CoordinatorHarness.start();
    const a = member('re');
    void a.subscribe(['t']);
    await until('the first member stable with everything', () => a.phase === 'stable' && owned(a).length === 3);
    const b = member('re');
    void b.subscribe(['t']);
    await until('both stable in the next generation', () => b.phase === 'stable' && a.phase === 'stable' && a.generationId === b.generationId && owned(a).length + owned(b).length === 3 && owned(b).length > 0);
    expect(owned(a).filter((p) => owned(b).includes(p))).toEqual([]);
    // Eager protocol: the first member gave everything up before rejoining.
    expect(a.seen.some((assignment) => assignment.length === 0)).toBe(true);
  });

  it('joins again as a new member when the coordinator no longer knows its id', async () => {
    c = await CoordinatorHarness.start();
    const a = member('forgotten');
    void a.subscribe(['t']);
    await until('stable', () => a.phase === 'stable');
    const firstId = a.memberId;
    c.groups.leaveGroup('forgotten', [{ memberId: firstId, groupInstanceId: null, reason: 'removed by the spec' }]);
    await until('a new member id, stable again', () => a.phase === 'stable' && a.memberId !== firstId && owned(a).length === 3);
    expect(members('forgotten')).toBe(1);
  });

  it('leaves the group, and the remaining member takes every partition', async () => {
    c = await CoordinatorHarness.start();
    const a = member('bye');
    const b = member('bye');
    void a.subscribe(['t']);
    void b.subscribe(['t']);
    await until('both stable', () => a.phase === 'stable' && b.phase === 'stable' && owned(a).length + owned(b).length === 3 && a.generationId === b.generationId);
    const leaving = a.leave('done');
    await until('left', () => a.phase === 'closed');
    await leaving;
    await until('the other member has everything', () => b.phase === 'stable' && owned(b).length === 3);
    expect(members('bye')).toBe(1);
  });
});
