import { randomUUID } from 'node:crypto';
import { KAFKA_ERRORS } from '../errors.js';
import type { Time } from '../time.js';
import { CONSUMER_PROTOCOL_TYPE, decodeConsumerSubscription } from './consumer-protocol.js';
import type { GroupMetadataValue } from './group-metadata-value.js';
import { GroupMember } from './group-member.js';
import { GroupOffsets } from './group-offsets.js';
import {
  joinError, syncError, type GroupDescription, type GroupOverview, type JoinGroupMember, type JoinGroupResult, type SyncGroupResult,
} from './group-results.js';
import { canTransition, type GroupState } from './group-state.js';

/**
 * One classic group as its coordinator holds it (Kafka's GroupMetadata): state and when
 * it was entered, protocol type and chosen protocol, generation, leader, members (static
 * ones also by group.instance.id), members that were given an id but have not joined yet
 * (MEMBER_ID_REQUIRED, "pending"), members of a new generation that have not synced yet,
 * and the committed offsets.
 *
 * Invariants: `protocolType` is set from the first member and every member shares it;
 * `supportedProtocols` counts, per protocol name, the members offering it, so the
 * protocols all members support are those counted `members.size` times; the number of
 * members with a parked JoinGroup is `awaitingJoinCount`; the leader, when there are
 * members, is one of them. Transitions follow group-state.ts (an invalid one throws: it
 * is a coordinator bug). Only the coordinator's event loop touches a group.
 */
export class GroupMetadata {
  private stateValue: GroupState;
  /** When the current state was entered (-1 when loaded from a record without one). */
  stateTimestampMs: number;
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  private leader: string | null = null;
  private readonly members = new Map<string, GroupMember>();
  private readonly staticMembers = new Map<string, string>();
  private readonly pendingMembers = new Set<string>();
  private readonly pendingSyncMembers = new Set<string>();
  private readonly supportedProtocols = new Map<string, number>();
  private awaitingJoinCount = 0;
  /** Topics the members subscribe to (consumer groups), or null when unknown: then every topic counts as subscribed. */
  private subscribedTopics: ReadonlySet<string> | null = null;
  /** A member joined during the initial rebalance delay: the delay is extended (InitialDelayedJoin). */
  newMemberAdded = false;
  readonly offsets = new GroupOffsets();

  constructor(readonly groupId: string, initialState: GroupState, private readonly time: Time) {
    this.stateValue = initialState;
    this.stateTimestampMs = time.milliseconds();
  }

  /**
   * A group read back from its latest GroupMetadataValue (Kafka's GroupMetadata.loadGroup):
   * Stable with the stored members and assignments, or Empty without members. A v0 value
   * has no rebalance timeouts; the session timeout stands in, as in Kafka.
   */
  static restore(groupId: string, value: GroupMetadataValue, time: Time): GroupMetadata {
    const group = new GroupMetadata(groupId, value.members.length > 0 ? 'Stable' : 'Empty', time);
    group.generationId = value.generation;
    group.protocolType = value.protocolType === '' ? null : value.protocolType;
    group.protocolName = value.protocol;
    group.leader = value.leader;
    group.stateTimestampMs = value.currentStateTimestampMs;
    for (const m of value.members) {
      const protocols = [{ name: value.protocol ?? '', metadata: m.subscription }];
      const rebalanceTimeoutMs = m.rebalanceTimeoutMs === -1 ? m.sessionTimeoutMs : m.rebalanceTimeoutMs;
      const member = new GroupMember(m.memberId, m.groupInstanceId, m.clientId, m.clientHost, rebalanceTimeoutMs, m.sessionTimeoutMs, value.protocolType, protocols);
      member.assignment = m.assignment;
      group.add(member);
    }
    group.subscribedTopics = group.computeSubscribedTopics();
    return group;
  }

  get state(): GroupState { return this.stateValue; }
  is(state: GroupState): boolean { return this.stateValue === state; }
  has(memberId: string): boolean { return this.members.has(memberId); }
  get(memberId: string): GroupMember {
    const member = this.members.get(memberId);
    if (member === undefined) throw new Error(`group ${this.groupId} has no member ${memberId}`);
    return member;
  }
  get size(): number { return this.members.size; }
  get leaderId(): string | null { return this.leader; }
  isLeader(memberId: string): boolean { return this.leader === memberId; }
  get isConsumerGroup(): boolean { return this.protocolType === CONSUMER_PROTOCOL_TYPE; }
  allMembers(): GroupMember[] { return [...this.members.values()]; }
  get awaitingJoinMembers(): number { return this.awaitingJoinCount; }

  transitionTo(state: GroupState): void {
    if (!canTransition(this.stateValue, state)) throw new Error(`group ${this.groupId} cannot move from ${this.stateValue} to ${state}`);
    this.stateValue = state;
    this.stateTimestampMs = this.time.milliseconds();
  }

  /** Empty, CompletingRebalance and Stable groups may start a rebalance. */
  get canRebalance(): boolean { return canTransition(this.stateValue, 'PreparingRebalance'); }

  add(member: GroupMember, onJoin?: (result: JoinGroupResult) => void): void {
    if (member.groupInstanceId !== null) {
      if (this.staticMembers.has(member.groupInstanceId)) throw new Error(`static member ${member.groupInstanceId} is already in group ${this.groupId}`);
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.leader ??= member.memberId;
    this.members.set(member.memberId, member);
    this.countProtocols(member, 1);
    member.awaitingJoin = onJoin;
    if (onJoin !== undefined) this.awaitingJoinCount++;
    this.pendingMembers.delete(member.memberId);
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member !== undefined) {
      this.members.delete(memberId);
      this.countProtocols(member, -1);
      if (member.isAwaitingJoin) this.awaitingJoinCount--;
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.leader === memberId) this.leader = this.members.keys().next().value ?? null;
    this.pendingMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
  }

  /** New protocols and timeouts for a rejoining member, and its parked JoinGroup (or none). */
  updateMember(member: GroupMember, protocols: GroupMember['protocols'], rebalanceTimeoutMs: number, sessionTimeoutMs: number, onJoin: ((r: JoinGroupResult) => void) | undefined): void {
    this.countProtocols(member, -1);
    member.protocols = protocols;
    this.countProtocols(member, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    if (onJoin !== undefined && !member.isAwaitingJoin) this.awaitingJoinCount++;
    else if (onJoin === undefined && member.isAwaitingJoin) this.awaitingJoinCount--;
    member.awaitingJoin = onJoin;
  }

  private countProtocols(member: GroupMember, delta: 1 | -1): void {
    for (const { name } of member.protocols) this.supportedProtocols.set(name, (this.supportedProtocols.get(name) ?? 0) + delta);
  }

  /** Answers the member's parked JoinGroup, if it has one. */
  maybeInvokeJoin(member: GroupMember, result: JoinGroupResult): void {
    const callback = member.awaitingJoin;
    if (callback === undefined) return;
    member.awaitingJoin = undefined;
    this.awaitingJoinCount--;
    callback(result);
  }

  /** Answers the member's parked SyncGroup, if it has one; returns whether it had. */
  maybeInvokeSync(member: GroupMember, result: SyncGroupResult): boolean {
    const callback = member.awaitingSync;
    if (callback === undefined) return false;
    member.awaitingSync = undefined;
    callback(result);
    return true;
  }

  /**
   * If the leader did not rejoin, another member that did becomes leader. False when no
   * member rejoined (or there are none): the rebalance cannot complete yet.
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leader === null) return false;
    if (this.get(this.leader).isAwaitingJoin) return true;
    for (const member of this.members.values()) {
      if (member.isAwaitingJoin) {
        this.leader = member.memberId;
        return true;
      }
    }
    return false;
  }

  /**
   * A static member rejoined without its member id: it keeps its place under a new id.
   * Whoever still waits under the old id is fenced (FENCED_INSTANCE_ID).
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const member = this.get(oldMemberId);
    this.members.delete(oldMemberId);
    this.maybeInvokeJoin(member, joinError(oldMemberId, KAFKA_ERRORS.FENCED_INSTANCE_ID.code));
    this.maybeInvokeSync(member, syncError(KAFKA_ERRORS.FENCED_INSTANCE_ID.code));
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.leader === oldMemberId) this.leader = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  staticMemberId(groupInstanceId: string): string | undefined { return this.staticMembers.get(groupInstanceId); }
  isPendingMember(memberId: string): boolean { return this.pendingMembers.has(memberId); }
  addPendingMember(memberId: string): void { this.pendingMembers.add(memberId); }
  addPendingSyncMember(memberId: string): void { this.pendingSyncMembers.add(memberId); }
  removePendingSyncMember(memberId: string): void { this.pendingSyncMembers.delete(memberId); }
  get hasReceivedSyncFromAllMembers(): boolean { return this.pendingSyncMembers.size === 0; }
  pendingSyncMemberIds(): string[] { return [...this.pendingSyncMembers]; }
  clearPendingSyncMembers(): void { this.pendingSyncMembers.clear(); }
  get hasAllMembersJoined(): boolean { return this.members.size === this.awaitingJoinCount && this.pendingMembers.size === 0; }
  notYetRejoinedMembers(): GroupMember[] { return [...this.members.values()].filter((m) => !m.isAwaitingJoin); }

  /** The longest rebalance timeout of the members: how long a rebalance waits for rejoins. */
  get rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Kafka's form: `<client or instance id>-<UUID>`. */
  generateMemberId(clientId: string, groupInstanceId: string | null): string {
    return `${groupInstanceId ?? clientId}-${randomUUID()}`;
  }

  /** An Empty group takes any protocol type; otherwise the type must match and one protocol must be common to all. */
  supportsProtocols(protocolType: string, protocols: readonly { name: string }[]): boolean {
    if (this.is('Empty')) return protocolType !== '' && protocols.length > 0;
    return this.protocolType === protocolType && protocols.some((p) => this.supportedProtocols.get(p.name) === this.members.size);
  }

  /** The protocol the members vote for among those all of them support (ties: the first to reach the top count). */
  selectProtocol(): string {
    if (this.members.size === 0) throw new Error(`cannot select a protocol for empty group ${this.groupId}`);
    const candidates = new Set<string>();
    for (const [name, count] of this.supportedProtocols) if (count === this.members.size) candidates.add(name);
    const votes = new Map<string, number>();
    let best = '';
    let bestVotes = 0;
    for (const member of this.members.values()) {
      const choice = member.vote(candidates);
      const n = (votes.get(choice) ?? 0) + 1;
      votes.set(choice, n);
      if (n > bestVotes) [best, bestVotes] = [choice, n];
    }
    return best;
  }

  /** The next generation: CompletingRebalance with a chosen protocol, or Empty without members. */
  initNextGeneration(): void {
    this.generationId++;
    this.protocolName = this.members.size > 0 ? this.selectProtocol() : null;
    this.subscribedTopics = this.computeSubscribedTopics();
    this.transitionTo(this.members.size > 0 ? 'CompletingRebalance' : 'Empty');
    this.clearPendingSyncMembers();
  }

  /** Every member's metadata for the chosen protocol: what the leader assigns from. */
  currentMemberMetadata(): JoinGroupMember[] {
    const protocol = this.protocolName;
    if (protocol === null) throw new Error(`group ${this.groupId} has no protocol in state ${this.stateValue}`);
    return [...this.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata(protocol) }));
  }

  /** Whether members (may) consume `topic`: true when the subscriptions are unknown. */
  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics === null || this.subscribedTopics.has(topic);
  }

  get knownSubscribedTopics(): ReadonlySet<string> | null { return this.subscribedTopics; }

  /** The union of the consumer members' subscriptions; null when not a consumer group or unreadable. */
  computeSubscribedTopics(): ReadonlySet<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.members.size === 0) return new Set();
    const protocol = this.protocolName;
    if (protocol === null) return null;
    const topics = new Set<string>();
    try {
      for (const m of this.members.values()) for (const t of decodeConsumerSubscription(m.metadata(protocol)).topics) topics.add(t);
    } catch {
      return null;
    }
    return topics;
  }

  describe(): GroupDescription {
    const protocol = this.is('Stable') ? this.protocolName : null;
    return {
      errorCode: 0, groupId: this.groupId, state: this.stateValue, protocolType: this.protocolType ?? '', protocol: protocol ?? '',
      members: [...this.members.values()].map((m) => m.describe(protocol)), transactional: this.offsets.transactional,
    };
  }

  overview(): GroupOverview {
    return { groupId: this.groupId, protocolType: this.protocolType ?? '', state: this.stateValue, transactional: this.offsets.transactional };
  }
}
