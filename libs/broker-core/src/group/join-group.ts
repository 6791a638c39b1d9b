import { KAFKA_ERRORS } from '../errors.js';
import type { GroupMembership } from './group-membership.js';
import type { GroupMetadata } from './group-metadata.js';
import { joinError, type JoinGroupInput, type JoinGroupResult } from './group-results.js';

type Respond = (result: JoinGroupResult) => void;

/**
 * JoinGroup against a group its coordinator owns and has loaded (Kafka's
 * GroupCoordinator.handleJoinGroup past validateGroupStatus and the session timeout
 * bounds). `respond` is called once: at once for errors, MEMBER_ID_REQUIRED and rejoins
 * that change nothing; otherwise when the rebalance completes (or the member is dropped).
 *
 * - A member without an id (""): a static member (group.instance.id) takes over its old
 *   id's place; a dynamic one on v4+ first gets an id with MEMBER_ID_REQUIRED ("pending"
 *   until it joins with it, within its session timeout); on v0-v3 it joins at once.
 * - A known member rejoining: in PreparingRebalance it is parked; in CompletingRebalance
 *   with the same protocols it gets the current generation again; in Stable the leader
 *   (or a member whose protocols changed) starts a rebalance, others get the current
 *   generation.
 */
export function joinGroup(m: GroupMembership, group: GroupMetadata, input: JoinGroupInput, maxSize: number, respond: Respond): void {
  if (!acceptJoiningMember(group, input.memberId, maxSize)) {
    group.remove(input.memberId);
    respond(joinError('', KAFKA_ERRORS.GROUP_MAX_SIZE_REACHED.code));
  } else if (input.memberId === '') {
    joinNewMember(m, group, input, respond);
  } else {
    joinCurrentMember(m, group, input, respond);
  }
  if (group.is('PreparingRebalance')) m.checkJoin(group);
}

/** group.max.size: members already waiting (or in a settled group) are let back in; new ones up to the limit. */
function acceptJoiningMember(group: GroupMetadata, memberId: string, maxSize: number): boolean {
  switch (group.state) {
    case 'Empty':
    case 'Dead':
      return true;
    case 'PreparingRebalance':
      return (group.has(memberId) && group.get(memberId).isAwaitingJoin) || group.awaitingJoinMembers < maxSize;
    case 'CompletingRebalance':
    case 'Stable':
      return group.has(memberId) || group.size < maxSize;
  }
}

function joinNewMember(m: GroupMembership, group: GroupMetadata, input: JoinGroupInput, respond: Respond): void {
  if (group.is('Dead')) {
    // The group was unloaded or deleted under us: the member looks up its coordinator again.
    respond(joinError('', KAFKA_ERRORS.COORDINATOR_NOT_AVAILABLE.code));
    return;
  }
  if (!group.supportsProtocols(input.protocolType, input.protocols)) {
    respond(joinError('', KAFKA_ERRORS.INCONSISTENT_GROUP_PROTOCOL.code));
    return;
  }
  const newMemberId = group.generateMemberId(input.clientId, input.groupInstanceId);
  if (input.groupInstanceId !== null) {
    const oldMemberId = group.staticMemberId(input.groupInstanceId);
    if (oldMemberId !== undefined) {
      rejoinStaticMember(m, group, input, input.groupInstanceId, oldMemberId, newMemberId, respond);
    } else {
      m.addMemberAndRebalance(group, { ...input, memberId: newMemberId }, respond, `static member joined; client reason: ${input.reason ?? 'not provided'}`);
    }
  } else if (input.requireKnownMemberId) {
    group.addPendingMember(newMemberId);
    m.addPendingMemberExpiration(group, newMemberId, input.sessionTimeoutMs);
    respond(joinError(newMemberId, KAFKA_ERRORS.MEMBER_ID_REQUIRED.code));
  } else {
    m.addMemberAndRebalance(group, { ...input, memberId: newMemberId }, respond, `new member joined; client reason: ${input.reason ?? 'not provided'}`);
  }
}

/**
 * A known static member restarted (KIP-345): it takes its old place under a new member
 * id. In a Stable group whose chosen protocol stays the same, the group metadata is
 * stored with the new id and the member gets the current generation, without a
 * rebalance (before JoinGroup v9 it is told the old leader id, so a restarted leader
 * does not assign; from v9 it is told it leads but to skip the assignment). A change of
 * protocol, or a group completing a rebalance, rebalances.
 */
function rejoinStaticMember(
  m: GroupMembership, group: GroupMetadata, input: JoinGroupInput, instanceId: string, oldMemberId: string, newMemberId: string, respond: Respond,
): void {
  const currentLeader = group.leaderId ?? '';
  const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId);
  m.completeAndScheduleNextHeartbeatExpiration(group, member);
  const old = { protocols: member.protocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs };
  group.updateMember(member, input.protocols, input.rebalanceTimeoutMs, input.sessionTimeoutMs, respond);
  switch (group.state) {
    case 'Stable': {
      if (group.protocolName !== group.selectProtocol()) {
        m.maybePrepareRebalance(group, `static member ${newMemberId} (instance ${instanceId}) rejoined with other protocols`);
        return;
      }
      const generation = group.generationId;
      const assignment = new Map(group.allMembers().map((mm) => [mm.memberId, mm.assignment]));
      void m.ctx.store.storeGroup(group, assignment).then((errorCode) => {
        // The group moved on meanwhile: a rebalance (or the unload) answers the parked join.
        if (!group.has(newMemberId) || group.generationId !== generation || !group.is('Stable')) return;
        if (errorCode !== 0) {
          // Not stored: the instance keeps its old member id.
          group.updateMember(member, old.protocols, old.rebalanceTimeoutMs, old.sessionTimeoutMs, undefined);
          const restored = group.replaceStaticMember(instanceId, newMemberId, oldMemberId);
          m.completeAndScheduleNextHeartbeatExpiration(group, restored);
          respond({ ...m.joinResultFor(group, '', currentLeader), errorCode });
        } else if (input.supportSkippingAssignment) {
          const isLeader = group.isLeader(newMemberId);
          group.maybeInvokeJoin(member, m.joinResultFor(group, newMemberId, group.leaderId ?? '', isLeader));
        } else {
          group.maybeInvokeJoin(member, m.joinResultFor(group, newMemberId, currentLeader));
        }
      }).catch((err: unknown) => m.ctx.logger.error(`storing group ${group.groupId} after static member ${instanceId} rejoined failed`, err));
      return;
    }
    case 'CompletingRebalance':
      // The old id may already be in the leader's assignment: only a new rebalance gives the new id one.
      m.prepareRebalance(group, `static member ${newMemberId} (instance ${instanceId}) rejoined during CompletingRebalance`);
      return;
    case 'PreparingRebalance':
      return;
    case 'Empty':
    case 'Dead':
      throw new Error(`group ${group.groupId} has static member ${instanceId} but is ${group.state}`);
  }
}

function joinCurrentMember(m: GroupMembership, group: GroupMetadata, input: JoinGroupInput, respond: Respond): void {
  const { memberId } = input;
  if (group.is('Dead')) {
    respond(joinError(memberId, KAFKA_ERRORS.COORDINATOR_NOT_AVAILABLE.code));
    return;
  }
  if (!group.supportsProtocols(input.protocolType, input.protocols)) {
    respond(joinError(memberId, KAFKA_ERRORS.INCONSISTENT_GROUP_PROTOCOL.code));
    return;
  }
  if (group.isPendingMember(memberId)) {
    // The second JoinGroup of a v4+ member, with the id it was given. Pending members are never static.
    if (input.groupInstanceId !== null) {
      respond(joinError(memberId, KAFKA_ERRORS.INVALID_REQUEST.code));
      return;
    }
    m.addMemberAndRebalance(group, input, respond, `pending member joined; client reason: ${input.reason ?? 'not provided'}`);
    return;
  }
  const invalid = m.validateCurrentMember(group, memberId, input.groupInstanceId);
  if (invalid !== undefined) {
    respond(joinError(memberId, invalid));
    return;
  }
  const member = group.get(memberId);
  const reason = `member ${memberId} rejoined during ${group.state}; client reason: ${input.reason ?? 'not provided'}`;
  const update = (): void => m.updateMemberAndRebalance(group, member, input.protocols, input.rebalanceTimeoutMs, input.sessionTimeoutMs, respond, reason);
  switch (group.state) {
    case 'PreparingRebalance':
      update();
      return;
    case 'CompletingRebalance':
      // The same metadata: it missed its JoinGroup answer; it gets the current generation again.
      if (member.matches(input.protocols)) respond(m.joinResultFor(group, memberId));
      else update();
      return;
    case 'Stable':
      // The leader rejoining asks for a rebalance (e.g. it saw topic metadata change).
      if (group.isLeader(memberId) || !member.matches(input.protocols)) update();
      else respond(m.joinResultFor(group, memberId));
      return;
    case 'Empty':
    case 'Dead':
      respond(joinError(memberId, KAFKA_ERRORS.UNKNOWN_MEMBER_ID.code));
  }
}
