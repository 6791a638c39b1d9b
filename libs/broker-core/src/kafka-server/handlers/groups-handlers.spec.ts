import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BrokerHarness } from '../../broker/testing/broker-harness.js';
import { KAFKA_ERRORS as E } from '../../errors.js';
import { encodeConsumerSubscription, makeConsumerSubscription } from '../../group/consumer-protocol.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import { decodeDescribeGroupsResponse, encodeDescribeGroupsRequest, makeDescribeGroupsRequest } from '../../protocol/describeGroups/index.js';
import { decodeFindCoordinatorResponse, encodeFindCoordinatorRequest, makeFindCoordinatorRequest } from '../../protocol/findCoordinator/index.js';
import { decodeJoinGroupResponse, encodeJoinGroupRequest, makeJoinGroupRequest, type JoinGroupRequest } from '../../protocol/joinGroup/index.js';
import { decodeLeaveGroupResponse, encodeLeaveGroupRequest, makeLeaveGroupRequest, makeLeaveGroupRequestMemberIdentity } from '../../protocol/leaveGroup/index.js';
import { decodeListGroupsResponse, encodeListGroupsRequest, makeListGroupsRequest } from '../../protocol/listGroups/index.js';
import {
  decodeOffsetCommitResponse, encodeOffsetCommitRequest, makeOffsetCommitRequest, makeOffsetCommitRequestPartition, makeOffsetCommitRequestTopic,
} from '../../protocol/offsetCommit/index.js';
import {
  decodeOffsetFetchResponse, encodeOffsetFetchRequest, makeOffsetFetchRequest, makeOffsetFetchRequestGroup, makeOffsetFetchRequestTopic,
  makeOffsetFetchRequestTopics,
} from '../../protocol/offsetFetch/index.js';
import type { Reader } from '../../protocol/primitives/reader.js';
import type { Writer } from '../../protocol/primitives/writer.js';
import { decodeSyncGroupResponse, encodeSyncGroupRequest, makeSyncGroupRequest } from '../../protocol/syncGroup/index.js';
import {
  decodeTxnOffsetCommitResponse, encodeTxnOffsetCommitRequest, makeTxnOffsetCommitRequest, makeTxnOffsetCommitRequestPartition, makeTxnOffsetCommitRequestTopic,
} from '../../protocol/txnOffsetCommit/index.js';
import { partitionForGroup } from '../../group/partition-for-group.js';
import { KafkaListener } from '../kafka-listener.js';
import { RawKafkaClient } from '../testing/raw-client.js';

/**
 * The group handlers over a real listener: what each version of the wire carries between
 * a client and the coordinator (its own semantics are specified in group/*.spec.ts).
 * The broker runs on a mock clock, moved on while a request waits for a rebalance.
 */
let h: BrokerHarness;
let listener: KafkaListener;
let client: RawKafkaClient;

beforeEach(async () => {
  h = await BrokerHarness.start({ groupInitialRebalanceDelayMs: 0 });
  listener = await KafkaListener.bind({ port: 0 });
  listener.serve(h.broker);
  client = await RawKafkaClient.connect(listener.port);
});

afterEach(async () => {
  client.close();
  await listener.close();
  await h.close();
});

/** Sends one request and decodes the answer, running due timer tasks while it waits. */
async function call<Req, Res>(apiKey: number, version: number, encode: (w: Writer, r: Req, v: number) => unknown, request: Req, decode: (r: Reader, v: number) => Res): Promise<Res> {
  let done = false;
  const response = client.request(apiKey, version, (w) => void encode(w, request, version)).finally(() => (done = true));
  for (let i = 0; i < 200 && !done; i++) {
    h.time.advance(0);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return decode(await response, version);
}

const findCoordinator = (version: number, fields: Parameters<typeof makeFindCoordinatorRequest>[0]) =>
  call(API_KEYS.FindCoordinator, version, encodeFindCoordinatorRequest, makeFindCoordinatorRequest(fields), decodeFindCoordinatorResponse);

const join = (version: number, fields: Partial<JoinGroupRequest>) => call(API_KEYS.JoinGroup, version, encodeJoinGroupRequest, makeJoinGroupRequest({
  groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: encodeConsumerSubscription(makeConsumerSubscription({ topics: ['t'] }), 0) }], ...fields,
}), decodeJoinGroupResponse);

const fetchOffsets = (version: number, fields: Parameters<typeof makeOffsetFetchRequest>[0]) =>
  call(API_KEYS.OffsetFetch, version, encodeOffsetFetchRequest, makeOffsetFetchRequest(fields), decodeOffsetFetchResponse);

describe('FindCoordinator', () => {
  it('names this broker for a group in every version (v4 in a batch) once it created __consumer_offsets', async () => {
    expect(await findCoordinator(0, { key: 'g' })).toMatchObject({ errorCode: 0, nodeId: 1, host: 'localhost', port: 9092 });
    expect(h.broker.describeTopic('__consumer_offsets')).toMatchObject({ internal: true, replicationFactor: 1 });
    expect(h.broker.describeTopic('__consumer_offsets').partitions).toHaveLength(50);
    expect(await findCoordinator(3, { key: 'g', keyType: 0 })).toMatchObject({ errorCode: 0, errorMessage: null, nodeId: 1 });
    const batch = await findCoordinator(4, { keyType: 0, coordinatorKeys: ['a', 'b'] });
    expect(batch.coordinators.map((c) => [c.key, c.errorCode, c.nodeId])).toEqual([['a', 0, 1], ['b', 0, 1]]);
  });

  it('finds the transaction coordinator for transactional ids and answers INVALID_REQUEST for unknown key types', async () => {
    expect(await findCoordinator(2, { key: 'tx', keyType: 1 })).toMatchObject({ errorCode: 0, nodeId: 1 });
    expect(await findCoordinator(2, { key: 'x', keyType: 7 })).toMatchObject({ errorCode: E.INVALID_REQUEST.code });
  });
});

describe('group errors before the offsets topic exists', () => {
  it('are NOT_COORDINATOR: per partition in OffsetFetch v0-v1, top level from v2, per group from v8', async () => {
    const topics = [makeOffsetFetchRequestTopic({ name: 't', partitionIndexes: [0, 1] })];
    const v1 = await fetchOffsets(1, { groupId: 'g', topics });
    expect(v1.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.errorCode])).toEqual([[0, -1n, 16], [1, -1n, 16]]);
    expect(await fetchOffsets(2, { groupId: 'g', topics })).toMatchObject({ errorCode: 16, topics: [] });
    const v8 = await fetchOffsets(8, { groups: [makeOffsetFetchRequestGroup({ groupId: 'g', topics: null })] });
    expect(v8.groups).toEqual([expect.objectContaining({ groupId: 'g', errorCode: 16, topics: [] })]);
  });
});

describe('membership over the wire', () => {
  beforeEach(async () => {
    await findCoordinator(0, { key: 'g' });
    await h.broker.createTopic({ name: 't', partitions: 2 });
  });

  it('joins at once on v0 (rebalance timeout = session timeout) and answers errors with an empty protocol name before v7, null after', async () => {
    const v0 = await join(0, {});
    expect(v0).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range' });
    expect(v0.leader).toBe(v0.memberId);
    expect(v0.members.map((m) => m.memberId)).toEqual([v0.memberId]);
    expect(await join(6, { memberId: 'nobody' })).toMatchObject({ errorCode: E.UNKNOWN_MEMBER_ID.code, protocolName: '', generationId: -1 });
    expect(await join(7, { memberId: 'nobody' })).toMatchObject({ errorCode: E.UNKNOWN_MEMBER_ID.code, protocolName: null, protocolType: null });
  });

  it('v4+: MEMBER_ID_REQUIRED first; v7+ names the protocol type; SyncGroup v5 must name type and protocol', async () => {
    const first = await join(7, {});
    expect(first).toMatchObject({ errorCode: E.MEMBER_ID_REQUIRED.code });
    const joined = await join(7, { memberId: first.memberId });
    expect(joined).toMatchObject({ errorCode: 0, protocolType: 'consumer', protocolName: 'range', leader: first.memberId });
    const sync = (fields: Parameters<typeof makeSyncGroupRequest>[0]) => call(API_KEYS.SyncGroup, 5, encodeSyncGroupRequest, makeSyncGroupRequest({
      groupId: 'g', generationId: joined.generationId, memberId: first.memberId, ...fields,
    }), decodeSyncGroupResponse);
    expect(await sync({})).toMatchObject({ errorCode: E.INCONSISTENT_GROUP_PROTOCOL.code });
    expect(await sync({ protocolType: 'consumer', protocolName: 'roundrobin' })).toMatchObject({ errorCode: E.INCONSISTENT_GROUP_PROTOCOL.code });
    const ok = await sync({ protocolType: 'consumer', protocolName: 'range', assignments: [{ memberId: first.memberId, assignment: Buffer.from([0, 0]) }] });
    expect(ok).toMatchObject({ errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.from([0, 0]) });

    const described = await call(API_KEYS.DescribeGroups, 5, encodeDescribeGroupsRequest, makeDescribeGroupsRequest({ groups: ['g', 'other'], includeAuthorizedOperations: true }), decodeDescribeGroupsResponse);
    expect(described.groups[0]).toMatchObject({ errorCode: 0, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', authorizedOperations: (1 << 3) | (1 << 6) | (1 << 8) });
    expect(described.groups[0]!.members[0]).toMatchObject({ memberId: first.memberId, clientId: 'weir-test', memberAssignment: Buffer.from([0, 0]) });
    expect(described.groups[1]).toMatchObject({ errorCode: 0, groupState: 'Dead', members: [] });
    const listed = await call(API_KEYS.ListGroups, 4, encodeListGroupsRequest, makeListGroupsRequest({ statesFilter: ['stable'] }), decodeListGroupsResponse);
    expect(listed.groups).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable' }]);
    const none = await call(API_KEYS.ListGroups, 4, encodeListGroupsRequest, makeListGroupsRequest({ statesFilter: ['Empty'] }), decodeListGroupsResponse);
    expect(none.groups).toEqual([]);
  });

  it('LeaveGroup: before v3 the member error is the answer error; from v3 each member answers', async () => {
    const joined = await join(0, {});
    const leave = (version: number, fields: Parameters<typeof makeLeaveGroupRequest>[0]) =>
      call(API_KEYS.LeaveGroup, version, encodeLeaveGroupRequest, makeLeaveGroupRequest({ groupId: 'g', ...fields }), decodeLeaveGroupResponse);
    expect(await leave(1, { memberId: 'nobody' })).toMatchObject({ errorCode: E.UNKNOWN_MEMBER_ID.code });
    const v3 = await leave(3, { members: [makeLeaveGroupRequestMemberIdentity({ memberId: joined.memberId }), makeLeaveGroupRequestMemberIdentity({ memberId: 'nobody' })] });
    expect(v3).toMatchObject({ errorCode: 0, members: [{ memberId: joined.memberId, errorCode: 0 }, { memberId: 'nobody', errorCode: E.UNKNOWN_MEMBER_ID.code }] });
  });

  it('OffsetCommit v1 timestamps, v2 retention and v8 (flexible) commits come back through OffsetFetch v1, v5 and v8', async () => {
    const commit = (version: number, fields: Parameters<typeof makeOffsetCommitRequest>[0], partition: Parameters<typeof makeOffsetCommitRequestPartition>[0]) =>
      call(API_KEYS.OffsetCommit, version, encodeOffsetCommitRequest, makeOffsetCommitRequest({
        groupId: 'simple', topics: [makeOffsetCommitRequestTopic({ name: 't', partitions: [makeOffsetCommitRequestPartition(partition)] })], ...fields,
      }), decodeOffsetCommitResponse);
    expect((await commit(1, {}, { partitionIndex: 0, committedOffset: 3n, commitTimestamp: 1234n, committedMetadata: 'v1' })).topics[0]!.partitions[0]!.errorCode).toBe(0);
    expect((await commit(2, { retentionTimeMs: 60_000n }, { partitionIndex: 1, committedOffset: 4n })).topics[0]!.partitions[0]!.errorCode).toBe(0);
    expect((await commit(8, {}, { partitionIndex: 1, committedOffset: 5n, committedLeaderEpoch: 2, committedMetadata: null })).topics[0]!.partitions[0]!.errorCode).toBe(0);
    expect((await commit(8, {}, { partitionIndex: 9, committedOffset: 5n })).topics[0]!.partitions[0]!.errorCode).toBe(E.UNKNOWN_TOPIC_OR_PARTITION.code);

    const v1 = await fetchOffsets(1, { groupId: 'simple', topics: [makeOffsetFetchRequestTopic({ name: 't', partitionIndexes: [0, 1] })] });
    expect(v1.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata])).toEqual([[0, 3n, 'v1'], [1, 5n, '']]);
    const v5 = await fetchOffsets(5, { groupId: 'simple', topics: null });
    expect(v5.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.committedLeaderEpoch])).toEqual([[0, 3n, -1], [1, 5n, 2]]);
    const v8 = await fetchOffsets(8, { groups: [makeOffsetFetchRequestGroup({ groupId: 'simple', topics: [makeOffsetFetchRequestTopics({ name: 't', partitionIndexes: [1] })] })], requireStable: true });
    expect(v8.groups[0]!.topics[0]!.partitions[0]).toMatchObject({ partitionIndex: 1, committedOffset: 5n, committedLeaderEpoch: 2, errorCode: 0 });
  });
});

describe('TxnOffsetCommit over the wire', () => {
  beforeEach(async () => {
    await findCoordinator(0, { key: 'g' });
    await h.broker.createTopic({ name: 't', partitions: 2 });
  });

  const txnCommit = (version: number, fields: Parameters<typeof makeTxnOffsetCommitRequest>[0]) =>
    call(API_KEYS.TxnOffsetCommit, version, encodeTxnOffsetCommitRequest, makeTxnOffsetCommitRequest({
      transactionalId: 'tx', groupId: 'eos', producerId: 77n, producerEpoch: 1,
      topics: [makeTxnOffsetCommitRequestTopic({ name: 't', partitions: [0, 5].map((i) => makeTxnOffsetCommitRequestPartition({ partitionIndex: i, committedOffset: 9n, committedLeaderEpoch: 4 })) })],
      ...fields,
    }), decodeTxnOffsetCommitResponse);
  const errors = (r: Awaited<ReturnType<typeof txnCommit>>) => r.topics.flatMap((t) => t.partitions.map((p) => [p.partitionIndex, p.errorCode]));

  it('v3 checks a named member; v0 commits without one, unstable until the marker, then read through OffsetFetch', async () => {
    expect(errors(await txnCommit(3, { generationId: 2, memberId: 'stranger' }))).toEqual([[0, E.UNKNOWN_MEMBER_ID.code], [5, E.UNKNOWN_TOPIC_OR_PARTITION.code]]);
    expect(errors(await txnCommit(0, {}))).toEqual([[0, 0], [5, E.UNKNOWN_TOPIC_OR_PARTITION.code]]);
    const fetchV7 = async () => (await fetchOffsets(7, { groupId: 'eos', topics: [makeOffsetFetchRequestTopic({ name: 't', partitionIndexes: [0] })], requireStable: true })).topics[0]!.partitions[0]!;
    expect(await fetchV7()).toMatchObject({ committedOffset: -1n, errorCode: E.UNSTABLE_OFFSET_COMMIT.code });
    h.broker.groups.completeTransactionalOffsets(partitionForGroup('eos', 50), 77n, 'COMMIT');
    // v0 has no leader epoch: the commit holds none.
    expect(await fetchV7()).toMatchObject({ committedOffset: 9n, committedLeaderEpoch: -1, errorCode: 0 });
  });
});
