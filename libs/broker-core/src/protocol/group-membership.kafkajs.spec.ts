import { decodeFindCoordinatorRequest, encodeFindCoordinatorResponse, makeFindCoordinatorRequest, makeFindCoordinatorResponse } from './findCoordinator/index.js';
import { decodeHeartbeatRequest, encodeHeartbeatResponse, makeHeartbeatResponse } from './heartbeat/index.js';
import { decodeJoinGroupRequest, encodeJoinGroupResponse, makeJoinGroupRequest, makeJoinGroupResponse, makeJoinGroupResponseMember } from './joinGroup/index.js';
import {
  decodeLeaveGroupRequest,
  encodeLeaveGroupResponse,
  makeLeaveGroupRequest,
  makeLeaveGroupRequestMemberIdentity,
  makeLeaveGroupResponse,
  makeLeaveGroupResponseMemberResponse,
} from './leaveGroup/index.js';
import { Writer } from './primitives/writer.js';
import { decodeSyncGroupRequest, encodeSyncGroupResponse, makeSyncGroupRequest, makeSyncGroupResponse } from './syncGroup/index.js';
import { decodeWithKafkajs, kafkajsProtocol, kafkajsRequestBody, throttleOf } from './testing/kafkajs.js';

/**
 * The classic group membership APIs in every version kafkajs 2.2.4 has (FindCoordinator
 * v0-v2, JoinGroup v0-v5, SyncGroup v0-v3, Heartbeat v0-v3, LeaveGroup v0-v3) against
 * kafkajs: its requests decode with our codecs, our responses with its decoders, and an
 * error code in our response is the error kafkajs raises.
 */
const METADATA = Buffer.from([0, 1, 0, 0, 0, 1, 0, 6, 111, 114, 100, 101, 114, 115]);
const ASSIGNMENT = Buffer.from([0, 1, 0, 0, 0, 0]);

describe.each([0, 1, 2])('kafkajs FindCoordinator v%i', (version) => {
  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('findCoordinator', version, { groupId: 'billing', coordinatorType: 1 }).request);
    // key_type arrives from v1; v0 only looks up group coordinators (0).
    expect(decodeFindCoordinatorRequest(body, version)).toEqual(makeFindCoordinatorRequest({ key: 'billing', keyType: version >= 1 ? 1 : 0 }));
    expect(body.remaining).toBe(0);
  });

  it('reads our response, and raises its error code', async () => {
    const { response } = kafkajsProtocol('findCoordinator', version, { groupId: 'billing' });
    const ours = makeFindCoordinatorResponse({ throttleTimeMs: 6, errorMessage: null, nodeId: 2, host: 'broker-2', port: 9094 });
    const decoded = await decodeWithKafkajs(response, encodeFindCoordinatorResponse(new Writer(), ours, version));
    expect(decoded).toMatchObject({ errorCode: 0, coordinator: { nodeId: 2, host: 'broker-2', port: 9094 } });
    if (version >= 1) expect(decoded).toMatchObject({ errorMessage: null });
    if (version >= 1) expect(throttleOf(decoded, 2, version)).toBe(6);
    const failed = makeFindCoordinatorResponse({ errorCode: 15, errorMessage: 'loading', nodeId: -1, host: '', port: -1 });
    const failedDecoded = await response.decode(encodeFindCoordinatorResponse(new Writer(), failed, version).toBuffer());
    await expect(response.parse(failedDecoded)).rejects.toThrow(/group coordinator is not available/);
  });
});

describe.each([0, 1, 2, 3, 4, 5])('kafkajs JoinGroup v%i', (version) => {
  const args = {
    groupId: 'billing',
    sessionTimeout: 30000,
    rebalanceTimeout: 60000,
    memberId: 'member-1',
    groupInstanceId: 'instance-1',
    protocolType: 'consumer',
    groupProtocols: [{ name: 'RoundRobinAssigner', metadata: METADATA }, { name: 'empty' }],
  };

  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('joinGroup', version, args).request);
    expect(decodeJoinGroupRequest(body, version)).toEqual(
      makeJoinGroupRequest({
        groupId: 'billing',
        sessionTimeoutMs: 30000,
        // Fields a version lacks come back as their defaults.
        rebalanceTimeoutMs: version >= 1 ? 60000 : -1,
        memberId: 'member-1',
        groupInstanceId: version >= 5 ? 'instance-1' : null,
        protocolType: 'consumer',
        protocols: [
          { name: 'RoundRobinAssigner', metadata: METADATA },
          { name: 'empty', metadata: Buffer.alloc(0) },
        ],
      }),
    );
    expect(body.remaining).toBe(0);
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('joinGroup', version, args);
    const ours = makeJoinGroupResponse({
      throttleTimeMs: 7,
      generationId: 3,
      protocolName: 'RoundRobinAssigner',
      leader: 'member-1',
      memberId: 'member-2',
      members: [makeJoinGroupResponseMember({ memberId: 'member-1', groupInstanceId: 'instance-1', metadata: METADATA })],
    });
    const decoded = await decodeWithKafkajs(response, encodeJoinGroupResponse(new Writer(), ours, version));
    expect(decoded).toMatchObject({ errorCode: 0, generationId: 3, groupProtocol: 'RoundRobinAssigner', leaderId: 'member-1', memberId: 'member-2' });
    expect(decoded.members).toEqual([{ memberId: 'member-1', memberMetadata: METADATA, ...(version >= 5 ? { groupInstanceId: 'instance-1' } : {}) }]);
    if (version >= 2) expect(throttleOf(decoded, 3, version)).toBe(7);
  });

  it('raises the error code of our response', async () => {
    const { response } = kafkajsProtocol('joinGroup', version, args);
    const failed = makeJoinGroupResponse({ errorCode: 25, generationId: -1 });
    await expect(response.parse(await response.decode(encodeJoinGroupResponse(new Writer(), failed, version).toBuffer()))).rejects.toThrow(/not aware of this member/);
  });

  if (version >= 4) {
    it('hands kafkajs the member id to rejoin with (MEMBER_ID_REQUIRED, KIP-394)', async () => {
      const { response } = kafkajsProtocol('joinGroup', version, args);
      const required = makeJoinGroupResponse({ errorCode: 79, memberId: 'member-9' });
      const decoded = await response.decode(encodeJoinGroupResponse(new Writer(), required, version).toBuffer());
      await expect(response.parse(decoded)).rejects.toMatchObject({ name: 'KafkaJSMemberIdRequired', memberId: 'member-9' });
    });
  }
});

describe.each([0, 1, 2, 3])('kafkajs SyncGroup v%i', (version) => {
  const args = {
    groupId: 'billing',
    generationId: 3,
    memberId: 'member-1',
    groupInstanceId: 'instance-1',
    groupAssignment: [
      { memberId: 'member-1', memberAssignment: ASSIGNMENT },
      { memberId: 'member-2', memberAssignment: Buffer.alloc(0) },
    ],
  };

  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('syncGroup', version, args).request);
    expect(decodeSyncGroupRequest(body, version)).toEqual(
      makeSyncGroupRequest({
        groupId: 'billing',
        generationId: 3,
        memberId: 'member-1',
        groupInstanceId: version >= 3 ? 'instance-1' : null,
        assignments: [
          { memberId: 'member-1', assignment: ASSIGNMENT },
          { memberId: 'member-2', assignment: Buffer.alloc(0) },
        ],
      }),
    );
    expect(body.remaining).toBe(0);
  });

  it('reads our response, and raises its error code', async () => {
    const { response } = kafkajsProtocol('syncGroup', version, args);
    const decoded = await decodeWithKafkajs(response, encodeSyncGroupResponse(new Writer(), makeSyncGroupResponse({ throttleTimeMs: 2, assignment: ASSIGNMENT }), version));
    expect(decoded).toMatchObject({ errorCode: 0, memberAssignment: ASSIGNMENT });
    if (version >= 1) expect(throttleOf(decoded, 2, version)).toBe(2);
    const failed = await response.decode(encodeSyncGroupResponse(new Writer(), makeSyncGroupResponse({ errorCode: 27 }), version).toBuffer());
    await expect(response.parse(failed)).rejects.toThrow(/rebalancing/);
  });
});

describe.each([0, 1, 2, 3])('kafkajs Heartbeat v%i', (version) => {
  const args = { groupId: 'billing', groupGenerationId: 3, memberId: 'member-1', groupInstanceId: 'instance-1' };

  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('heartbeat', version, args).request);
    expect(decodeHeartbeatRequest(body, version)).toEqual({
      groupId: 'billing',
      generationId: 3,
      memberId: 'member-1',
      groupInstanceId: version >= 3 ? 'instance-1' : null,
    });
    expect(body.remaining).toBe(0);
  });

  it('reads our response, and raises its error code', async () => {
    const { response } = kafkajsProtocol('heartbeat', version, args);
    const decoded = await decodeWithKafkajs(response, encodeHeartbeatResponse(new Writer(), makeHeartbeatResponse({ throttleTimeMs: 4 }), version));
    expect(decoded.errorCode).toBe(0);
    if (version >= 1) expect(throttleOf(decoded, 2, version)).toBe(4);
    const failed = await response.decode(encodeHeartbeatResponse(new Writer(), makeHeartbeatResponse({ errorCode: 27 }), version).toBuffer());
    await expect(response.parse(failed)).rejects.toThrow(/rebalancing/);
  });
});

describe.each([0, 1, 2, 3])('kafkajs LeaveGroup v%i', (version) => {
  const args = { groupId: 'billing', memberId: 'member-1', groupInstanceId: 'instance-1' };

  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('leaveGroup', version, args).request);
    // From v3 a request names members (KIP-345), each with its static instance id.
    const expected =
      version >= 3
        ? makeLeaveGroupRequest({ groupId: 'billing', members: [makeLeaveGroupRequestMemberIdentity({ memberId: 'member-1', groupInstanceId: 'instance-1' })] })
        : makeLeaveGroupRequest({ groupId: 'billing', memberId: 'member-1' });
    expect(decodeLeaveGroupRequest(body, version)).toEqual(expected);
    expect(body.remaining).toBe(0);
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('leaveGroup', version, args);
    const ours = makeLeaveGroupResponse({ throttleTimeMs: 5, members: [makeLeaveGroupResponseMemberResponse({ memberId: 'member-1', groupInstanceId: 'instance-1' })] });
    const decoded = await decodeWithKafkajs(response, encodeLeaveGroupResponse(new Writer(), ours, version));
    expect(decoded.errorCode).toBe(0);
    if (version >= 3) expect(decoded.members).toEqual([{ memberId: 'member-1', groupInstanceId: 'instance-1', errorCode: 0 }]);
    if (version >= 1) expect(throttleOf(decoded, 2, version)).toBe(5);
  });

  it('raises the error code of our response, for a member from v3', async () => {
    const { response } = kafkajsProtocol('leaveGroup', version, args);
    const failed =
      version >= 3
        ? makeLeaveGroupResponse({ members: [makeLeaveGroupResponseMemberResponse({ memberId: 'member-1', groupInstanceId: null, errorCode: 25 })] })
        : makeLeaveGroupResponse({ errorCode: 25 });
    const decoded = await response.decode(encodeLeaveGroupResponse(new Writer(), failed, version).toBuffer());
    await expect(response.parse(decoded)).rejects.toThrow(/not aware of this member/);
  });
});
