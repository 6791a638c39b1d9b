import type { ConfigEntry } from '../log/config/log-config.js';
import type { AbortedTxn, AppendOrigin, ProducerStateInfo } from '../log/partition/types.js';
import type {
  HeartbeatInput, JoinGroupInput, JoinGroupResult, LeaveGroupResult, LeavingMember, OffsetCommitInput, PartitionError, SyncGroupInput, SyncGroupResult,
} from '../group/group-results.js';
import type { TopicConsumers } from '../group/topic-consumers.js';
import type { PurgatoryMetrics } from '../timer/delayed-operation-purgatory.js';
import type { TimerMetrics } from '../timer/system-timer.js';
import type { AclBinding, AclBindingFilter, AclOperation, AclResourceType, AuthorizeRequest } from '../security/acl.js';
import type { KafkaPrincipal } from '../security/principal.js';

/**
 * What the two doors (the REST gateway, and the Kafka protocol listener to come) need
 * from a running broker. `Broker` implements it; the gateway depends on this interface
 * only, so REST code never reaches into logs or the registry directly.
 *
 * Offsets are bigint, as Kafka's int64. Errors are `KafkaError`s with Kafka's names
 * (UNKNOWN_TOPIC_OR_PARTITION, TOPIC_ALREADY_EXISTS, INVALID_CONFIG, INVALID_PARTITIONS,
 * INVALID_REPLICATION_FACTOR, INVALID_TOPIC_EXCEPTION, MESSAGE_TOO_LARGE, ...), which the
 * gateway maps to Confluent's error bodies.
 */
export interface BrokerApi {
  readonly clusterId: string;
  readonly brokerId: number;

  describeCluster(): ClusterDescription;

  listTopics(options?: { includeInternal?: boolean }): TopicDescription[];
  /**
   * Every topic's partition counts and size without describing each partition: what a
   * list of thousands of topics needs (listTopics builds 40,000 descriptions for 40,000
   * partitions).
   */
  topicStats(options?: { includeInternal?: boolean }): TopicStats[];
  /** Throws UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist. */
  describeTopic(name: string): TopicDescription;
  /** The name of the topic with this id (base64url, as TopicDescription.topicId), if it exists. */
  topicNameById(topicId: string): string | undefined;
  /**
   * Throws UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist, as describeTopic
   * does, without building a description: the check every produce request makes first.
   */
  requireTopic(name: string): void;
  createTopic(topic: NewTopic, options?: { validateOnly?: boolean }): Promise<TopicDescription>;
  /** Marks the topic for deletion (/admin/delete_topics), then removes its logs. */
  deleteTopic(name: string): Promise<void>;
  /** Raises the partition count; lowering it is INVALID_PARTITIONS. */
  createPartitions(name: string, totalCount: number, options?: { validateOnly?: boolean }): Promise<TopicDescription>;

  /** This broker's own settings under Kafka's names (read-only, STATIC_BROKER_CONFIG). */
  describeBrokerConfigs(): ConfigEntry[];

  /** Every topic config with its effective value, default or override. */
  describeTopicConfigs(name: string): ConfigEntry[];
  /**
   * Sets (value string) or reverts to default (value null) configs, all validated before
   * any is applied (INVALID_CONFIG naming the config on error).
   */
  alterTopicConfigs(name: string, changes: readonly ConfigChange[], options?: { validateOnly?: boolean }): Promise<ConfigEntry[]>;

  /**
   * The shared produce path: appends one or more stored-format record batches per
   * partition (a Produce request's `records` field), as the Kafka protocol delivers them.
   */
  appendRecords(entries: readonly AppendEntry[], options: AppendOptions): Promise<AppendResult[]>;
  /**
   * Encodes records into one batch per partition and appends them through
   * `appendRecords`. A record without a partition is placed by Kafka's default
   * partitioner: murmur2 of the key, sticky partition for null keys.
   */
  produce(topic: string, records: readonly ProduceRecord[], options?: Partial<AppendOptions>): Promise<ProduceResult[]>;

  /** The shared fetch path: stored batch bytes per partition, bounded by the high watermark. */
  fetch(requests: readonly FetchRequest[], options?: FetchOptions): Promise<FetchResult[]>;
  /** Decoded records of one partition for REST consumers and the console's message browser. */
  readRecords(topic: string, partition: number, query: ReadQuery): Promise<ReadResult>;
  /**
   * Kafka's ListOffsets: -1 latest (the HW, the LSO for read_committed; the log end offset
   * for a follower asking, `replicaId` >= 0), -2 earliest, -3 the largest timestamp, else
   * the first offset with timestamp >= it (below the HW or LSO). `currentLeaderEpoch`
   * (>= 0) fences a client with a stale view.
   */
  listOffset(
    topic: string, partition: number, timestamp: bigint, options?: ListOffsetOptions,
  ): Promise<{ offset: bigint; timestamp: bigint } | undefined>;
  /**
   * Kafka's OffsetForLeaderEpoch (KIP-101/279), answered by the leader: the largest epoch
   * <= `leaderEpoch` in its epoch cache and where that epoch ended. Throws
   * NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH.
   */
  offsetForLeaderEpoch(topic: string, partition: number, leaderEpoch: number, currentLeaderEpoch: number): { leaderEpoch: number; endOffset: bigint };

  /** Moves a partition's log start offset forward (DeleteRecords). */
  deleteRecords(topic: string, partition: number, beforeOffset: bigint): Promise<bigint>;

  /** Counters since start, for /metrics and the console's throughput figures. */
  topicCounters(): ReadonlyMap<string, TopicCounters>;

  /** Whether this broker currently leads the partition (where a multi-broker host routes produce and fetch). */
  leads(topic: string, partition: number): boolean;

  /** Topic created, deleted, partitions added, configs changed, offsets moved. Returns an unsubscribe. */
  onChange(listener: (event: BrokerChange) => void): () => void;

  /**
   * Every broker the cluster knows: registered ones (online, or shutting down) and ids
   * that replica assignments name but that have no registration (offline). By id.
   */
  describeBrokers(): BrokerStatus[];
  /** Partition counts across the cluster: under-replicated, offline, under min ISR. */
  clusterHealth(): ClusterHealth;
  /**
   * Kafka's ElectLeaders: `preferred` moves leadership to the first replica when it is
   * alive and in the ISR; `unclean` elects from live replicas outside the ISR for
   * partitions without a leader. `partitions` null means every partition. The
   * controller carries it out; the promise settles when it has (or per-partition errors).
   */
  electLeaders(type: ElectionType, partitions: readonly TopicPartitionRef[] | null): Promise<PartitionOutcome[]>;
  /** Kafka's AlterPartitionReassignments: a target replica list per partition, or null to cancel. */
  alterPartitionReassignments(changes: readonly ReassignmentChange[]): Promise<PartitionOutcome[]>;
  /** Kafka's ListPartitionReassignments: ongoing reassignments (all, or the ones asked for). */
  listPartitionReassignments(partitions: readonly TopicPartitionRef[] | null): PartitionReassignment[];
  /** Kafka's DescribeLogDirs for this broker: its log directory and the size of every replica in it. */
  describeLogDirs(): LogDirDescription[];

  // ---- consumer groups (W7): served by the group's coordinator (docs/groups.md) ----

  /** Every group the reachable coordinators know (a LocalCluster: those of its hosted brokers). */
  listConsumerGroups(): Promise<ConsumerGroupSummary[]>;
  /** Throws GROUP_ID_NOT_FOUND for a group its coordinator does not know (Kafka's Dead). */
  describeConsumerGroup(groupId: string): Promise<ConsumerGroupInfo>;
  /** The group's committed offsets (OffsetFetch of every partition), by topic then partition. */
  fetchConsumerGroupOffsets(groupId: string): Promise<CommittedOffset[]>;
  /** A simple commit (generation -1, no member), as admin tools make; per-partition error codes. */
  commitConsumerGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<PartitionOutcome[]>;
  /** DeleteGroups of one group: NON_EMPTY_GROUP while it has members, GROUP_ID_NOT_FOUND if unknown. */
  deleteConsumerGroup(groupId: string): Promise<void>;
  /**
   * The groups with committed offsets on each of these topics and their summed lag
   * (group/topic-consumers.ts), from the coordinators of this process only (a LocalCluster:
   * its hosted brokers); in `topics`' order. For a page of a topics table, not all topics.
   */
  consumersOfTopics(topics: readonly string[]): Promise<TopicConsumers[]>;
  /** Per partition (committed and assigned ones): end offset minus committed offset (group/lag.ts). */
  consumerGroupLags(groupId: string, options?: LagOptions): Promise<ConsumerGroupLags>;
  /**
   * Plans (dry run) or applies an offset reset (group/offset-reset.ts); only for an Empty
   * or Dead group, else OffsetResetRefused with Kafka's wording.
   */
  resetConsumerGroupOffsets(groupId: string, request: OffsetResetRequest, options?: { audit?: OffsetResetAuditSink }): Promise<OffsetResetResult>;

  // ---- group members run by the server (REST v2 consumers, group/group-client-member.ts) ----
  // The coordinator's own calls, answered with Kafka error codes; a coordinator this
  // process cannot reach directly throws NOT_COORDINATOR naming it (a LocalCluster).

  joinConsumerGroup(input: JoinGroupInput): Promise<JoinGroupResult>;
  syncConsumerGroup(input: SyncGroupInput): Promise<SyncGroupResult>;
  heartbeatConsumerGroup(input: HeartbeatInput): Promise<number>;
  leaveConsumerGroup(groupId: string, members: readonly LeavingMember[]): Promise<LeaveGroupResult>;
  /** A member's commit, checked against its generation and member id (OffsetCommit). */
  commitConsumerGroupMemberOffsets(input: OffsetCommitInput): Promise<PartitionError[]>;

  // ---- transactions (W8): served by the transactional id's coordinator (docs/transactions.md) ----

  /** Kafka's ListTransactions over the reachable coordinators, optionally filtered. */
  listTransactions(filter?: TransactionFilter): Promise<TransactionListing[]>;
  /** Kafka's DescribeTransactions for one id; throws TRANSACTIONAL_ID_NOT_FOUND when its coordinator does not know it. */
  describeTransaction(transactionalId: string): Promise<TransactionDescription>;
  /**
   * An admin's abort of a transaction (a hanging one, typically): done as its timeout
   * would, the producer epoch bumped (fencing the producer), ABORT markers written to its
   * partitions. Resolves with the state once the abort is prepared; INVALID_TXN_STATE when
   * nothing is open.
   */
  abortTransaction(transactionalId: string): Promise<TransactionDescription>;
  /** Kafka's DescribeProducers for one partition (on its leader): active producers and open transactions. */
  describeProducers(topic: string, partition: number): Promise<ProducerStateInfo[]>;
  /**
   * How many offsets in [fromOffset, toOffset) of a partition hold control records
   * (transaction markers), which no consumer ever receives: lag leaves them out.
   */
  countControlRecords(topic: string, partition: number, fromOffset: bigint, toOffset: bigint): Promise<number>;

  /** Operators' view of the waiting requests: every purgatory's sizes and totals, and the timing wheel. Pure reads, cheap. */
  delayedOperations(): DelayedOperationsSnapshot;

  /**
   * Kafka's AclAuthorizer over the ACLs in the registry (security/authorizer.ts): may the
   * principal do this? Synchronous, from memory; both doors ask it.
   */
  authorize(req: AuthorizeRequest): boolean;
  /** The operations the principal may do on the resource, as KIP-430's bits. */
  authorizedOperations(principal: KafkaPrincipal, host: string, resourceType: AclResourceType, resourceName: string): number;
  /** Whether the principal may do `operation` on some resource of the type (InitProducerId's WRITE on any topic). */
  authorizeAnyResource(principal: KafkaPrincipal, host: string, operation: AclOperation, resourceType: AclResourceType): boolean;
  /** Every stored ACL the filter matches. */
  describeAcls(filter: AclBindingFilter): AclBinding[];
  /** Stores the ACLs (validated by the caller, see invalidBinding); those already stored stay once. */
  createAcls(bindings: readonly AclBinding[]): Promise<void>;
  /** Removes every ACL each filter matches; per filter, the ACLs it removed. */
  deleteAcls(filters: readonly AclBindingFilter[]): Promise<AclBinding[][]>;
}

/** A purgatory's metrics, with the broker that holds it. */
export interface BrokerPurgatoryMetrics extends PurgatoryMetrics {
  readonly brokerId: number;
}

/**
 * The purgatories of the brokers answering (Produce and Fetch from the replica manager,
 * Rebalance and Heartbeat from the group coordinator) and the timing wheel their
 * timeouts wait on (one timer shared by every broker of a process).
 */
export interface DelayedOperationsSnapshot {
  readonly purgatories: readonly BrokerPurgatoryMetrics[];
  readonly timer: TimerMetrics;
}

/** The transaction coordinator's states (Kafka's TransactionState names). */
export type TransactionState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort' | 'Dead' | 'PrepareEpochFence';

export interface TransactionFilter {
  /** Only these states (Kafka's names); empty or absent: all. */
  readonly states?: readonly string[];
  readonly producerIds?: readonly bigint[];
  /** Only transactions open longer than this (KIP-994 DurationFilter), -1 or absent: all. */
  readonly minDurationMs?: number;
}

export interface TransactionListing {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly state: TransactionState;
  /** The broker coordinating it. */
  readonly coordinatorId: number;
}

export interface ListOffsetOptions {
  readonly replicaId?: number;
  readonly currentLeaderEpoch?: number;
  /** Default read_uncommitted. */
  readonly isolation?: IsolationLevel;
}

/** What lag is measured against: the HW (read_uncommitted) or the LSO (read_committed). */
export type IsolationLevel = 'read_uncommitted' | 'read_committed';

export interface LagOptions {
  /** Default: read_committed for transactional groups, read_uncommitted otherwise. */
  readonly isolation?: IsolationLevel;
}

export interface TransactionDescription extends TransactionListing {
  readonly producerEpoch: number;
  readonly transactionTimeoutMs: number;
  /** When the open transaction started (its first AddPartitions/AddOffsets), -1 when none is open. */
  readonly transactionStartTimeMs: number;
  readonly lastUpdateTimeMs: number;
  /** Partitions of the open (or completing) transaction. */
  readonly partitions: readonly TopicPartitionRef[];
}

/** WriteTxnMarkers' request for one producer: the coordinator's marker for each of the partitions. */
export interface TxnMarkerEntry {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly coordinatorEpoch: number;
  readonly result: 'COMMIT' | 'ABORT';
  readonly partitions: readonly TopicPartitionRef[];
}

export interface ConsumerGroupSummary {
  readonly groupId: string;
  /** Kafka's state names: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead. */
  readonly state: string;
  /** "consumer" for Kafka consumers; "" for groups with only simple commits. */
  readonly protocolType: string;
  /** The chosen protocol (the assignor for consumers), "" unless Stable. */
  readonly protocol: string;
  readonly memberCount: number;
  /** The broker coordinating the group (leader of its __consumer_offsets partition). */
  readonly coordinatorId: number;
  /**
   * The group commits its offsets inside transactions (TxnOffsetCommit, an exactly-once
   * pipeline): its consumers are taken to read committed, so its lag is measured to the LSO.
   * Known from the group's own coordinator only (DescribeGroups has no such field).
   */
  readonly transactional?: boolean;
}

export interface ConsumerGroupMemberInfo {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly host: string;
  /** Decoded from the consumer protocol's Assignment; empty for other protocols or while rebalancing. */
  readonly assignment: readonly TopicPartitionRef[];
}

export interface ConsumerGroupInfo extends ConsumerGroupSummary {
  readonly members: readonly ConsumerGroupMemberInfo[];
}

export interface TopicPartitionOffset extends TopicPartitionRef {
  readonly offset: bigint;
}

export interface CommittedOffset extends TopicPartitionOffset {
  readonly metadata: string;
}

export interface PartitionLagInfo extends TopicPartitionRef {
  /** null: nothing committed for the partition (no lag figure, as Kafka's tools print "-"). */
  readonly committedOffset: bigint | null;
  readonly logStartOffset: bigint;
  /** The HW (read_uncommitted; the LSO for read_committed once transactions exist). */
  readonly logEndOffset: bigint;
  /** logEndOffset - committedOffset, not clamped (as kafka-consumer-groups); null without a commit. */
  readonly lag: bigint | null;
  /** The member the partition is assigned to, if any. */
  readonly memberId: string | null;
  readonly groupInstanceId: string | null;
  readonly clientId: string | null;
}

export interface ConsumerGroupLags {
  readonly groupId: string;
  /** The isolation the lag was measured for (logEndOffset is the LSO for read_committed). */
  readonly isolation?: IsolationLevel;
  readonly partitions: readonly PartitionLagInfo[];
  readonly totalLag: bigint;
  /** The partition with the largest lag (first in topic, partition order on ties); null with no lag figure. */
  readonly maxLag: PartitionLagInfo | null;
}

export type OffsetResetMode =
  | { readonly mode: 'earliest' }
  | { readonly mode: 'latest' }
  | { readonly mode: 'current' }
  | { readonly mode: 'offset'; readonly offset: bigint }
  | { readonly mode: 'shift-by'; readonly shiftBy: bigint }
  /** Epoch milliseconds: the first offset with a timestamp at or after it. */
  | { readonly mode: 'datetime'; readonly timestampMs: number }
  /** ISO-8601 duration (PnDTnHnMnS) back from now. */
  | { readonly mode: 'duration'; readonly duration: string }
  | { readonly mode: 'from-group'; readonly groupId: string };

export type OffsetResetScope =
  /** The partitions the group has committed offsets for. */
  | { readonly scope: 'all' }
  | { readonly scope: 'topic'; readonly topic: string }
  | { readonly scope: 'partitions'; readonly partitions: readonly TopicPartitionRef[] };

export type OffsetResetRequest = OffsetResetMode & OffsetResetScope & { readonly dryRun: boolean };

export interface PartitionOffsetReset extends TopicPartitionRef {
  readonly before: bigint | null;
  readonly after: bigint;
  readonly logStartOffset: bigint;
  readonly logEndOffset: bigint;
  /** The target before clamping into [log start, end], when it was outside. */
  readonly clampedFrom: bigint | null;
}

export interface OffsetResetResult {
  readonly groupId: string;
  readonly dryRun: boolean;
  readonly partitions: readonly PartitionOffsetReset[];
}

/** Where applied resets are recorded (the audit log of W10); the default does nothing. */
export interface OffsetResetAuditSink {
  offsetsReset(groupId: string, request: OffsetResetRequest, result: OffsetResetResult): void;
}

export interface LogDirDescription {
  /** The directory as this broker names it. */
  readonly path: string;
  /** The file system's size and free space under it, -1 when unknown. */
  readonly totalBytes: bigint;
  readonly usableBytes: bigint;
  readonly replicas: readonly { readonly topic: string; readonly partition: number; readonly sizeBytes: number; readonly offsetLag: bigint }[];
}

export type BrokerLiveness = 'online' | 'shutting_down' | 'offline';

export interface BrokerStatus {
  readonly brokerId: number;
  /** null for an offline broker (no registration to read). */
  readonly host: string | null;
  readonly port: number | null;
  readonly rack: string | null;
  readonly status: BrokerLiveness;
  readonly isController: boolean;
  /** Partitions whose current leader is this broker. */
  readonly partitionsLed: number;
  /** Partition replicas assigned to this broker. */
  readonly replicas: number;
  /** Assigned replicas of this broker that are not in their partition's ISR. */
  readonly outOfSyncReplicas: number;
  /** Bytes in this broker's partition logs when the broker is hosted in this process, else null. */
  readonly logDirSizeBytes: number | null;
}

export interface ClusterHealth {
  readonly controllerId: number;
  readonly controllerEpoch: number;
  readonly brokersOnline: number;
  readonly brokersOffline: number;
  readonly partitions: number;
  /** ISR smaller than the replica list. */
  readonly underReplicated: number;
  /** ISR smaller than the topic's min.insync.replicas (acks=all produce fails). */
  readonly underMinIsr: number;
  /** No live leader. */
  readonly offline: number;
}

export type ElectionType = 'preferred' | 'unclean';

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

export interface PartitionOutcome extends TopicPartitionRef {
  /** 0 on success, else a Kafka error code (ELECTION_NOT_NEEDED, ELIGIBLE_LEADERS_NOT_AVAILABLE, ...). */
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export interface ReassignmentChange extends TopicPartitionRef {
  /** The target replica list, or null to cancel an ongoing reassignment. */
  readonly replicas: readonly number[] | null;
}

export interface PartitionReassignment extends TopicPartitionRef {
  readonly replicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}

export interface BrokerEndpointInfo {
  readonly brokerId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export interface ClusterDescription {
  readonly clusterId: string;
  readonly controllerId: number;
  readonly brokers: readonly BrokerEndpointInfo[];
}

export interface PartitionDescription {
  readonly partition: number;
  /** -1 when the partition has no leader. */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly logStartOffset: bigint;
  readonly highWatermark: bigint;
  /** Last Stable Offset: the HW, or the first offset of the oldest open transaction when that is lower. */
  readonly lastStableOffset: bigint;
  readonly logEndOffset: bigint;
  readonly sizeBytes: number;
  /** No live leader: produce and fetch fail until one is elected. */
  readonly offline: boolean;
  /** Replicas whose broker is not registered. */
  readonly offlineReplicas: readonly number[];
  /** Ongoing reassignment (empty when none). */
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}

export interface TopicStats {
  readonly name: string;
  readonly internal: boolean;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Partitions whose ISR is smaller than their replica set. */
  readonly underReplicated: number;
  /** Partitions without a live leader. */
  readonly offline: number;
  /** Bytes of the partition logs this process holds (as PartitionDescription.sizeBytes). */
  readonly sizeBytes: number;
}

export interface TopicDescription {
  readonly name: string;
  /** Base64url of a random 16-byte UUID, as Kafka's topic ids. */
  readonly topicId: string;
  readonly internal: boolean;
  readonly replicationFactor: number;
  readonly partitions: readonly PartitionDescription[];
}

export interface NewTopic {
  readonly name: string;
  /** Defaults to the broker's num.partitions (1). */
  readonly partitions?: number;
  /** Defaults to default.replication.factor (1); more than the live brokers is INVALID_REPLICATION_FACTOR. */
  readonly replicationFactor?: number;
  readonly configs?: Readonly<Record<string, string>>;
}

export interface ConfigChange {
  readonly name: string;
  /** null reverts the config to its default. */
  readonly value: string | null;
}

export interface AppendEntry {
  readonly topic: string;
  readonly partition: number;
  /** One or more RecordBatch v2 batches, offsets to be assigned by the log. */
  readonly records: Buffer;
}

export interface AppendOptions {
  /** 0, 1 or -1 (all in-sync replicas). */
  readonly acks: 0 | 1 | -1;
  readonly timeoutMs: number;
  /**
   * Whether internal topics (__consumer_offsets) may be written: only by the broker's own
   * coordinators, as Kafka's internalTopicsAllowed; clients get INVALID_TOPIC_EXCEPTION.
   */
  readonly internalTopicsAllowed?: boolean;
  /** 'coordinator' for a broker coordinator's transactional appends (see AppendOrigin); default 'client'. */
  readonly origin?: AppendOrigin;
}

export interface AppendResult {
  readonly topic: string;
  readonly partition: number;
  /** 0 on success, else a Kafka error code; errorMessage says why. */
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly baseOffset: bigint;
  /** -1 unless the topic uses LogAppendTime. */
  readonly logAppendTime: bigint;
  readonly logStartOffset: bigint;
}

export interface RecordHeaderInput {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface ProduceRecord {
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: readonly RecordHeaderInput[];
  /** Milliseconds; defaults to now. */
  readonly timestamp?: number;
}

export interface ProduceResult {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** The record's timestamp as stored (its own, or the log append time). */
  readonly timestamp: bigint;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export interface FetchRequest {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: bigint;
  readonly maxBytes: number;
  /** The leader epoch the client believes current (Fetch v9+); -1 or absent skips the check (KIP-320). */
  readonly currentLeaderEpoch?: number;
  /** A follower's own log start offset (Fetch v5+ from replicas). */
  readonly logStartOffset?: bigint;
}

export interface FetchOptions {
  /**
   * The fetching follower's broker id (Fetch's replica_id >= 0): it reads up to the
   * leader's log end offset rather than the HW, and its fetch offset is its LEO for the
   * leader's HW and ISR. Absent or negative for consumers.
   */
  readonly replicaId?: number;
  /** Wait up to this long for minBytes (on the timing wheel's purgatory); default 0. */
  readonly maxWaitMs?: number;
  readonly minBytes?: number;
  /**
   * The response's max_bytes across all partitions (Fetch v3+), filled in request order;
   * the first partition with data may still exceed it by one batch. Unlimited by default.
   */
  readonly maxBytes?: number;
  readonly isolation?: 'read_uncommitted' | 'read_committed';
}

export interface FetchResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
  readonly lastStableOffset: bigint;
  /** read_committed only: aborted transactions overlapping the records returned (Fetch's AbortedTransactions). */
  readonly abortedTransactions?: readonly Pick<AbortedTxn, 'producerId' | 'firstOffset'>[];
  /** Stored batch bytes, whole batches, as they are on disk. */
  readonly records: Buffer;
}

export type ReadStart =
  | { readonly offset: bigint }
  | { readonly timestamp: number }
  | { readonly position: 'oldest' | 'newest' };

export interface ReadQuery {
  readonly start: ReadStart;
  /** oldest-first (forward) or newest-first (backward from the start). */
  readonly direction?: 'forward' | 'backward';
  readonly maxRecords?: number;
  readonly maxBytes?: number;
}

export interface RecordHeaderView {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface RecordView {
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeaderView[];
}

export interface ReadResult {
  readonly records: readonly RecordView[];
  /** Where a forward read continues; for backward reads, the offset before the oldest returned. */
  readonly nextOffset: bigint;
  readonly logStartOffset: bigint;
  readonly highWatermark: bigint;
}

export interface TopicCounters {
  readonly recordsIn: number;
  readonly bytesIn: number;
  readonly recordsOut: number;
  readonly bytesOut: number;
}

export type BrokerChange =
  | { readonly type: 'topic-created'; readonly topic: string }
  | { readonly type: 'topic-deleted'; readonly topic: string }
  | { readonly type: 'partitions-created'; readonly topic: string; readonly partitions: number }
  | { readonly type: 'configs-changed'; readonly topic: string }
  | { readonly type: 'records-appended'; readonly topic: string; readonly partition: number; readonly highWatermark: bigint }
  | { readonly type: 'log-start-moved'; readonly topic: string; readonly partition: number; readonly logStartOffset: bigint }
  /** Leader, ISR or replicas of a partition changed (elections, ISR shrink/expand, reassignment). */
  | { readonly type: 'partition-changed'; readonly topic: string; readonly partition: number; readonly leader: number; readonly isr: readonly number[] }
  /** A broker registered, deregistered, began a controlled shutdown, or the controller moved. */
  | { readonly type: 'brokers-changed' };
