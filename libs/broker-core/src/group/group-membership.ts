import type { BrokerLogger } from '../broker/broker-options.js';
import { KAFKA_ERRORS } from '../errors.js';
import type { DelayedOperation } from '../timer/delayed-operation.js';
import { DelayedOperationPurgatory } from '../timer/delayed-operation-purgatory.js';
import type { Timer } from '../timer/system-timer.js';
import {
  DelayedHeartbeat, DelayedJoin, DelayedSync, InitialDelayedJoin, joinKey, memberKey, syncKey, type RebalanceHooks,
} from './delayed-group-operations.js';
import { GroupMember } from './group-member.js';
import type { GroupMetadata } from './group-metadata.js';
import { joinError, syncError, type JoinGroupInput, type JoinGroupResult, type MemberProtocol } from './group-results.js';
import type { GroupStore } from './group-store.js';

/** How long a new member's parked JoinGroup may wait before it is dropped (Kafka's NewMemberJoinTimeoutMs). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60_000;

export interface GroupMembershipContext {
  readonly timer: Timer;
  readonly store: GroupStore;
  readonly logger: BrokerLogger;
  /** group.initial.rebalance.delay.ms */
  readonly initialRebalanceDelayMs: number;
}

/** A new member's identity and settings, as its JoinGroup gave them (with the id it gets). */
export type JoiningMember = Pick<
  JoinGroupInput, 'memberId' | 'groupInstanceId' | 'clientId' | 'clientHost' | 'rebalanceTimeoutMs' | 'sessionTimeoutMs' | 'protocolType' | 'protocols'
>;

/**
 * The rebalance protocol's moving parts (the membership half of Kafka's GroupCoordinator):
 * starting and completing rebalances, electing the leader, handing out assignments,
 * sessions and their expiry, the join and sync deadlines. The request paths
 * (join-group.ts, sync-group.ts) validate a request and then call in here; the delayed
 * operations call back through `RebalanceHooks`.
 *
 * Timing: every wait is a delayed operation on the shared timing wheel: the rebalance
 * purgatory holds each group's join (`DelayedJoin`, `InitialDelayedJoin`) and sync
 * (`DelayedSync`) deadline, the heartbeat purgatory one session expectation per member
 * (`DelayedHeartbeat`, replaced on every heartbeat). No per-request Node timer exists.
 *
 * Callers: the coordinator's event loop only; a group is never touched concurrently, but
 * group metadata writes are asynchronous, so their continuations re-check the group's
 * state and generation before acting (as Kafka's callbacks do under the group lock).
 */
export class GroupMembership implements RebalanceHooks {
  readonly rebalancePurgatory: DelayedOperationPurgatory<DelayedOperation>;
  readonly heartbeatPurgatory: DelayedOperationPurgatory<DelayedHeartbeat>;

  constructor(readonly ctx: GroupMembershipContext) {
    this.rebalancePurgatory = new DelayedOperationPurgatory<DelayedOperation>('Rebalance', ctx.timer);
    this.heartbeatPurgatory = new DelayedOperationPurgatory<DelayedHeartbeat>('Heartbeat', ctx.timer);
  }

  /** FENCED_INSTANCE_ID when a static member's id is stale, UNKNOWN_MEMBER_ID when it is not a member; else undefined. */
  validateCurrentMember(group: GroupMetadata, memberId: string, groupInstanceId: string | null): number | undefined {
    if (groupInstanceId !== null) {
      const current = group.staticMemberId(groupInstanceId);
      if (current === undefined) return KAFKA_ERRORS.UNKNOWN_MEMBER_ID.code;
      if (current !== memberId) {
        this.ctx.logger.info(`member ${memberId} of group ${group.groupId} is fenced by ${current}, the current member of instance ${groupInstanceId}`);
        return KAFKA_ERRORS.FENCED_INSTANCE_ID.code;
      }
      return undefined;
    }
    return group.has(memberId) ? undefined : KAFKA_ERRORS.UNKNOWN_MEMBER_ID.code;
  }

  /** The current generation as a member sees it in its JoinGroup answer. */
  joinResultFor(group: GroupMetadata, memberId: string, leaderId = group.leaderId ?? '', skipAssignment = false): JoinGroupResult {
    return {
      errorCode: 0, memberId, generationId: group.generationId, protocolType: group.protocolType, protocolName: group.protocolName, leaderId,
      skipAssignment, members: group.isLeader(memberId) && leaderId === memberId ? group.currentMemberMetadata() : [],
    };
  }

  addMemberAndRebalance(group: GroupMetadata, joining: JoiningMember, respond: (r: JoinGroupResult) => void, reason: string): void {
    const { memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs, protocolType, protocols } = joining;
    const member = new GroupMember(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs, protocolType, protocols);
    member.isNew = true;
    // A member joining during the initial delay extends it (InitialDelayedJoin).
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.add(member, respond);
    // A new member cannot heartbeat while its JoinGroup is parked; its join times out instead.
    this.completeAndScheduleNextExpiration(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.maybePrepareRebalance(group, `adding member ${memberId} (instance ${groupInstanceId ?? 'none'}): ${reason}`);
  }

  updateMemberAndRebalance(
    group: GroupMetadata, member: GroupMember, protocols: readonly MemberProtocol[], rebalanceTimeoutMs: number, sessionTimeoutMs: number,
    respond: (r: JoinGroupResult) => void, reason: string,
  ): void {
    group.updateMember(member, protocols, rebalanceTimeoutMs, sessionTimeoutMs, respond);
    this.maybePrepareRebalance(group, reason);
  }

  maybePrepareRebalance(group: GroupMetadata, reason: string): void {
    if (group.canRebalance) this.prepareRebalance(group, reason);
  }

  prepareRebalance(group: GroupMetadata, reason: string): void {
    // Members waiting for their assignment rejoin instead.
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, KAFKA_ERRORS.REBALANCE_IN_PROGRESS.code);
    this.removeSyncExpiration(group);
    const { initialRebalanceDelayMs } = this.ctx;
    const delayed = group.is('Empty')
      ? new InitialDelayedJoin(this, this.rebalancePurgatory, group, initialRebalanceDelayMs, initialRebalanceDelayMs, Math.max(group.rebalanceTimeoutMs - initialRebalanceDelayMs, 0))
      : new DelayedJoin(this, group, group.rebalanceTimeoutMs);
    group.transitionTo('PreparingRebalance');
    this.ctx.logger.info(`preparing to rebalance group ${group.groupId} with old generation ${group.generationId} (${reason})`);
    this.rebalancePurgatory.tryCompleteElseWatch(delayed, [joinKey(group.groupId)]);
  }

  /** Completes the group's join if every member is in now. */
  checkJoin(group: GroupMetadata): void {
    this.rebalancePurgatory.checkAndComplete(joinKey(group.groupId));
  }

  removeMemberAndUpdateGroup(group: GroupMetadata, member: GroupMember, reason: string): void {
    // A new member may expire with its JoinGroup still parked: it hears UNKNOWN_MEMBER_ID and may retry.
    group.maybeInvokeJoin(member, joinError('', KAFKA_ERRORS.UNKNOWN_MEMBER_ID.code));
    group.remove(member.memberId);
    switch (group.state) {
      case 'Dead':
      case 'Empty':
        return;
      case 'Stable':
      case 'CompletingRebalance':
        this.maybePrepareRebalance(group, reason);
        return;
      case 'PreparingRebalance':
        this.checkJoin(group);
    }
  }

  removePendingMemberAndUpdateGroup(group: GroupMetadata, memberId: string): void {
    group.remove(memberId);
    if (group.is('PreparingRebalance')) this.checkJoin(group);
  }

  /** LeaveGroup of a current member: removed at once, its session expectation completed. */
  removeCurrentMember(group: GroupMetadata, memberId: string, reason: string): void {
    this.removeMemberAndUpdateGroup(group, group.get(memberId), reason);
    this.heartbeatPurgatory.checkAndComplete(memberKey(group.groupId, memberId));
  }

  completeAndScheduleNextHeartbeatExpiration(group: GroupMetadata, member: GroupMember): void {
    this.completeAndScheduleNextExpiration(group, member, member.sessionTimeoutMs);
  }

  private completeAndScheduleNextExpiration(group: GroupMetadata, member: GroupMember, timeoutMs: number): void {
    const key = memberKey(group.groupId, member.memberId);
    member.heartbeatSatisfied = true;
    this.heartbeatPurgatory.checkAndComplete(key);
    member.heartbeatSatisfied = false;
    this.heartbeatPurgatory.tryCompleteElseWatch(new DelayedHeartbeat(this, group, member.memberId, false, timeoutMs), [key]);
  }

  /** A member id handed out with MEMBER_ID_REQUIRED is forgotten unless it joins within its session timeout. */
  addPendingMemberExpiration(group: GroupMetadata, memberId: string, timeoutMs: number): void {
    this.heartbeatPurgatory.tryCompleteElseWatch(new DelayedHeartbeat(this, group, memberId, true, timeoutMs), [memberKey(group.groupId, memberId)]);
  }

  removePendingSyncMember(group: GroupMetadata, memberId: string): void {
    group.removePendingSyncMember(memberId);
    this.rebalancePurgatory.checkAndComplete(syncKey(group.groupId));
  }

  removeSyncExpiration(group: GroupMetadata): void {
    group.clearPendingSyncMembers();
    this.rebalancePurgatory.checkAndComplete(syncKey(group.groupId));
  }

  setAndPropagateAssignment(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>): void {
    for (const member of group.allMembers()) member.assignment = assignment.get(member.memberId) ?? Buffer.alloc(0);
    this.propagateAssignment(group, 0);
  }

  resetAndPropagateAssignmentError(group: GroupMetadata, errorCode: number): void {
    for (const member of group.allMembers()) member.assignment = Buffer.alloc(0);
    this.propagateAssignment(group, errorCode);
  }

  private propagateAssignment(group: GroupMetadata, errorCode: number): void {
    for (const member of group.allMembers()) {
      const result = errorCode === 0
        ? { errorCode: 0, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment }
        : syncError(errorCode);
      // A session that expired while the member waited for its assignment was ignored; it starts over from here.
      if (group.maybeInvokeSync(member, result)) this.completeAndScheduleNextHeartbeatExpiration(group, member);
    }
  }

  // ---- RebalanceHooks: called by the delayed operations ----

  tryCompleteJoin(group: GroupMetadata, complete: () => boolean): boolean {
    return group.hasAllMembersJoined ? complete() : false;
  }

  onCompleteJoin(group: GroupMetadata): void {
    // Dynamic members that did not rejoin in time are gone; static ones keep their place until their session expires.
    for (const member of group.notYetRejoinedMembers()) {
      if (member.isStatic) continue;
      group.remove(member.memberId);
      this.heartbeatPurgatory.checkAndComplete(memberKey(group.groupId, member.memberId));
    }
    if (group.is('Dead')) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Nobody rejoined: wait again until sessions remove the silent members.
      this.ctx.logger.error(`group ${group.groupId} could not complete its rebalance because no member rejoined`);
      this.rebalancePurgatory.tryCompleteElseWatch(new DelayedJoin(this, group, group.rebalanceTimeoutMs), [joinKey(group.groupId)]);
      return;
    }
    group.initNextGeneration();
    if (group.is('Empty')) {
      this.ctx.logger.info(`group ${group.groupId} with generation ${group.generationId} is now empty`);
      // If this write is lost, the previous generation is loaded again and its members expire: safe.
      void this.ctx.store.storeGroup(group, new Map()).catch((err: unknown) => this.ctx.logger.error(`storing empty group ${group.groupId} failed`, err));
      return;
    }
    this.ctx.logger.info(`stabilized group ${group.groupId} generation ${group.generationId} with ${group.size} members, protocol ${group.protocolName ?? ''}`);
    for (const member of group.allMembers()) {
      group.maybeInvokeJoin(member, this.joinResultFor(group, member.memberId));
      this.completeAndScheduleNextHeartbeatExpiration(group, member);
      member.isNew = false;
      group.addPendingSyncMember(member.memberId);
    }
    this.rebalancePurgatory.tryCompleteElseWatch(new DelayedSync(this, group, group.generationId, group.rebalanceTimeoutMs), [syncKey(group.groupId)]);
  }

  tryCompletePendingSync(group: GroupMetadata, generationId: number, complete: () => boolean): boolean {
    if (generationId !== group.generationId) return complete();
    if (group.is('CompletingRebalance') || group.is('Stable')) return group.hasReceivedSyncFromAllMembers ? complete() : false;
    return complete();
  }

  onExpirePendingSync(group: GroupMetadata, generationId: number): void {
    if (generationId !== group.generationId || !(group.is('CompletingRebalance') || group.is('Stable'))) return;
    if (group.hasReceivedSyncFromAllMembers) return;
    const late = group.pendingSyncMemberIds();
    for (const memberId of late) {
      group.remove(memberId);
      this.heartbeatPurgatory.checkAndComplete(memberKey(group.groupId, memberId));
    }
    this.prepareRebalance(group, `removing ${late.join(', ')}, who did not send SyncGroup in time`);
  }

  tryCompleteHeartbeat(group: GroupMetadata, memberId: string, isPending: boolean, complete: () => boolean): boolean {
    if (group.is('Dead')) return complete();
    if (isPending) return group.has(memberId) ? complete() : false;
    if (!group.has(memberId) || group.get(memberId).hasSatisfiedHeartbeat) return complete();
    return false;
  }

  onExpireHeartbeat(group: GroupMetadata, memberId: string, isPending: boolean): void {
    if (group.is('Dead')) return;
    if (isPending) {
      this.removePendingMemberAndUpdateGroup(group, memberId);
    } else if (group.has(memberId)) {
      const member = group.get(memberId);
      if (member.hasSatisfiedHeartbeat) return;
      this.ctx.logger.info(`member ${memberId} of group ${group.groupId} has failed (session expired); removing it`);
      this.removeMemberAndUpdateGroup(group, member, `member ${memberId}'s session expired`);
    }
  }

  // ---- the group's partition moved here or away ----

  /** A group loaded from the offsets partition: its members' sessions start now. */
  onGroupLoaded(group: GroupMetadata): void {
    for (const member of group.allMembers()) this.completeAndScheduleNextHeartbeatExpiration(group, member);
  }

  /** The group's partition emigrated (or the broker stops): it is Dead here, and waiting members hear NOT_COORDINATOR. */
  onGroupUnloaded(group: GroupMetadata): void {
    const previous = group.state;
    group.transitionTo('Dead');
    const notCoordinator = KAFKA_ERRORS.NOT_COORDINATOR.code;
    // Every parked request is answered: also a static member's rejoin parked in a Stable group while its metadata is stored.
    for (const member of group.allMembers()) {
      group.maybeInvokeJoin(member, joinError(member.memberId, notCoordinator));
      group.maybeInvokeSync(member, syncError(notCoordinator));
      this.heartbeatPurgatory.checkAndComplete(memberKey(group.groupId, member.memberId));
    }
    if (previous === 'PreparingRebalance') this.checkJoin(group);
    this.removeSyncExpiration(group);
  }

  close(): void {
    this.rebalancePurgatory.shutdown();
    this.heartbeatPurgatory.shutdown();
  }
}
