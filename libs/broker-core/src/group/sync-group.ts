import { KAFKA_ERRORS } from '../errors.js';
import { memberKey } from './delayed-group-operations.js';
import type { GroupMembership } from './group-membership.js';
import type { GroupMetadata } from './group-metadata.js';
import { syncError, type HeartbeatInput, type LeaveGroupResult, type LeavingMember, type SyncGroupInput, type SyncGroupResult } from './group-results.js';

const E = KAFKA_ERRORS;

/**
 * SyncGroup, Heartbeat and LeaveGroup against a group this coordinator owns and has
 * loaded (Kafka's GroupCoordinator.handleSyncGroup / handleHeartbeat / handleLeaveGroup
 * past validateGroupStatus). `group` is undefined when the coordinator does not know it.
 */

/**
 * The leader's SyncGroup carries the assignment: it is stored with the group metadata
 * (acks=all) and, once acknowledged, every member's parked SyncGroup is answered with its
 * part and the group is Stable. Followers' SyncGroups wait for that; in a Stable group
 * they get their assignment at once.
 */
export function syncGroup(m: GroupMembership, group: GroupMetadata | undefined, input: SyncGroupInput, respond: (r: SyncGroupResult) => void): void {
  if (group === undefined) {
    respond(syncError(E.UNKNOWN_MEMBER_ID.code));
    return;
  }
  const invalid = validateSync(m, group, input);
  if (invalid !== undefined) {
    respond(syncError(invalid));
    return;
  }
  const { memberId } = input;
  switch (group.state) {
    case 'Empty':
      respond(syncError(E.UNKNOWN_MEMBER_ID.code));
      return;
    case 'PreparingRebalance':
      respond(syncError(E.REBALANCE_IN_PROGRESS.code));
      return;
    case 'CompletingRebalance': {
      group.get(memberId).awaitingSync = respond;
      m.removePendingSyncMember(group, memberId);
      if (group.isLeader(memberId)) storeAssignment(m, group, input.assignments);
      return;
    }
    case 'Stable': {
      m.removePendingSyncMember(group, memberId);
      const member = group.get(memberId);
      respond({ errorCode: 0, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment });
      m.completeAndScheduleNextHeartbeatExpiration(group, member);
      return;
    }
    case 'Dead':
      throw new Error(`SyncGroup reached dead group ${group.groupId}`);
  }
}

function validateSync(m: GroupMembership, group: GroupMetadata, input: SyncGroupInput): number | undefined {
  if (group.is('Dead')) return E.COORDINATOR_NOT_AVAILABLE.code;
  const invalid = m.validateCurrentMember(group, input.memberId, input.groupInstanceId);
  if (invalid !== undefined) return invalid;
  if (input.generationId !== group.generationId) return E.ILLEGAL_GENERATION.code;
  if (input.protocolType !== null && group.protocolType !== input.protocolType) return E.INCONSISTENT_GROUP_PROTOCOL.code;
  if (input.protocolName !== null && group.protocolName !== input.protocolName) return E.INCONSISTENT_GROUP_PROTOCOL.code;
  return undefined;
}

/** The leader's assignment (empty for members it left out) goes to the log first; members hear it once it is there. */
function storeAssignment(m: GroupMembership, group: GroupMetadata, given: ReadonlyMap<string, Buffer>): void {
  const assignment = new Map<string, Buffer>();
  for (const member of group.allMembers()) assignment.set(member.memberId, given.get(member.memberId) ?? Buffer.alloc(0));
  const generation = group.generationId;
  m.ctx.logger.info(`assignment received from leader ${group.leaderId ?? ''} of group ${group.groupId} for generation ${generation} (${group.size} members)`);
  void m.ctx.store.storeGroup(group, assignment).then((errorCode) => {
    // A member may have joined or left while the write was under way: then this generation is over.
    if (!group.is('CompletingRebalance') || group.generationId !== generation) return;
    if (errorCode !== 0) {
      m.resetAndPropagateAssignmentError(group, errorCode);
      m.maybePrepareRebalance(group, `storing the assignment failed with error ${errorCode}`);
    } else {
      m.setAndPropagateAssignment(group, assignment);
      group.transitionTo('Stable');
    }
  }).catch((err: unknown) => m.ctx.logger.error(`completing the rebalance of group ${group.groupId} failed`, err));
}

/**
 * Keeps the member's session alive. REBALANCE_IN_PROGRESS tells it to rejoin; in
 * CompletingRebalance it is NONE (it got its JoinGroup answer and may heartbeat before
 * syncing).
 */
export function heartbeat(m: GroupMembership, group: GroupMetadata | undefined, input: HeartbeatInput): number {
  if (group === undefined) return E.UNKNOWN_MEMBER_ID.code;
  if (group.is('Dead')) return E.COORDINATOR_NOT_AVAILABLE.code;
  const invalid = m.validateCurrentMember(group, input.memberId, input.groupInstanceId);
  if (invalid !== undefined) return invalid;
  if (input.generationId !== group.generationId) return E.ILLEGAL_GENERATION.code;
  switch (group.state) {
    case 'Empty':
      return E.UNKNOWN_MEMBER_ID.code;
    case 'CompletingRebalance':
    case 'Stable':
      m.completeAndScheduleNextHeartbeatExpiration(group, group.get(input.memberId));
      return E.NONE.code;
    case 'PreparingRebalance':
      m.completeAndScheduleNextHeartbeatExpiration(group, group.get(input.memberId));
      return E.REBALANCE_IN_PROGRESS.code;
    case 'Dead':
      return E.COORDINATOR_NOT_AVAILABLE.code;
  }
}

/**
 * Members leave at once (no session wait): each by member id, or, with an empty member id,
 * a static member by its group.instance.id (an administrator removing it). A member still
 * pending (MEMBER_ID_REQUIRED given, not joined) simply goes.
 */
export function leaveGroup(m: GroupMembership, group: GroupMetadata | undefined, leaving: readonly LeavingMember[]): LeaveGroupResult {
  const answer = (member: LeavingMember, errorCode: number): LeaveGroupResult['members'][number] => ({ memberId: member.memberId, groupInstanceId: member.groupInstanceId, errorCode });
  if (group === undefined) return { errorCode: 0, members: leaving.map((l) => answer(l, E.UNKNOWN_MEMBER_ID.code)) };
  if (group.is('Dead')) return { errorCode: E.COORDINATOR_NOT_AVAILABLE.code, members: [] };
  const members = leaving.map((l) => {
    const reason = `member left the group (LeaveGroup); client reason: ${l.reason ?? 'not provided'}`;
    if (l.memberId === '') {
      const current = l.groupInstanceId === null ? undefined : group.staticMemberId(l.groupInstanceId);
      if (current === undefined) return answer(l, E.UNKNOWN_MEMBER_ID.code);
      m.removeCurrentMember(group, current, reason);
      return answer(l, 0);
    }
    if (group.isPendingMember(l.memberId)) {
      m.removePendingMemberAndUpdateGroup(group, l.memberId);
      m.heartbeatPurgatory.checkAndComplete(memberKey(group.groupId, l.memberId));
      return answer(l, 0);
    }
    const invalid = m.validateCurrentMember(group, l.memberId, l.groupInstanceId);
    if (invalid !== undefined) return answer(l, invalid);
    m.removeCurrentMember(group, l.memberId, reason);
    return answer(l, 0);
  });
  return { errorCode: 0, members };
}
