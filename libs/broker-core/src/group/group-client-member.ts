import { KAFKA_ERRORS, isKafkaError, kafkaErrorName } from '../errors.js';
import type { Cancellable, Scheduler } from '../timer/scheduler.js';
import type { AssignorMember, PartitionCounts } from './assignor.js';
import { assignorFor } from './assignors.js';
import {
  CONSUMER_PROTOCOL_TYPE, decodeConsumerAssignment, decodeConsumerSubscription, encodeConsumerAssignment, encodeConsumerSubscription,
  makeConsumerSubscription, type TopicPartitions,
} from './consumer-protocol.js';
import type {
  HeartbeatInput, JoinGroupInput, JoinGroupMember, JoinGroupResult, LeaveGroupResult, LeavingMember, SyncGroupInput, SyncGroupResult,
} from './group-results.js';

const E = KAFKA_ERRORS;

/** What a member needs from the coordinator side (BrokerApi's member calls, routed to the group's coordinator). */
export interface GroupMemberCalls {
  joinConsumerGroup(input: JoinGroupInput): Promise<JoinGroupResult>;
  syncConsumerGroup(input: SyncGroupInput): Promise<SyncGroupResult>;
  heartbeatConsumerGroup(input: HeartbeatInput): Promise<number>;
  leaveConsumerGroup(groupId: string, members: readonly LeavingMember[]): Promise<LeaveGroupResult>;
}

export interface GroupClientMemberOptions {
  readonly groupId: string;
  readonly clientId: string;
  readonly clientHost: string;
  /** partition.assignment.strategy, in order of preference (names of ASSIGNORS). */
  readonly assignors: readonly string[];
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Wait before retrying after a coordinator error (retry.backoff.ms). */
  readonly retryBackoffMs: number;
  readonly scheduler: Scheduler;
  readonly calls: GroupMemberCalls;
  /** Partition counts of the topics asked (unknown topics left out), for the leader's assignment. */
  readonly partitionCounts: (topics: readonly string[]) => PartitionCounts;
  /**
   * The group hands the member a new assignment (possibly empty). Called before the
   * member rejoins with `[]` when the protocol is eager, so positions can be committed
   * first; `generationId` is the generation the partitions belong to.
   */
  readonly onAssignment: (partitions: TopicPartitions[], generationId: number) => Promise<void> | void;
}

/** Where the member stands; `failure` is set when the group refused it for good. */
export type MemberPhase = 'unjoined' | 'joining' | 'stable' | 'closed';

/**
 * A consumer-group member run by the server on behalf of a REST consumer instance (the
 * Java consumer's ConsumerCoordinator, without a client): JoinGroup with protocol type
 * "consumer" and one protocol per assignor (each carrying the same Subscription), the
 * assignment computed here when this member is the leader (assignors.ts over the
 * subscribed topics' partition counts), SyncGroup, then heartbeats every
 * `heartbeatIntervalMs` on the scheduler (one task per member, re-armed after each beat).
 *
 * Rejoins happen in the background, driven by the heartbeat: REBALANCE_IN_PROGRESS rejoins
 * with the same member id, ILLEGAL_GENERATION with the same id and no generation,
 * UNKNOWN_MEMBER_ID as a new member. Coordinator errors (moving, loading, unavailable) are
 * retried after `retryBackoffMs`; any other error stops the member and is kept in
 * `failure` for the REST door to report. One join runs at a time (`joining`); a
 * subscription change during a join makes it go round again.
 *
 * Eager protocols (range, roundrobin, sticky) give up every partition before rejoining;
 * with cooperative-sticky the member keeps what it owns, and rejoins at once when the new
 * assignment left out a partition it owned (the second rebalance of KIP-429).
 */
export class GroupClientMember {
  memberId = '';
  generationId = -1;
  protocol: string | null = null;
  failure: Error | undefined;
  private topicsValue: string[] = [];
  private owned: TopicPartitions[] = [];
  private phaseValue: MemberPhase = 'unjoined';
  private joining: Promise<void> | undefined;
  private rejoinRequested = false;
  private heartbeatTask: Cancellable | undefined;

  constructor(private readonly o: GroupClientMemberOptions) {
    if (o.assignors.length === 0) throw new RangeError('a member needs at least one assignor');
    for (const name of o.assignors) if (assignorFor(name) === undefined) throw new RangeError(`unknown assignor ${name}`);
  }

  get phase(): MemberPhase { return this.phaseValue; }
  get topics(): readonly string[] { return this.topicsValue; }
  get assignment(): readonly TopicPartitions[] { return this.owned; }

  /**
   * Sets the subscription and (re)joins. Resolves once the first JoinGroup has been
   * answered (so a coordinator that cannot be used is reported to the caller), not when
   * the rebalance completes: that waits for the other members.
   */
  subscribe(topics: readonly string[]): Promise<void> {
    this.topicsValue = [...new Set(topics)].sort();
    let answered!: () => void;
    const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
    void this.rejoin(answered);
    return firstAnswer.then(() => {
      if (this.failure !== undefined) throw this.failure;
    });
  }

  /** Resolves when no join is running (the member is stable, failed or closed). */
  async settled(): Promise<void> {
    while (this.joining !== undefined) await this.joining;
  }

  /** LeaveGroup (when the member has an id), then stops; partitions are given back through onAssignment first. */
  async leave(reason: string): Promise<void> {
    if (this.phaseValue === 'closed') return;
    this.phaseValue = 'closed';
    this.heartbeatTask?.cancel();
    this.heartbeatTask = undefined;
    await this.joining?.catch(() => undefined);
    // Given back while the member id and generation are still valid, so a commit on revocation is accepted.
    if (this.owned.length > 0) await this.assign([], this.generationId).catch(() => undefined);
    const memberId = this.memberId;
    this.memberId = '';
    this.generationId = -1;
    if (memberId === '') return;
    try {
      await this.o.calls.leaveConsumerGroup(this.o.groupId, [{ memberId, groupInstanceId: null, reason }]);
    } catch {
      // The coordinator is gone or moved: the session timeout removes the member.
    }
  }

  /** Runs join and sync until the member is stable, closed or failed; single flight. */
  private rejoin(answered: () => void = () => undefined): Promise<void> {
    if (this.joining !== undefined) {
      this.rejoinRequested = true;
      return this.joining.then(answered);
    }
    this.heartbeatTask?.cancel();
    this.heartbeatTask = undefined;
    this.phaseValue = 'joining';
    this.joining = this.joinLoop(answered).finally(() => {
      this.joining = undefined;
      if (this.phaseValue === 'stable') this.armHeartbeat();
    });
    return this.joining;
  }

  private async joinLoop(answered: () => void): Promise<void> {
    try {
      for (;;) {
        this.rejoinRequested = false;
        if (this.phaseValue === 'closed') return;
        if (!this.cooperative() && this.owned.length > 0) await this.assign([], this.generationId);
        const join = await this.o.calls.joinConsumerGroup(this.joinInput());
        answered();
        if (this.isClosed()) return;
        if (join.errorCode !== 0) {
          await this.onJoinError(join);
          continue;
        }
        this.memberId = join.memberId;
        this.generationId = join.generationId;
        this.protocol = join.protocolName;
        const sync = await this.o.calls.syncConsumerGroup(this.syncInput(join));
        if (this.isClosed()) return;
        if (sync.errorCode !== 0) {
          this.onMemberError(sync.errorCode, 'SyncGroup');
          continue;
        }
        const next = decodeConsumerAssignment(sync.assignment).assignedPartitions;
        const revokedSome = this.cooperative() && this.owned.some((t) => t.partitions.some((p) => !owns(next, t.topic, p)));
        await this.assign(next, join.generationId);
        if (this.rejoinRequested || revokedSome) continue;
        this.phaseValue = 'stable';
        return;
      }
    } catch (err) {
      this.fail(err);
      answered();
    }
  }

  private async onJoinError(join: JoinGroupResult): Promise<void> {
    if (join.errorCode === E.MEMBER_ID_REQUIRED.code) {
      this.memberId = join.memberId;
      return;
    }
    this.onMemberError(join.errorCode, 'JoinGroup');
    if (isCoordinatorError(join.errorCode)) await this.backoff();
  }

  /** Errors that mean "join again"; coordinator errors wait; anything else ends the member. */
  private onMemberError(code: number, call: string): void {
    if (code === E.UNKNOWN_MEMBER_ID.code) {
      this.memberId = '';
      this.generationId = -1;
    } else if (code === E.ILLEGAL_GENERATION.code) {
      this.generationId = -1;
    } else if (code !== E.REBALANCE_IN_PROGRESS.code && !isCoordinatorError(code)) {
      throw new MemberError(code, `${call} of group '${this.o.groupId}' failed: ${kafkaErrorName(code) ?? code}`);
    }
  }

  private backoff(): Promise<void> {
    return new Promise((resolve) => this.o.scheduler.schedule(this.o.retryBackoffMs, resolve));
  }

  private armHeartbeat(): void {
    this.heartbeatTask = this.o.scheduler.schedule(this.o.heartbeatIntervalMs, () => void this.beat());
  }

  private async beat(): Promise<void> {
    this.heartbeatTask = undefined;
    if (this.phaseValue !== 'stable') return;
    let code: number;
    try {
      code = await this.o.calls.heartbeatConsumerGroup({
        groupId: this.o.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: null,
      });
    } catch (err) {
      code = isKafkaError(err) ? err.code : E.COORDINATOR_NOT_AVAILABLE.code;
    }
    if (this.phaseValue !== 'stable') return;
    if (code === 0 || isCoordinatorError(code)) {
      this.armHeartbeat();
      return;
    }
    try {
      this.onMemberError(code, 'Heartbeat');
    } catch (err) {
      this.fail(err);
      return;
    }
    void this.rejoin();
  }

  private fail(err: unknown): void {
    this.failure = err instanceof Error ? err : new Error(String(err));
    if (this.phaseValue !== 'closed') this.phaseValue = 'unjoined';
  }

  private async assign(partitions: TopicPartitions[], generationId: number): Promise<void> {
    this.owned = partitions;
    await this.o.onAssignment(partitions, generationId);
  }

  /** A method, not a field read, so that the check after an await is not narrowed away. */
  private isClosed(): boolean {
    return this.phaseValue === 'closed';
  }

  private cooperative(): boolean {
    return this.protocol === 'cooperative-sticky';
  }

  private joinInput(): JoinGroupInput {
    const metadata = encodeConsumerSubscription(makeConsumerSubscription({
      topics: this.topicsValue, ownedPartitions: this.owned, generationId: this.generationId,
    }));
    return {
      groupId: this.o.groupId, memberId: this.memberId, groupInstanceId: null, requireKnownMemberId: true, supportSkippingAssignment: false,
      clientId: this.o.clientId, clientHost: this.o.clientHost, rebalanceTimeoutMs: this.o.rebalanceTimeoutMs, sessionTimeoutMs: this.o.sessionTimeoutMs,
      protocolType: CONSUMER_PROTOCOL_TYPE, protocols: this.o.assignors.map((name) => ({ name, metadata })), reason: null,
    };
  }

  private syncInput(join: JoinGroupResult): SyncGroupInput {
    const leader = join.leaderId === join.memberId;
    return {
      groupId: this.o.groupId, generationId: join.generationId, memberId: join.memberId, groupInstanceId: null,
      protocolType: CONSUMER_PROTOCOL_TYPE, protocolName: join.protocolName,
      assignments: leader ? this.computeAssignment(join.protocolName ?? '', join.members) : new Map(),
    };
  }

  /** The leader's part: every member's subscription, the chosen assignor, the partition counts. */
  private computeAssignment(protocol: string, joined: readonly JoinGroupMember[]): Map<string, Buffer> {
    const assignor = assignorFor(protocol);
    if (assignor === undefined) throw new MemberError(E.INCONSISTENT_GROUP_PROTOCOL.code, `the group chose protocol '${protocol}', which has no server-side assignor`);
    const members: AssignorMember[] = joined.map((m) => ({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, subscription: decodeConsumerSubscription(m.metadata),
    }));
    const topics = [...new Set(members.flatMap((m) => m.subscription.topics))];
    const result = assignor(members, this.o.partitionCounts(topics));
    const out = new Map<string, Buffer>();
    for (const m of members) out.set(m.memberId, encodeConsumerAssignment({ assignedPartitions: result.get(m.memberId) ?? [], userData: null }));
    return out;
  }
}

/** The group refused the member for good (an error that rejoining cannot fix). */
export class MemberError extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
    this.name = 'MemberError';
  }
}

function isCoordinatorError(code: number): boolean {
  return code === E.NOT_COORDINATOR.code || code === E.COORDINATOR_NOT_AVAILABLE.code || code === E.COORDINATOR_LOAD_IN_PROGRESS.code;
}

function owns(partitions: readonly TopicPartitions[], topic: string, partition: number): boolean {
  return partitions.some((t) => t.topic === topic && t.partitions.includes(partition));
}
