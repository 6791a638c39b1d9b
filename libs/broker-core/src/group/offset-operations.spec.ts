import { afterEach, describe, expect, it } from '@jest/globals';
import { KAFKA_ERRORS as E } from '../errors.js';
import { encodeRecordBatch } from '../log/batch/record-batch-encoder.js';
import { CONSUMER_OFFSETS_TOPIC, decodeConsumerOffsetsRecord } from './consumer-offsets-record.js';
import { partitionForGroup } from './partition-for-group.js';
import type { OffsetCommitEntry, OffsetCommitInput } from './group-results.js';
import { assignmentOf, CoordinatorHarness, SESSION_MS, type Tracked } from './testing/coordinator-harness.js';

/**
 * Offsets through one broker's coordinator on a mock clock: commits checked against the
 * group, fetches, OffsetDelete, DeleteGroups, expiration, and what a restart reads back
 * from `__consumer_offsets` (offsets, group metadata, tombstones), loaded in slices.
 */
let c: CoordinatorHarness;
afterEach(async () => c.close());

async function answer<T>(call: Tracked<T>): Promise<T> {
  return (await c.answered(call))[0];
}

const HOUR_MS = 60 * 60_000;
/** group.max.session.timeout.ms: a member that heartbeats rarely, for the hours-long specs. */
const LONG_SESSION_MS = 30 * 60_000;

function offset(partition: number, value: bigint, fields: Partial<OffsetCommitEntry> = {}): OffsetCommitEntry {
  return { topic: 't', partition, offset: value, leaderEpoch: -1, metadata: null, commitTimestampMs: -1, ...fields };
}

function commit(groupId: string, offsets: OffsetCommitEntry[], fields: Partial<OffsetCommitInput> = {}): Promise<number[]> {
  return c.groups.commitOffsets({ groupId, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, offsets, ...fields })
    .then((results) => results.map((r) => r.errorCode));
}

function fetched(groupId: string, partitions: { topic: string; partition: number }[] | null = null): [string, number, bigint, number][] {
  const result = c.groups.fetchOffsets(groupId, partitions, false);
  expect(result.errorCode).toBe(0);
  return result.offsets.map((o) => [o.topic, o.partition, o.offset, o.errorCode]);
}

/** One consumer member joined and synced (generation 1, subscribed to `t`). */
async function stableMember(groupId: string, sessionTimeoutMs = SESSION_MS): Promise<{ memberId: string; generation: number }> {
  const m = await c.joinNew(groupId, { sessionTimeoutMs });
  const joined = await answer(m.joined);
  await answer(c.sync(groupId, m.memberId, joined.generationId, new Map([[m.memberId, assignmentOf('t', [0, 1, 2])]])));
  return { memberId: m.memberId, generation: joined.generationId };
}

describe('committing and fetching offsets', () => {
  it('accepts commits outside group management into a group it creates, and fetches them back', async () => {
    c = await CoordinatorHarness.start();
    expect(await commit('simple', [offset(0, 5n, { metadata: 'm', leaderEpoch: 3 }), offset(1, 7n)])).toEqual([0, 0]);
    expect(c.groups.fetchOffsets('simple', [{ topic: 't', partition: 0 }], false).offsets[0]).toEqual({ topic: 't', partition: 0, offset: 5n, leaderEpoch: 3, metadata: 'm', errorCode: 0 });
    expect(fetched('simple')).toEqual([['t', 0, 5n, 0], ['t', 1, 7n, 0]]);
    expect(fetched('simple', [{ topic: 't', partition: 2 }, { topic: 'nope', partition: 0 }])).toEqual([['t', 2, -1n, 0], ['nope', 0, -1n, 0]]);
    expect(fetched('unknown-group', [{ topic: 't', partition: 0 }])).toEqual([['t', 0, -1n, 0]]);
    expect(c.groups.describeGroup('simple')).toMatchObject({ state: 'Empty', protocolType: '', members: [] });
    expect(c.groups.listGroups([]).groups).toEqual([{ groupId: 'simple', protocolType: '', state: 'Empty', transactional: false }]);
  });

  it('refuses partitions that do not exist and metadata over offset.metadata.max.bytes, per partition', async () => {
    c = await CoordinatorHarness.start({ offsetMetadataMaxBytes: 10 });
    const codes = await commit('g', [offset(0, 1n), offset(9, 1n), offset(1, 1n, { metadata: 'x'.repeat(11) }), { ...offset(0, 1n), topic: 'nope' }]);
    expect(codes).toEqual([0, E.UNKNOWN_TOPIC_OR_PARTITION.code, E.OFFSET_METADATA_TOO_LARGE.code, E.UNKNOWN_TOPIC_OR_PARTITION.code]);
  });

  it("checks a member's commit against the group: generation, member id, rebalance state", async () => {
    c = await CoordinatorHarness.start();
    expect(await commit('g', [offset(0, 1n)], { generationId: 3, memberId: 'm' })).toEqual([E.ILLEGAL_GENERATION.code]);
    const { memberId, generation } = await stableMember('g');
    expect(await commit('g', [offset(0, 10n)], { generationId: generation, memberId })).toEqual([0]);
    expect(await commit('g', [offset(0, 11n)], { generationId: generation + 1, memberId })).toEqual([E.ILLEGAL_GENERATION.code]);
    expect(await commit('g', [offset(0, 12n)], { generationId: generation, memberId: 'other' })).toEqual([E.UNKNOWN_MEMBER_ID.code]);
    expect(await commit('g', [offset(0, 13n)])).toEqual([E.UNKNOWN_MEMBER_ID.code]);
    // A second member joining starts a rebalance: commits of the current generation are still taken (PreparingRebalance)...
    const other = await c.joinNew('g');
    expect(c.groups.describeGroup('g').state).toBe('PreparingRebalance');
    expect(await commit('g', [offset(0, 14n)], { generationId: generation, memberId })).toEqual([0]);
    // ...but not once the new generation waits for its assignment (CompletingRebalance).
    const [next] = await c.answered(c.join('g', { memberId }), other.joined);
    expect(await commit('g', [offset(0, 15n)], { generationId: next.generationId, memberId })).toEqual([E.REBALANCE_IN_PROGRESS.code]);
    expect(fetched('g')).toEqual([['t', 0, 14n, 0]]);
  });

  it('reports a partition whose commit is still being written as UNSTABLE_OFFSET_COMMIT when the fetch requires stable offsets', async () => {
    c = await CoordinatorHarness.start();
    await commit('g', [offset(0, 1n)]);
    const writing = commit('g', [offset(0, 2n)]);
    expect(c.groups.fetchOffsets('g', [{ topic: 't', partition: 0 }], true).offsets[0]!.errorCode).toBe(E.UNSTABLE_OFFSET_COMMIT.code);
    expect(c.groups.fetchOffsets('g', [{ topic: 't', partition: 0 }], false).offsets[0]!.offset).toBe(1n);
    await writing;
    expect(c.groups.fetchOffsets('g', [{ topic: 't', partition: 0 }], true).offsets[0]).toMatchObject({ offset: 2n, errorCode: 0 });
  });
});

describe('deleting offsets and groups', () => {
  it('deletes offsets of topics a consumer group does not subscribe to, refusing those it consumes', async () => {
    c = await CoordinatorHarness.start();
    await c.h.broker.createTopic({ name: 'u', partitions: 1 });
    const { memberId, generation } = await stableMember('g');
    await commit('g', [offset(0, 3n), { ...offset(0, 4n), topic: 'u' }], { generationId: generation, memberId });
    const result = await c.groups.deleteOffsets('g', [{ topic: 't', partition: 0 }, { topic: 'u', partition: 0 }]);
    expect(result).toEqual({ errorCode: 0, partitions: [{ topic: 't', partition: 0, errorCode: E.GROUP_SUBSCRIBED_TO_TOPIC.code }, { topic: 'u', partition: 0, errorCode: 0 }] });
    expect(fetched('g')).toEqual([['t', 0, 3n, 0]]);
    expect((await c.groups.deleteOffsets('nope', [{ topic: 't', partition: 0 }])).errorCode).toBe(E.GROUP_ID_NOT_FOUND.code);
  });

  it('deletes only Empty groups, with their offsets; a deleted group is described Dead and no longer listed', async () => {
    c = await CoordinatorHarness.start();
    const { memberId, generation } = await stableMember('g');
    await commit('g', [offset(0, 3n)], { generationId: generation, memberId });
    await commit('simple', [offset(1, 9n)]);
    expect(await c.groups.deleteGroups(['g', 'nope', 'simple'])).toEqual([
      { groupId: 'g', errorCode: E.NON_EMPTY_GROUP.code }, { groupId: 'nope', errorCode: E.GROUP_ID_NOT_FOUND.code }, { groupId: 'simple', errorCode: 0 },
    ]);
    c.groups.leaveGroup('g', [{ memberId, groupInstanceId: null, reason: null }]);
    await c.answered();
    expect(await c.groups.deleteGroups(['g'])).toEqual([{ groupId: 'g', errorCode: 0 }]);
    expect(fetched('g', [{ topic: 't', partition: 0 }])).toEqual([['t', 0, -1n, 0]]);
    expect(c.groups.describeGroup('g')).toMatchObject({ errorCode: 0, state: 'Dead' });
    expect(c.groups.listGroups([]).groups).toEqual([]);
  });

  it('forgets the offsets of a deleted topic', async () => {
    c = await CoordinatorHarness.start();
    await commit('simple', [offset(0, 1n)]);
    await c.h.broker.deleteTopic('t');
    await c.answered();
    expect(c.groups.listGroups([]).groups).toEqual([]);
  });
});

describe('expiring offsets', () => {
  it("keeps a live group's offsets, and expires them offsets.retention.minutes after the group emptied, then the group", async () => {
    c = await CoordinatorHarness.start({ offsetsRetentionMinutes: 60, offsetsRetentionCheckIntervalMs: 60_000 });
    const { memberId, generation } = await stableMember('g', LONG_SESSION_MS);
    await commit('g', [offset(0, 3n)], { generationId: generation, memberId });
    // Two retention periods pass while the member keeps its session: nothing expires.
    for (let t = 0; t < 2 * HOUR_MS; t += LONG_SESSION_MS / 3) {
      await c.advance(LONG_SESSION_MS / 3, 60_000);
      expect(c.heartbeat('g', memberId, generation)).toBe(0);
    }
    expect(fetched('g')).toEqual([['t', 0, 3n, 0]]);
    c.groups.leaveGroup('g', [{ memberId, groupInstanceId: null, reason: null }]);
    await c.answered();
    expect(c.groups.describeGroup('g').state).toBe('Empty');
    await c.advance(HOUR_MS - 2 * 60_000, 60_000);
    expect(fetched('g')).toEqual([['t', 0, 3n, 0]]);
    await c.advance(3 * 60_000, 60_000);
    expect(fetched('g', [{ topic: 't', partition: 0 }])).toEqual([['t', 0, -1n, 0]]);
    expect(c.groups.listGroups([]).groups).toEqual([]);
    // Tombstones went to the log: a restarted coordinator does not bring them back.
    await c.h.restart();
    await c.answered();
    expect(c.groups.describeGroup('g').state).toBe('Dead');
  });

  it('expires offsets committed with a retention time (OffsetCommit v2-v4) at their own expiry', async () => {
    c = await CoordinatorHarness.start({ offsetsRetentionCheckIntervalMs: 60_000 });
    await commit('simple', [offset(0, 1n)], { retentionTimeMs: 5 * 60_000 });
    await commit('simple', [offset(1, 2n)]);
    await c.advance(6 * 60_000, 60_000);
    expect(fetched('simple')).toEqual([['t', 1, 2n, 0]]);
  });
});

describe('a coordinator that restarts', () => {
  it('reads groups and offsets back from __consumer_offsets: the last value per key, tombstones removing', async () => {
    c = await CoordinatorHarness.start();
    const { memberId, generation } = await stableMember('g');
    await commit('g', [offset(0, 3n), offset(1, 4n)], { generationId: generation, memberId });
    await commit('g', [offset(0, 5n, { metadata: 'latest' })], { generationId: generation, memberId });
    await commit('gone', [offset(2, 6n)]);
    await c.groups.deleteGroups(['gone']);
    await commit('kept', [offset(0, 1n), offset(1, 2n)]);
    await c.groups.deleteOffsets('kept', [{ topic: 't', partition: 1 }]);

    // Kafka's record formats: offset keys v1 with OffsetCommitValue v3, the group key v2 with GroupMetadataValue v3, null tombstones.
    const { records } = await c.h.broker.readRecords(CONSUMER_OFFSETS_TOPIC, partitionForGroup('g', 50), { start: { position: 'oldest' } });
    expect(records.map((r) => [r.key!.readInt16BE(0), r.value === null ? null : r.value.readInt16BE(0)])).toEqual([[2, 3], [1, 3], [1, 3], [1, 3]]);
    expect(decodeConsumerOffsetsRecord(records[3]!.key!, records[3]!.value)).toMatchObject({ type: 'offset', group: 'g', topic: 't', partition: 0, value: { offset: 5n, metadata: 'latest' } });

    await c.h.restart();
    await c.answered();
    expect(c.groups.describeGroup('g')).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'range', members: [expect.objectContaining({ memberId, assignment: assignmentOf('t', [0, 1, 2]) })] });
    expect(c.heartbeat('g', memberId, generation)).toBe(0);
    expect(c.groups.fetchOffsets('g', null, false).offsets).toEqual([
      { topic: 't', partition: 0, offset: 5n, leaderEpoch: -1, metadata: 'latest', errorCode: 0 },
      { topic: 't', partition: 1, offset: 4n, leaderEpoch: -1, metadata: '', errorCode: 0 },
    ]);
    expect(c.groups.describeGroup('gone').state).toBe('Dead');
    expect(fetched('kept')).toEqual([['t', 0, 1n, 0]]);
    // The loaded member's session runs from the load: without heartbeats it goes, and the group empties.
    await c.advance(SESSION_MS + 1000);
    expect(c.groups.describeGroup('g').state).not.toBe('Stable');
  });

  it('skips records of other kinds (KIP-848 keys) and keeps offsets committed after a group was deleted', async () => {
    c = await CoordinatorHarness.start();
    const { memberId, generation } = await stableMember('g');
    await commit('g', [offset(0, 1n)], { generationId: generation, memberId });
    c.groups.leaveGroup('g', [{ memberId, groupInstanceId: null, reason: null }]);
    await c.answered();
    expect(await c.groups.deleteGroups(['g'])).toEqual([{ groupId: 'g', errorCode: 0 }]);
    // Used again for simple commits after its deletion (tombstones first, then the new offsets).
    await commit('g', [offset(1, 7n)]);
    const consumerGroupKey = Buffer.from([0, 5, 0, 1, 0x67]);
    const [appended] = await c.h.broker.appendRecords([{
      topic: CONSUMER_OFFSETS_TOPIC, partition: partitionForGroup('g', 50), records: encodeRecordBatch({ records: [{ key: consumerGroupKey, value: Buffer.from([0, 0]) }] }),
    }], { acks: -1, timeoutMs: 1000, internalTopicsAllowed: true });
    expect(appended!.errorCode).toBe(0);

    await c.h.restart();
    await c.answered();
    expect(fetched('g')).toEqual([['t', 1, 7n, 0]]);
    expect(c.groups.describeGroup('g')).toMatchObject({ state: 'Empty', protocolType: '' });
  });

  it('answers COORDINATOR_LOAD_IN_PROGRESS until the offsets partition is read, one offsets.load.buffer.size slice per timer pass', async () => {
    c = await CoordinatorHarness.start({ offsetsLoadBufferSize: 100 });
    for (let i = 0; i < 20; i++) expect(await commit('big', [offset(0, BigInt(i))])).toEqual([0]);
    await c.h.restart();
    expect(c.groups.fetchOffsets('big', null, false).errorCode).toBe(E.COORDINATOR_LOAD_IN_PROGRESS.code);
    expect(await commit('big', [offset(0, 99n)])).toEqual([E.COORDINATOR_LOAD_IN_PROGRESS.code]);
    expect(c.heartbeat('big', 'm', 1)).toBe(0); // a heartbeat during a load is answered blindly, as in Kafka
    for (let i = 0; i < 40 && c.groups.fetchOffsets('big', null, false).errorCode !== 0; i++) c.time.advance(0);
    expect(fetched('big')).toEqual([['t', 0, 19n, 0]]);
  });
});
