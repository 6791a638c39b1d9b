import type { BrokerApi } from '../broker/broker-api.js';
import { PeriodicTask } from '../broker/periodic-task.js';
import { KAFKA_ERRORS } from '../errors.js';
import type { Time } from '../time.js';
import type { Timer } from '../timer/system-timer.js';
import type { PurgatoryMetrics } from '../timer/delayed-operation-purgatory.js';
import { GroupCache, type LeadershipChange } from './group-cache.js';
import { GroupMembership } from './group-membership.js';
import {
  coordinatorNotFound, joinError, syncError, type CoordinatorLookup, type GroupDescription, type GroupListing, type HeartbeatInput,
  type JoinGroupInput, type JoinGroupResult, type LeaveGroupResult, type LeavingMember, type OffsetCommitInput, type OffsetDeleteResult,
  type OffsetFetchResult, type PartitionError, type SyncGroupInput, type SyncGroupResult, type TopicPartitionRef, type TxnOffsetCommitInput,
} from './group-results.js';
import { parseGroupState } from './group-state.js';
import { GroupStore, type AppendRecords } from './group-store.js';
import { joinGroup } from './join-group.js';
import { OffsetOperations } from './offset-operations.js';
import { OffsetsTopic, type OffsetsTopicContext } from './offsets-topic.js';
import { heartbeat, leaveGroup, syncGroup } from './sync-group.js';
import type { GroupTopicCommits } from './topic-consumers.js';
import { TxnOffsetOperations, type TxnResult } from './txn-offset-operations.js';

const E = KAFKA_ERRORS;

/** FindCoordinator's key types. */
export const COORDINATOR_KEY_TYPE = { GROUP: 0, TRANSACTION: 1 } as const;

export interface GroupCoordinatorContext extends OffsetsTopicContext {
  readonly brokerId: number;
  readonly time: Time;
  readonly timer: Timer;
  /** The broker's produce path (ReplicaManager.appendRecords). */
  readonly append: AppendRecords;
}

/**
 * The group coordinator of one broker (Kafka's classic GroupCoordinator): it coordinates
 * the groups whose `__consumer_offsets` partition this broker leads. See docs/groups.md.
 *
 * Parts: OffsetsTopic (which partition holds a group, its leader, creating the topic),
 * GroupCache (the loaded groups; loading and unloading as leadership moves),
 * GroupMembership with join-group.ts and sync-group.ts (the rebalance protocol),
 * OffsetOperations (commits, fetches, deletions, expiration), TxnOffsetOperations
 * (offsets committed inside transactions, pending until their marker) and GroupStore
 * (records appended through the broker's produce path with acks=all).
 *
 * Every method answers with Kafka error codes, never throws for a request's content, and
 * validates first as Kafka does: INVALID_GROUP_ID, COORDINATOR_NOT_AVAILABLE once closed,
 * COORDINATOR_LOAD_IN_PROGRESS while the group's partition loads, NOT_COORDINATOR when
 * another broker leads it. Callers: the Kafka handlers (and a REST door), the broker's
 * ReplicaRoles hook (`onLeadership`), topic deletion (`onTopicDeleted`) and the
 * WriteTxnMarkers path (`completeTransactionalOffsets`).
 */
export class GroupCoordinator {
  readonly offsetsTopic: OffsetsTopic;
  private readonly cache: GroupCache;
  private readonly membership: GroupMembership;
  private readonly offsets: OffsetOperations;
  private readonly txnOffsets: TxnOffsetOperations;
  private readonly expiration: PeriodicTask;

  constructor(private readonly ctx: GroupCoordinatorContext) {
    const { table, time, timer, logger, defaults } = ctx;
    this.offsetsTopic = new OffsetsTopic({ table, defaults, logger, liveBrokers: ctx.liveBrokers, createTopic: ctx.createTopic });
    const store = new GroupStore({
      append: ctx.append, time, logger, commitTimeoutMs: defaults.offsetsCommitTimeoutMs, partitionFor: (g) => this.offsetsTopic.partitionFor(g),
    });
    this.membership = new GroupMembership({ timer, store, logger, initialRebalanceDelayMs: defaults.groupInitialRebalanceDelayMs });
    this.cache = new GroupCache({
      topic: this.offsetsTopic, membership: this.membership, time, scheduler: timer, logger, loadBufferBytes: defaults.offsetsLoadBufferSize,
      onGroupLoaded: (group) => this.txnOffsets.track(group),
    });
    this.offsets = new OffsetOperations({ cache: this.cache, membership: this.membership, store, table, time, logger, defaults });
    this.txnOffsets = new TxnOffsetOperations({
      cache: this.cache, membership: this.membership, store, table, time, defaults, partitionFor: (g) => this.offsetsTopic.partitionFor(g),
    });
    this.expiration = new PeriodicTask('offset expiration', timer, defaults.offsetsRetentionCheckIntervalMs, async () => {
      const removed = await this.offsets.expire();
      if (removed > 0) logger.info(`removed ${removed} expired offset(s)`);
    }, logger);
  }

  /** The rebalance (join and sync deadlines) and heartbeat purgatories' sizes and totals (operators' views). */
  purgatoryMetrics(): PurgatoryMetrics[] {
    return [this.membership.rebalancePurgatory.metrics(), this.membership.heartbeatPurgatory.metrics()];
  }

  /** Starts the offset expiration task (groups load as leadership arrives, from construction on). */
  start(): void {
    this.expiration.start();
  }

  async findCoordinator(key: string, keyType: number): Promise<CoordinatorLookup> {
    if (keyType === COORDINATOR_KEY_TYPE.TRANSACTION) return coordinatorNotFound(E.COORDINATOR_NOT_AVAILABLE.code, 'Transactions are not supported yet.');
    if (keyType !== COORDINATOR_KEY_TYPE.GROUP) return coordinatorNotFound(E.INVALID_REQUEST.code, `Unknown coordinator type ${keyType}.`);
    if (!this.cache.isActive) return coordinatorNotFound(E.COORDINATOR_NOT_AVAILABLE.code, 'The coordinator is shutting down.');
    return this.offsetsTopic.findCoordinator(key);
  }

  joinGroup(input: JoinGroupInput): Promise<JoinGroupResult> {
    const status = this.cache.validate(input.groupId, 'membership');
    if (status !== undefined) return Promise.resolve(joinError(input.memberId, status));
    const { groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs, groupMaxSize } = this.ctx.defaults;
    if (input.sessionTimeoutMs < groupMinSessionTimeoutMs || input.sessionTimeoutMs > groupMaxSessionTimeoutMs) {
      return Promise.resolve(joinError(input.memberId, E.INVALID_SESSION_TIMEOUT.code));
    }
    let group = this.cache.get(input.groupId);
    if (group === undefined) {
      // Only a member without an id may create the group.
      if (input.memberId !== '') return Promise.resolve(joinError(input.memberId, E.UNKNOWN_MEMBER_ID.code));
      group = this.cache.getOrCreate(input.groupId);
    }
    const joining = group;
    return new Promise((resolve) => joinGroup(this.membership, joining, input, groupMaxSize, resolve));
  }

  syncGroup(input: SyncGroupInput): Promise<SyncGroupResult> {
    const status = this.cache.validate(input.groupId, 'membership');
    // A loading coordinator lost the rebalance's state: the member rejoins (older clients do not know LOAD_IN_PROGRESS here).
    if (status === E.COORDINATOR_LOAD_IN_PROGRESS.code) return Promise.resolve(syncError(E.REBALANCE_IN_PROGRESS.code));
    if (status !== undefined) return Promise.resolve(syncError(status));
    return new Promise((resolve) => syncGroup(this.membership, this.cache.get(input.groupId), input, resolve));
  }

  heartbeat(input: HeartbeatInput): number {
    const status = this.cache.validate(input.groupId, 'membership');
    if (status === E.COORDINATOR_LOAD_IN_PROGRESS.code) return E.NONE.code;
    if (status !== undefined) return status;
    return heartbeat(this.membership, this.cache.get(input.groupId), input);
  }

  leaveGroup(groupId: string, members: readonly LeavingMember[]): LeaveGroupResult {
    const status = this.cache.validate(groupId, 'membership');
    if (status !== undefined) return { errorCode: status, members: [] };
    return leaveGroup(this.membership, this.cache.get(groupId), members);
  }

  commitOffsets(input: OffsetCommitInput): Promise<PartitionError[]> {
    return this.offsets.commit(input);
  }

  /**
   * TxnOffsetCommit: the offsets are written inside the producer's transaction and stay
   * pending (invisible to OffsetFetch, UNSTABLE_OFFSET_COMMIT with require_stable) until
   * `completeTransactionalOffsets` reports its marker.
   */
  commitTransactionalOffsets(input: TxnOffsetCommitInput): Promise<PartitionError[]> {
    return this.txnOffsets.commit(input);
  }

  /**
   * A transaction marker of `producerId` was appended to `__consumer_offsets` partition
   * `offsetsPartition`: COMMIT makes the producer's pending offsets in that partition's
   * groups committed (a later plain commit of a partition still wins), ABORT drops them.
   */
  completeTransactionalOffsets(offsetsPartition: number, producerId: bigint, result: TxnResult): void {
    this.txnOffsets.complete(offsetsPartition, producerId, result);
  }

  fetchOffsets(groupId: string, partitions: readonly TopicPartitionRef[] | null, requireStable: boolean): OffsetFetchResult {
    return this.offsets.fetch(groupId, partitions, requireStable);
  }

  deleteOffsets(groupId: string, partitions: readonly TopicPartitionRef[]): Promise<OffsetDeleteResult> {
    return this.offsets.deleteOffsets(groupId, partitions);
  }

  deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]> {
    return this.offsets.deleteGroups(groupIds);
  }

  describeGroup(groupId: string): GroupDescription {
    const status = this.cache.validate(groupId, 'describe');
    if (status !== undefined) return { errorCode: status, groupId, state: '', protocolType: '', protocol: '', members: [], transactional: false };
    const group = this.cache.get(groupId);
    if (group === undefined) return { errorCode: 0, groupId, state: 'Dead', protocolType: '', protocol: '', members: [], transactional: false };
    return group.describe();
  }

  /** The groups coordinated here, optionally only those in the named states (case-insensitive). */
  listGroups(states: readonly string[]): GroupListing {
    if (!this.cache.isActive) return { errorCode: E.COORDINATOR_NOT_AVAILABLE.code, groups: [] };
    const wanted = new Set(states.map((s) => parseGroupState(s)));
    const groups = this.cache.all().filter((g) => states.length === 0 || wanted.has(g.state)).map((g) => g.overview());
    return { errorCode: this.cache.isLoading ? E.COORDINATOR_LOAD_IN_PROGRESS.code : 0, groups };
  }

  /** The committed offsets of the groups coordinated here on these topics, read from memory (a topics table's consumers). */
  commitsOnTopics(topics: readonly string[]): GroupTopicCommits[] {
    const out: GroupTopicCommits[] = [];
    for (const group of this.cache.all()) {
      for (const topic of topics) {
        const committed = group.offsets.committedOn(topic);
        if (committed.length === 0) continue;
        const offsets = committed.map(({ partition, offset }) => ({ topic, partition, offset, metadata: '' }));
        out.push({ groupId: group.groupId, topic, transactional: group.offsets.transactional, offsets });
      }
    }
    return out;
  }

  /** ReplicaRoles' hook: offsets partitions this broker now leads load, those it no longer leads unload. */
  onLeadership(changes: readonly LeadershipChange[]): void {
    this.cache.onLeadership(changes);
    this.txnOffsets.prune();
  }

  /** A topic was deleted: groups coordinated here forget its offsets. */
  onTopicDeleted(topic: string): void {
    void this.offsets.topicDeleted(topic).catch((err: unknown) => this.ctx.logger.error(`removing offsets of deleted topic ${topic} failed`, err));
  }

  /** One expiration pass now (tests and operators); returns the offsets removed. */
  expireOffsetsNow(): Promise<number> {
    return this.offsets.expire();
  }

  /** Stops: groups unload (parked requests answer NOT_COORDINATOR), the delayed operations and the expiration task stop. */
  async close(): Promise<void> {
    this.cache.close();
    this.membership.close();
    await this.expiration.stop();
  }
}

/** The coordinator of a broker that has one (every Broker does; other BrokerApi implementations may not). */
export function groupCoordinatorOf(broker: BrokerApi): GroupCoordinator | undefined {
  const groups = (broker as { readonly groups?: unknown }).groups;
  return groups instanceof GroupCoordinator ? groups : undefined;
}
