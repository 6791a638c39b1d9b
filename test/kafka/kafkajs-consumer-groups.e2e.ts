import kafkajs, { type Admin, type Consumer, type Kafka, type Producer } from 'kafkajs';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { kafkaClient } from '../support/kafkajs.js';
import { GroupMemberProcess } from './group-member-process.js';

/**
 * Consumer groups through the Kafka protocol with kafkajs: five members joining, leaving
 * and one killed (a separate process, SIGKILLed, expired by its session timeout) in a group
 * that shares a topic (every record consumed, no partition owned by two members at once,
 * as the members' own GROUP_JOIN and REBALANCING events tell it), committed offsets
 * surviving a gateway restart, and the admin side (describe, list, offsets, delete).
 */
const TOPIC = 'events';
const PARTITIONS = 6;
/** The killed member's session: the coordinator expires it this long after its last heartbeat. */
const KILLED_SESSION_TIMEOUT_MS = 6000;

/** Who owned what when: kafkajs's events, in the order this process saw them. */
type TimelineEntry =
  | { readonly seq: number; readonly member: string; readonly kind: 'join'; readonly partitions: readonly number[] }
  | { readonly seq: number; readonly member: string; readonly kind: 'release' };

interface Ownership {
  readonly member: string;
  readonly partitions: readonly number[];
  readonly from: number;
  readonly to: number;
}

/**
 * Each member owns its GROUP_JOIN assignment until its next event (a rebalance, another
 * join, a stop, or the test asking it to leave). Returns the intervals.
 */
function ownerships(timeline: readonly TimelineEntry[], endSeq: number): Ownership[] {
  const out: Ownership[] = [];
  const open = new Map<string, { partitions: readonly number[]; from: number }>();
  for (const e of timeline) {
    const current = open.get(e.member);
    if (current !== undefined) out.push({ member: e.member, partitions: current.partitions, from: current.from, to: e.seq });
    open.delete(e.member);
    if (e.kind === 'join') open.set(e.member, { partitions: e.partitions, from: e.seq });
  }
  for (const [member, o] of open) out.push({ member, partitions: o.partitions, from: o.from, to: endSeq });
  return out;
}

/** Pairs of different members' ownerships that overlap in time and share a partition. */
function doubleOwnership(intervals: readonly Ownership[]): string[] {
  const found: string[] = [];
  for (const a of intervals) {
    for (const b of intervals) {
      if (a.member >= b.member || a.from >= b.to || b.from >= a.to) continue;
      const shared = a.partitions.filter((p) => b.partitions.includes(p));
      if (shared.length > 0) found.push(`${a.member} [${a.from},${a.to}) and ${b.member} [${b.from},${b.to}) both own ${shared.join(',')}`);
    }
  }
  return found;
}

async function until(what: string, condition: () => boolean | Promise<boolean>, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('kafkajs consumer groups over the Kafka protocol', () => {
  let gw: TestGateway;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const consumers: Consumer[] = [];
  const processes: GroupMemberProcess[] = [];

  /** Connects clients to the gateway's current listener (a new port after a restart). */
  async function connect(): Promise<void> {
    kafka = kafkaClient(gw.bootstrap, { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 });
    admin = kafka.admin();
    producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
    await admin.connect();
    await producer.connect();
  }

  async function disconnect(): Promise<void> {
    for (const p of processes.splice(0)) await p.kill();
    for (const c of consumers.splice(0)) await c.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
  }

  beforeAll(async () => {
    // A short initial delay: members starting one after another still join separately.
    gw = await startTestGateway({ env: { WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS: '300' } });
    await connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  }, 60_000);

  afterAll(async () => {
    await disconnect();
    await gw?.close();
  }, 30_000);

  let produced = 0;
  async function produce(count: number, topic = TOPIC): Promise<string[]> {
    const values = Array.from({ length: count }, (_, i) => `record-${produced + i}`);
    produced += count;
    await producer.send({ topic, messages: values.map((value) => ({ key: value, value })) });
    return values;
  }

  function member(groupId: string, name: string, timeline: TimelineEntry[], seen: Map<string, number>, seq: { next: number }): Consumer {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, rebalanceTimeout: 10_000, heartbeatInterval: 200, retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 } });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      timeline.push({ seq: seq.next++, member: name, kind: 'join', partitions: [...(e.payload.memberAssignment[TOPIC] ?? [])].sort((a, b) => a - b) });
    });
    for (const event of [consumer.events.REBALANCING, consumer.events.STOP, consumer.events.CRASH]) {
      consumer.on(event, () => timeline.push({ seq: seq.next++, member: name, kind: 'release' }));
    }
    consumers.push(consumer);
    void consumer.connect()
      .then(() => consumer.subscribe({ topic: TOPIC, fromBeginning: true }))
      .then(() => consumer.run({ eachMessage: async ({ message }) => void seen.set(message.value!.toString(), (seen.get(message.value!.toString()) ?? 0) + 1) }));
    return consumer;
  }

  /** The latest assignment of each running member, from the timeline. */
  function current(timeline: readonly TimelineEntry[], running: readonly string[]): Map<string, readonly number[]> {
    const latest = new Map<string, readonly number[]>();
    for (const e of timeline) {
      if (e.kind === 'join') latest.set(e.member, e.partitions);
      else latest.delete(e.member);
    }
    for (const name of [...latest.keys()]) if (!running.includes(name)) latest.delete(name);
    return latest;
  }

  /** A member in its own process, folded into the same timeline and `seen` map as the others. */
  function memberProcess(groupId: string, name: string, timeline: TimelineEntry[], seen: Map<string, number>, seq: { next: number }): GroupMemberProcess {
    const proc = GroupMemberProcess.start(gw.bootstrap, groupId, TOPIC, KILLED_SESSION_TIMEOUT_MS, (e) => {
      if (e.kind === 'record') seen.set(e.value, (seen.get(e.value) ?? 0) + 1);
      else timeline.push(e.kind === 'join' ? { seq: seq.next++, member: name, kind: 'join', partitions: e.partitions } : { seq: seq.next++, member: name, kind: 'release' });
    });
    processes.push(proc);
    return proc;
  }

  /**
   * Every partition owned by exactly one of the running members, each owning at least one
   * and their counts differing by at most one (the range assignor's balance).
   */
  function settled(timeline: readonly TimelineEntry[], running: readonly string[]): boolean {
    const owned = current(timeline, running);
    const counts = [...owned.values()].map((p) => p.length);
    if (owned.size !== running.length || counts.some((n) => n === 0) || Math.max(...counts) - Math.min(...counts) > 1) return false;
    return [...owned.values()].flat().sort((a, b) => a - b).join() === Array.from({ length: PARTITIONS }, (_, i) => i).join();
  }

  it('shares a topic among five members that join, leave and are killed: every record consumed, no partition owned by two members at once', async () => {
    const timeline: TimelineEntry[] = [];
    const seen = new Map<string, number>();
    const seq = { next: 0 };
    const expected = new Set<string>();
    const add = (values: string[]): void => values.forEach((v) => expected.add(v));

    add(await produce(120));
    const a = member('shared', 'a', timeline, seen, seq);
    await until('a alone to own every partition', () => settled(timeline, ['a']));
    add(await produce(120));
    member('shared', 'b', timeline, seen, seq);
    await until('a and b to share the partitions', () => settled(timeline, ['a', 'b']));
    add(await produce(120));
    member('shared', 'c', timeline, seen, seq);
    await until('a, b and c to share the partitions', () => settled(timeline, ['a', 'b', 'c']));
    expect([...current(timeline, ['a', 'b', 'c']).values()].map((p) => p.length)).toEqual([2, 2, 2]);
    add(await produce(120));
    // d runs in its own process, with a short session, so that it can be killed below.
    const d = memberProcess('shared', 'd', timeline, seen, seq);
    await until('a, b, c and d to share the partitions', () => settled(timeline, ['a', 'b', 'c', 'd']), 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; d's stderr: ${d.stderr}`);
    });
    add(await produce(120));
    member('shared', 'e', timeline, seen, seq);
    await until('five members to share the partitions', () => settled(timeline, ['a', 'b', 'c', 'd', 'e']));
    add(await produce(120));

    // a leaves: its ownership ends when it is asked to (it stops fetching, then sends LeaveGroup).
    timeline.push({ seq: seq.next++, member: 'a', kind: 'release' });
    consumers.splice(consumers.indexOf(a), 1);
    await a.disconnect();
    await until('b, c, d and e to take over a\'s partitions', () => settled(timeline, ['b', 'c', 'd', 'e']));
    add(await produce(120));

    // d is killed: no LeaveGroup, so its partitions stay unowned until its session expires.
    await until('d to consume its share', () => [...expected].every((v) => seen.has(v)));
    timeline.push({ seq: seq.next++, member: 'd', kind: 'release' });
    processes.splice(processes.indexOf(d), 1);
    await d.kill();
    add(await produce(120));
    const killedAtMs = Date.now();
    await until('b, c and e to take over d\'s partitions', () => settled(timeline, ['b', 'c', 'e']), 30_000);
    // Taken over by the session's expiry, not by anything d did.
    expect(Date.now() - killedAtMs).toBeGreaterThanOrEqual(KILLED_SESSION_TIMEOUT_MS - 2000);
    expect([...current(timeline, ['b', 'c', 'e']).values()].map((p) => p.length)).toEqual([2, 2, 2]);
    add(await produce(120));

    await until('every record consumed', () => [...expected].every((v) => seen.has(v)), 30_000);
    expect(doubleOwnership(ownerships(timeline, seq.next))).toEqual([]);
    expect(new Set(timeline.filter((e) => e.kind === 'join').map((e) => e.member))).toEqual(new Set(['a', 'b', 'c', 'd', 'e']));
    expect(timeline.filter((e) => e.kind === 'join').length).toBeGreaterThanOrEqual(15);

    // The group's committed offsets reach the end of every partition once the members stop.
    for (const c of consumers.splice(0)) await c.disconnect();
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const committed = await admin.fetchOffsets({ groupId: 'shared', topics: [TOPIC] });
    expect(committed[0]!.partitions.map((p) => [p.partition, p.offset]).sort((x, y) => x[0]! > y[0]! ? 1 : -1))
      .toEqual(ends.map((e) => [e.partition, e.high]).sort((x, y) => x[0]! > y[0]! ? 1 : -1));
    const [described] = (await admin.describeGroups(['shared'])).groups;
    expect(described).toMatchObject({ groupId: 'shared', state: 'Empty', protocolType: 'consumer', members: [] });
  }, 120_000);

  it('keeps committed offsets across a gateway restart: a member of the group resumes after them', async () => {
    const seen = new Map<string, number>();
    const before = new Set(await produce(60));
    member('resume', 'first', [], seen, { next: 0 });
    await until('the first member to consume everything so far', () => [...before].every((v) => seen.has(v)));
    for (const c of consumers.splice(0)) await c.disconnect();
    const committed = await admin.fetchOffsets({ groupId: 'resume', topics: [TOPIC] });

    await disconnect();
    await gw.restart();
    await connect();
    expect(await admin.fetchOffsets({ groupId: 'resume', topics: [TOPIC] })).toEqual(committed);
    expect((await admin.listGroups()).groups).toEqual(expect.arrayContaining([{ groupId: 'resume', protocolType: 'consumer' }, { groupId: 'shared', protocolType: 'consumer' }]));

    const after = await produce(60);
    const seenAfter = new Map<string, number>();
    member('resume', 'second', [], seenAfter, { next: 0 });
    await until('the second member to consume the new records', () => after.every((v) => seenAfter.has(v)));
    // It started at the committed offsets: nothing consumed before the restart comes again.
    expect([...seenAfter.keys()].filter((v) => before.has(v))).toEqual([]);
  }, 120_000);

  it('describes, lists, sets, resets and deletes groups through kafkajs admin', async () => {
    await admin.setOffsets({ groupId: 'tool', topic: TOPIC, partitions: [{ partition: 0, offset: '5' }, { partition: 1, offset: '7' }] });
    const fetched = await admin.fetchOffsets({ groupId: 'tool', topics: [TOPIC] });
    expect(fetched[0]!.partitions.filter((p) => p.offset !== '-1').map((p) => [p.partition, p.offset])).toEqual([[0, '5'], [1, '7']]);
    expect((await admin.describeGroups(['tool', 'never-seen'])).groups).toMatchObject([
      // kafkajs sets offsets by joining the group as a consumer and committing.
      { groupId: 'tool', state: 'Empty', protocolType: 'consumer', members: [] },
      { groupId: 'never-seen', state: 'Dead', members: [] },
    ]);
    // kafkajs commits -2 ("earliest") as it is, and Kafka stores what is committed: its consumers resolve it.
    await admin.resetOffsets({ groupId: 'tool', topic: TOPIC, earliest: true });
    expect((await admin.fetchOffsets({ groupId: 'tool', topics: [TOPIC] }))[0]!.partitions.map((p) => p.offset)).toEqual(Array(PARTITIONS).fill('-2'));
    await admin.deleteGroups(['tool']);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('tool');
    expect((await admin.fetchOffsets({ groupId: 'tool', topics: [TOPIC] }))[0]!.partitions.every((p) => p.offset === '-1')).toBe(true);
  }, 60_000);
});
