import { groupCoordinatorOf } from '../../group/group-coordinator.js';
import { joinError, syncError, type JoinGroupResult } from '../../group/group-results.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import { decodeHeartbeatRequest, encodeHeartbeatResponse, makeHeartbeatResponse } from '../../protocol/heartbeat/index.js';
import { decodeJoinGroupRequest, encodeJoinGroupResponse, makeJoinGroupResponse, makeJoinGroupResponseMember } from '../../protocol/joinGroup/index.js';
import {
  decodeLeaveGroupRequest, encodeLeaveGroupResponse, makeLeaveGroupResponse, makeLeaveGroupResponseMemberResponse,
} from '../../protocol/leaveGroup/index.js';
import { decodeSyncGroupRequest, encodeSyncGroupResponse, makeSyncGroupResponse } from '../../protocol/syncGroup/index.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { AclOperation } from '../../security/acl.js';
import { groupAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';
import { NO_COORDINATOR } from './groups-coordinator.js';

/**
 * The classic group membership APIs (JoinGroup, SyncGroup, Heartbeat, LeaveGroup),
 * translated to and from the group coordinator (group/group-coordinator.ts). JoinGroup and
 * SyncGroup answers may wait for the rebalance (parked at the coordinator, on the timing
 * wheel); Heartbeat and LeaveGroup answer at once. Each needs READ on the group
 * (GROUP_AUTHORIZATION_FAILED otherwise).
 */

const GROUP_DENIED = KAFKA_ERRORS.GROUP_AUTHORIZATION_FAILED.code;

/**
 * JoinGroup v0-v9: v0 has no rebalance timeout (the session timeout stands in), v4+
 * new members first get MEMBER_ID_REQUIRED, v5+ static membership, v7+ protocol type
 * and nullable protocol name in the answer, v9 skip_assignment for static leaders.
 */
export const joinGroupHandler = defineHandler({
  apiKey: API_KEYS.JoinGroup,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  decode: decodeJoinGroupRequest,
  encode: encodeJoinGroupResponse,
  async handle(ctx, request, header) {
    const { broker, clientHost } = ctx;
    const version = header.apiVersion;
    const groups = groupCoordinatorOf(broker);
    const result: JoinGroupResult = !groupAuthorized(ctx, AclOperation.READ, request.groupId) ? joinError(request.memberId, GROUP_DENIED)
      : groups === undefined ? joinError(request.memberId, NO_COORDINATOR) : await groups.joinGroup({
      groupId: request.groupId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      requireKnownMemberId: version >= 4,
      supportSkippingAssignment: version >= 9,
      clientId: header.clientId ?? '',
      clientHost: clientHost ?? '',
      rebalanceTimeoutMs: version === 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
      sessionTimeoutMs: request.sessionTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols,
      reason: request.reason,
    });
    return makeJoinGroupResponse({
      errorCode: result.errorCode,
      generationId: result.generationId,
      protocolType: result.protocolType,
      // Before v7 the protocol name is not nullable.
      protocolName: version >= 7 ? result.protocolName : (result.protocolName ?? ''),
      leader: result.leaderId,
      skipAssignment: result.skipAssignment,
      memberId: result.memberId,
      members: result.members.map((m) => makeJoinGroupResponseMember({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
    });
  },
});

/** SyncGroup v0-v5: the leader sends every member's assignment; v5 names the protocol type and name, both required. */
export const syncGroupHandler = defineHandler({
  apiKey: API_KEYS.SyncGroup,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  decode: decodeSyncGroupRequest,
  encode: encodeSyncGroupResponse,
  async handle(ctx, request, header) {
    const groups = groupCoordinatorOf(ctx.broker);
    const missingProtocol = header.apiVersion >= 5 && (request.protocolType === null || request.protocolName === null);
    const result = !groupAuthorized(ctx, AclOperation.READ, request.groupId) ? syncError(GROUP_DENIED)
      : groups === undefined ? syncError(NO_COORDINATOR)
      : missingProtocol ? syncError(KAFKA_ERRORS.INCONSISTENT_GROUP_PROTOCOL.code)
      : await groups.syncGroup({
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        protocolType: request.protocolType,
        protocolName: request.protocolName,
        assignments: new Map(request.assignments.map((a) => [a.memberId, a.assignment])),
      });
    return makeSyncGroupResponse({ ...result });
  },
});

export const heartbeatHandler = defineHandler({
  apiKey: API_KEYS.Heartbeat,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  decode: decodeHeartbeatRequest,
  encode: encodeHeartbeatResponse,
  handle(ctx, request) {
    const groups = groupCoordinatorOf(ctx.broker);
    const errorCode = !groupAuthorized(ctx, AclOperation.READ, request.groupId) ? GROUP_DENIED
      : groups === undefined ? NO_COORDINATOR : groups.heartbeat(request);
    return makeHeartbeatResponse({ errorCode });
  },
});

/**
 * LeaveGroup v0-v5: one member by id before v3, a batch of members (by id, or static ones
 * by instance id alone) from v3. Before v3 the member's own error is the answer's error.
 */
export const leaveGroupHandler = defineHandler({
  apiKey: API_KEYS.LeaveGroup,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  decode: decodeLeaveGroupRequest,
  encode: encodeLeaveGroupResponse,
  handle(ctx, request, header) {
    const groups = groupCoordinatorOf(ctx.broker);
    if (!groupAuthorized(ctx, AclOperation.READ, request.groupId)) return makeLeaveGroupResponse({ errorCode: GROUP_DENIED });
    const batch = header.apiVersion >= 3;
    const leaving = batch ? request.members : [{ memberId: request.memberId, groupInstanceId: null, reason: null }];
    const result = groups === undefined ? { errorCode: NO_COORDINATOR, members: [] } : groups.leaveGroup(request.groupId, leaving);
    if (!batch) return makeLeaveGroupResponse({ errorCode: result.errorCode !== 0 ? result.errorCode : (result.members[0]?.errorCode ?? 0) });
    return makeLeaveGroupResponse({ errorCode: result.errorCode, members: result.members.map((m) => makeLeaveGroupResponseMemberResponse({ ...m })) });
  },
});
