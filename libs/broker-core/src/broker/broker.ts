import { join } from 'node:path';
import { KafkaError, isKafkaError } from '../errors.js';
import { describeBrokerConfig } from './broker-configs.js';
import { describeTopicConfig, type ConfigEntry } from '../log/config/log-config.js';
import { SILENT_STORAGE_LOGGER } from '../log/logger.js';
import type { Registry } from '../registry/registry.js';
import { SystemTime, type Time } from '../time.js';
import type {
  AppendEntry, AppendOptions, AppendResult, BrokerApi, BrokerChange, ClusterDescription, ConfigChange, FetchOptions, FetchRequest,
  FetchResult, NewTopic, ProduceRecord, ProduceResult, ReadQuery, ReadResult, TopicCounters, TopicDescription, TopicStats,
  BrokerStatus, ClusterHealth, ElectionType, LogDirDescription, PartitionOutcome, PartitionReassignment, ReassignmentChange, TopicPartitionRef,
  CommittedOffset, ConsumerGroupInfo, ConsumerGroupLags, ConsumerGroupSummary, OffsetResetAuditSink, OffsetResetRequest, OffsetResetResult,
  TopicPartitionOffset, TransactionDescription, TransactionFilter, TransactionListing, ListOffsetOptions, LagOptions, TxnMarkerEntry,
  DelayedOperationsSnapshot,
} from './broker-api.js';
import { appendTxnMarkers, TXN_MARKER_TIMEOUT_MS } from './txn-markers.js';
import { TxnMarkerRouter } from './txn-marker-router.js';
import { TransactionCoordinator } from '../txn/transaction-coordinator.js';
import type { ProducerStateInfo } from '../log/partition/types.js';
import { BrokerEvents, TopicCounterSet } from './broker-events.js';
import { resolveDefaults, type BrokerDefaults, type BrokerLogger, type BrokerOptions } from './broker-options.js';
import { ClusterMembership } from './cluster-membership.js';
import { ClusterAdmin } from '../cluster/cluster-admin.js';
import { readLiveness } from '../cluster/controller-view.js';
import { controlledShutdown } from '../cluster/controlled-shutdown.js';
import { ControllerHost } from '../cluster/controller-host.js';
import { GroupCoordinator } from '../group/group-coordinator.js';
import { CoordinatorGroups } from '../group/group-admin.js';
import type {
  HeartbeatInput, JoinGroupInput, JoinGroupResult, LeaveGroupResult, LeavingMember, OffsetCommitInput, PartitionError, SyncGroupInput, SyncGroupResult,
} from '../group/group-results.js';
import { consumerGroupLags, topicRanges } from '../group/lag.js';
import { topicConsumers, type TopicConsumers } from '../group/topic-consumers.js';
import { resetConsumerGroupOffsets } from '../group/offset-reset.js';
import { ReplicationNode } from '../cluster/replication-node.js';
import { HighWatermarkCheckpoints } from './hw-checkpoints.js';
import { LogDirs } from './log-dirs.js';
import { purgeConfigChanges, runCleanerPass, runRetentionPass } from './log-maintenance.js';
import { LogCleaner } from '../log/cleaner/log-cleaner.js';
import { DefaultPartitioner } from './partitioner.js';
import { PeriodicTask } from './periodic-task.js';
import { planProduce, produceResults } from './produce-batches.js';
import { ProduceCoalescer } from './produce-coalescer.js';
import { deleteRecordsTarget, listOffsetOf, offsetForLeaderEpochOf } from './partition-offsets.js';
import { readPartitionRecords } from './record-reader.js';
import { ReplicaManager } from './replica-manager.js';
import { TopicAdmin } from './topic-admin.js';
import type { Topic } from './topic.js';
import { TopicTable } from './topic-table.js';
import { pendingDeletions } from './topic-znodes.js';
import type { AclBinding, AclBindingFilter, AclOperation, AclResourceType, AuthorizeRequest } from '../security/acl.js';
import { AclAuthorizer } from '../security/authorizer.js';
import type { KafkaPrincipal } from '../security/principal.js';

const DEFAULT_PRODUCE_TIMEOUT_MS = 30_000;
/** Kafka's log.cleaner.backoff.ms: the pause between cleaner passes over the compacted logs. */
const LOG_CLEANER_BACKOFF_MS = 15_000;

/**
 * One Weir broker: the topics it hosts (logs under `<dataDir>/logs`), its membership in
 * the cluster registry, and the produce/fetch paths behind `BrokerApi`.
 *
 * Life cycle: `Broker.start` joins the cluster (cluster id, registration, controller
 * claim), loads every topic from the registry and opens its local logs (cheap after a
 * clean shutdown, a recovery scan after a crash), finishes deletions a crash interrupted,
 * and starts the periodic work on the timer. `close` stops that work, answers waiting
 * fetches, waits for admin operations, closes every log cleanly and deregisters. The
 * registry and the timer belong to the caller and stay open.
 *
 * In a cluster: ReplicationNode keeps the topic table in line with the registry and
 * turns it into leading or following (replica fetchers, the leader's ISR writes, the HW
 * checkpoint), and runs the controller while this broker holds /controller; leaders keep
 * the ISR and HW in Partition. See docs/cluster.md.
 */
export class Broker implements BrokerApi {
  private readonly events: BrokerEvents;
  private readonly counters = new TopicCounterSet();
  private readonly partitioner = new DefaultPartitioner();
  private readonly coalescer = new ProduceCoalescer((topic, records, options) => this.produceGathered(topic, records, options));
  private readonly table: TopicTable;
  private readonly admin: TopicAdmin;
  private readonly replicas: ReplicaManager;
  private readonly retention: PeriodicTask;
  private readonly configChangePurge: PeriodicTask;
  /** Compacts the logs of topics with cleanup.policy=compact (Kafka's log cleaner), __consumer_offsets included. */
  private readonly cleaner: LogCleaner;
  private readonly cleanerTask: PeriodicTask;
  private readonly hwCheckpoints: HighWatermarkCheckpoints;
  private readonly node: ReplicationNode;
  private readonly cluster: ClusterAdmin;
  /** The group coordinator: consumer groups whose __consumer_offsets partition this broker leads (docs/groups.md). */
  readonly groups: GroupCoordinator;
  /** The transaction coordinator: transactional ids whose __transaction_state partition this broker leads, and producer ids (docs/transactions.md). */
  readonly txns: TransactionCoordinator;
  /** Where the coordinator's transaction markers go: appended here, or sent to the partition's leader. */
  private readonly markerRouter: TxnMarkerRouter;
  /** Local removals of deleted topics under way (logs closing, directories going). */
  private readonly removals = new Map<string, Promise<void>>();
  private readonly acls: AclAuthorizer;
  private closed = false;

  private constructor(
    private readonly options: BrokerOptions,
    private readonly registry: Registry,
    private readonly membership: ClusterMembership,
    private readonly controllerHost: ControllerHost,
    private readonly time: Time,
    private readonly logger: BrokerLogger,
    readonly defaults: BrokerDefaults,
    private readonly logDirs: LogDirs,
  ) {
    const { timer, brokerId } = options;
    this.events = new BrokerEvents(logger);
    this.hwCheckpoints = new HighWatermarkCheckpoints(logDirs.root, logger);
    this.table = new TopicTable({
      brokerId, logDirs, time, timer, logger, highWatermarks: this.hwCheckpoints.read(), producerIdExpirationMs: defaults.producerIdExpirationMs,
    });
    this.replicas = new ReplicaManager({ table: this.table, timer, time, events: this.events, counters: this.counters, logger, fenced: () => membership.fenced });
    this.node = new ReplicationNode({
      brokerId, registry, membership, controllerHost, table: this.table, replicas: this.replicas, events: this.events, logDirs,
      hwCheckpoints: this.hwCheckpoints, time, timer, logger, defaults, onTopicGone: (topic) => this.topicGone(topic),
      ...(options.interBrokerSecurity === undefined ? {} : { interBrokerSecurity: options.interBrokerSecurity }),
      onLeadership: (changes) => {
        this.groups.onLeadership(changes);
        this.txns.onLeadership(changes);
      },
    });
    this.admin = new TopicAdmin({
      brokerId, registry, table: this.table, membership, logDirs, defaults, events: this.events, logger,
      refresh: (name) => this.node.refresh(name),
      awaitLocalRemoval: (name) => this.removals.get(name) ?? Promise.resolve(),
    });
    this.groups = new GroupCoordinator({
      brokerId, table: this.table, time, timer, logger, defaults, append: (entries, o) => this.replicas.appendRecords(entries, { ...o, internalTopicsAllowed: true }),
      liveBrokers: () => membership.liveBrokers(), createTopic: (topic) => this.admin.createTopic(topic, false),
    });
    this.markerRouter = new TxnMarkerRouter({
      brokerId, table: this.table, registry, timer, logger, requestTimeoutMs: TXN_MARKER_TIMEOUT_MS, writeLocal: (entry) => this.writeTxnMarkers(entry),
      ...(options.interBrokerSecurity === undefined ? {} : { interBrokerSecurity: options.interBrokerSecurity }),
    });
    this.txns = new TransactionCoordinator({
      brokerId, time, timer, logger, table: this.table, settings: defaults, registry, markers: this.markerRouter,
      liveBrokers: () => membership.liveBrokers(), createTopic: (topic) => this.admin.createTopic(topic, false),
      append: (entries, o) => this.replicas.appendRecords(entries, { ...o, internalTopicsAllowed: true }),
      groupPartitionFor: (groupId) => this.groups.offsetsTopic.partitionFor(groupId),
    });
    this.cluster = new ClusterAdmin({
      registry, timer, table: this.table, membership, brokerId, requestTimeoutMs: DEFAULT_PRODUCE_TIMEOUT_MS,
      localLogDirSize: () => this.localLogDirSize(),
    });
    const onStartMoved = (topic: string, partition: number): void => this.replicas.partitionChanged(topic, partition);
    this.retention = new PeriodicTask('retention pass', timer, defaults.logRetentionCheckIntervalMs,
      () => void runRetentionPass(this.table, this.events, logger, onStartMoved, time.milliseconds()), logger);
    this.cleaner = new LogCleaner({ logger });
    this.cleanerTask = new PeriodicTask('log cleaner pass', timer, LOG_CLEANER_BACKOFF_MS, async () => void (await runCleanerPass(this.table, this.cleaner)), logger);
    this.acls = new AclAuthorizer(registry, options.authorizer ?? {}, (err) => logger.error('reading ACLs from the registry failed', err));
    this.configChangePurge = new PeriodicTask('config change purge', timer, defaults.configChangeExpirationMs,
      async () => void (await purgeConfigChanges(registry, time, defaults.configChangeExpirationMs)), logger);
  }

  static async start(options: BrokerOptions): Promise<Broker> {
    const defaults = resolveDefaults(options.defaults);
    const time = options.time ?? SystemTime.INSTANCE;
    const logger = options.logger ?? SILENT_STORAGE_LOGGER;
    if (!Number.isInteger(options.brokerId) || options.brokerId < 0) throw new RangeError(`brokerId must be a non-negative integer, got ${options.brokerId}`);
    const logDirs = new LogDirs(join(options.dataDir, 'logs'));
    logDirs.removeLeftovers();
    const controllerHost = new ControllerHost();
    const membership = await ClusterMembership.join({
      registry: options.registry, timer: options.timer, time, logger, brokerId: options.brokerId, sessionTimeoutMs: defaults.sessionTimeoutMs,
      onControllerElected: controllerHost.elected, onControllerLost: controllerHost.lost,
      registration: {
        host: options.advertisedHost, port: options.advertisedPort, endpoints: [`PLAINTEXT://${options.advertisedHost}:${options.advertisedPort}`],
        listenerSecurityProtocolMap: { PLAINTEXT: 'PLAINTEXT' }, jmxPort: -1, timestampMs: time.milliseconds(),
        ...(options.rack === undefined ? {} : { rack: options.rack }),
      },
    });
    const broker = new Broker(options, options.registry, membership, controllerHost, time, logger, defaults, logDirs);
    try {
      await broker.load();
    } catch (err) {
      await broker.close();
      throw err;
    }
    return broker;
  }

  /**
   * Opens the logs of every replica the registry assigns here (taking up each one's
   * role), removes partition directories the registry no longer knows (topics deleted
   * while this broker was down), resumes interrupted deletions and starts the periodic work.
   */
  private async load(): Promise<void> {
    this.acls.start();
    this.node.loadTopics();
    const strays = this.logDirs.removeStrays((topic, partition) => this.table.partition(topic, partition)?.hosted === true);
    if (strays.length > 0) this.logger.info(`removed ${strays.length} partition director${strays.length === 1 ? 'y' : 'ies'} the registry no longer assigns here: ${strays.join(', ')}`);
    const pending = pendingDeletions(this.registry);
    if (pending.length > 0) await this.admin.resumeDeletions(pending);
    this.node.start();
    this.groups.start();
    this.txns.start();
    this.retention.start();
    this.cleanerTask.start();
    this.configChangePurge.start();
  }

  /** A topic left the table (deleted here or by another broker): forget it, close and remove its logs. */
  private topicGone(topic: Topic): void {
    this.counters.forget(topic.name);
    this.partitioner.forgetTopic(topic.name);
    this.groups.onTopicDeleted(topic.name);
    for (const p of topic.partitions) this.replicas.partitionChanged(topic.name, p.partition);
    const logs = topic.partitions.flatMap((p) => (p.hosted ? [p.detachLog()].filter((log) => log !== undefined) : []));
    const removal = Promise.allSettled(logs.map((log) => log.close())).then(() => {
      for (const p of this.logDirs.partitionsOnDisk(topic.name)) if (this.table.get(topic.name) === undefined) this.logDirs.removePartition(topic.name, p);
      this.removals.delete(topic.name);
      this.events.emit({ type: 'topic-deleted', topic: topic.name });
    });
    this.removals.set(topic.name, removal);
  }

  private localLogDirSize(): number {
    let bytes = 0;
    for (const topic of this.table.all()) for (const p of topic.partitions) bytes += p.log?.size ?? 0;
    return bytes;
  }

  get clusterId(): string { return this.membership.clusterId; }
  get brokerId(): number { return this.options.brokerId; }

  describeCluster(): ClusterDescription {
    return { clusterId: this.clusterId, controllerId: this.membership.controllerId(), brokers: this.membership.liveBrokers() };
  }

  listTopics(options: { includeInternal?: boolean } = {}): TopicDescription[] {
    const { isLive } = readLiveness(this.registry);
    const out: TopicDescription[] = [];
    for (const name of this.table.names()) {
      const topic = this.table.get(name)!;
      if (options.includeInternal || !topic.internal) out.push(topic.describe(isLive));
    }
    return out;
  }

  topicStats(options: { includeInternal?: boolean } = {}): TopicStats[] {
    const { isLive } = readLiveness(this.registry);
    const out: TopicStats[] = [];
    for (const name of this.table.names()) {
      const topic = this.table.get(name)!;
      if (options.includeInternal || !topic.internal) out.push(topic.stats(isLive));
    }
    return out;
  }

  describeTopic(name: string): TopicDescription {
    return this.table.require(name).describe(readLiveness(this.registry).isLive);
  }

  topicNameById(topicId: string): string | undefined {
    return this.table.nameById(topicId);
  }

  requireTopic(name: string): void {
    this.table.require(name);
  }

  createTopic(topic: NewTopic, options: { validateOnly?: boolean } = {}): Promise<TopicDescription> {
    this.ensureOpen();
    return this.admin.createTopic(topic, options.validateOnly ?? false);
  }

  deleteTopic(name: string): Promise<void> {
    this.ensureOpen();
    return this.admin.deleteTopic(name);
  }

  createPartitions(name: string, totalCount: number, options: { validateOnly?: boolean } = {}): Promise<TopicDescription> {
    this.ensureOpen();
    return this.admin.createPartitions(name, totalCount, options.validateOnly ?? false);
  }

  describeBrokerConfigs(): ConfigEntry[] {
    return describeBrokerConfig(this.options, this.defaults);
  }

  describeTopicConfigs(name: string): ConfigEntry[] {
    return describeTopicConfig(this.table.require(name).overrides);
  }

  alterTopicConfigs(name: string, changes: readonly ConfigChange[], options: { validateOnly?: boolean } = {}): Promise<ConfigEntry[]> {
    this.ensureOpen();
    return this.admin.alterConfigs(name, changes, options.validateOnly ?? false);
  }

  appendRecords(entries: readonly AppendEntry[], options: AppendOptions): Promise<AppendResult[]> {
    return this.replicas.appendRecords(entries, options);
  }

  /**
   * Throws UNKNOWN_TOPIC_OR_PARTITION for a missing topic (unless auto.create.topics.enable);
   * every other failure is a per-record error code. Concurrent one-record calls may share
   * one batch (see ProduceCoalescer); each still gets its own offset.
   */
  async produce(topicName: string, records: readonly ProduceRecord[], options: Partial<AppendOptions> = {}): Promise<ProduceResult[]> {
    this.ensureOpen();
    const topic = this.table.get(topicName) ?? (await this.autoCreate(topicName));
    const appendOptions: AppendOptions = { acks: options.acks ?? -1, timeoutMs: options.timeoutMs ?? DEFAULT_PRODUCE_TIMEOUT_MS };
    const only = records.length === 1 ? records[0]! : undefined;
    if (only !== undefined && canShareBatch(only, topic)) {
      return [await this.coalescer.add(topicName, only, appendOptions, topic.config.maxMessageBytes)];
    }
    return this.produceNow(topic, records, appendOptions);
  }

  /** A coalesced gathering: the topic is looked up again, it may have gone since the calls. */
  private async produceGathered(topicName: string, records: readonly ProduceRecord[], options: AppendOptions): Promise<ProduceResult[]> {
    return this.produceNow(this.table.require(topicName), records, options);
  }

  private async produceNow(topic: Topic, records: readonly ProduceRecord[], options: AppendOptions): Promise<ProduceResult[]> {
    const nowMs = this.time.milliseconds();
    const plan = planProduce(topic.name, records, topic.partitions.length, this.partitioner, topic.config.compressionType, nowMs);
    const appended = plan.entries.length === 0 ? [] : await this.appendRecords(plan.entries, options);
    return produceResults(topic.name, plan, appended, records, nowMs);
  }

  private async autoCreate(name: string): Promise<Topic> {
    if (!this.defaults.autoCreateTopicsEnable) return this.table.require(name);
    try {
      await this.admin.createTopic({ name }, false);
    } catch (err) {
      if (!isKafkaError(err, 'TOPIC_ALREADY_EXISTS')) throw err;
    }
    return this.table.require(name);
  }

  fetch(requests: readonly FetchRequest[], options: FetchOptions = {}): Promise<FetchResult[]> {
    return this.replicas.fetch(requests, options);
  }

  async readRecords(topic: string, partition: number, query: ReadQuery): Promise<ReadResult> {
    const found = this.table.requirePartition(topic, partition);
    const { result, bytes } = readPartitionRecords(found.leaderLog(), partition, found.highWatermark, query);
    this.counters.recordOut(topic, result.records.length, bytes);
    return result;
  }

  async listOffset(
    topic: string, partition: number, timestamp: bigint, options: ListOffsetOptions = {},
  ): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
    return listOffsetOf(this.table.requirePartition(topic, partition), timestamp, options);
  }

  offsetForLeaderEpoch(topic: string, partition: number, leaderEpoch: number, currentLeaderEpoch: number): { leaderEpoch: number; endOffset: bigint } {
    return offsetForLeaderEpochOf(this.table.requirePartition(topic, partition), leaderEpoch, currentLeaderEpoch);
  }

  async deleteRecords(topic: string, partition: number, beforeOffset: bigint): Promise<bigint> {
    const found = this.table.requirePartition(topic, partition);
    const log = found.leaderLog();
    const before = log.logStartOffset;
    const logStartOffset = log.deleteRecordsBefore(deleteRecordsTarget(found, beforeOffset));
    if (logStartOffset !== before) {
      this.events.emit({ type: 'log-start-moved', topic, partition, logStartOffset });
      this.replicas.partitionChanged(topic, partition);
    }
    return logStartOffset;
  }

  leads(topic: string, partition: number): boolean {
    return this.table.partition(topic, partition)?.isLeader ?? false;
  }

  topicCounters(): ReadonlyMap<string, TopicCounters> {
    return this.counters.snapshot();
  }

  onChange(listener: (event: BrokerChange) => void): () => void {
    return this.events.onChange(listener);
  }

  describeBrokers(): BrokerStatus[] {
    return this.cluster.describeBrokers();
  }

  clusterHealth(): ClusterHealth {
    return this.cluster.clusterHealth();
  }

  electLeaders(type: ElectionType, partitions: readonly TopicPartitionRef[] | null): Promise<PartitionOutcome[]> {
    this.ensureOpen();
    return this.cluster.electLeaders(type, partitions);
  }

  alterPartitionReassignments(changes: readonly ReassignmentChange[]): Promise<PartitionOutcome[]> {
    this.ensureOpen();
    return this.cluster.alterPartitionReassignments(changes);
  }

  listPartitionReassignments(partitions: readonly TopicPartitionRef[] | null): PartitionReassignment[] {
    return this.cluster.listPartitionReassignments(partitions);
  }

  describeLogDirs(): LogDirDescription[] {
    const replicas: LogDirDescription['replicas'][number][] = [];
    for (const topic of this.table.all()) {
      for (const p of topic.partitions) {
        const log = p.log;
        // Kafka's offset lag of a current replica: how far its log end is below the HW it knows.
        if (log !== undefined) {
          const lag = log.highWatermark - log.logEndOffset;
          replicas.push({ topic: topic.name, partition: p.partition, sizeBytes: log.size, offsetLag: lag > 0n ? lag : 0n });
        }
      }
    }
    const space = this.logDirs.space();
    return [{ path: this.logDirs.root, totalBytes: space.totalBytes, usableBytes: space.usableBytes, replicas }];
  }

  // ---- consumer groups: this broker's own coordinator (group/group-admin.ts, lag.ts, offset-reset.ts) ----

  private get groupsApi(): CoordinatorGroups { return new CoordinatorGroups(this.groups, this.brokerId); }
  listConsumerGroups(): Promise<ConsumerGroupSummary[]> { return this.groupsApi.list(); }
  describeConsumerGroup(groupId: string): Promise<ConsumerGroupInfo> { return this.groupsApi.describe(groupId); }
  fetchConsumerGroupOffsets(groupId: string): Promise<CommittedOffset[]> { return this.groupsApi.fetchOffsets(groupId); }
  commitConsumerGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<PartitionOutcome[]> { return this.groupsApi.commit(groupId, offsets); }
  deleteConsumerGroup(groupId: string): Promise<void> { return this.groupsApi.delete(groupId); }
  consumerGroupLags(groupId: string, options?: LagOptions): Promise<ConsumerGroupLags> { return consumerGroupLags(this, groupId, topicRanges(this), options); }
  consumersOfTopics(topics: readonly string[]): Promise<TopicConsumers[]> { return topicConsumers(this, this.groups.commitsOnTopics(topics), topics); }
  resetConsumerGroupOffsets(groupId: string, request: OffsetResetRequest, options: { audit?: OffsetResetAuditSink } = {}): Promise<OffsetResetResult> {
    return resetConsumerGroupOffsets(this, groupId, request, { ...options, nowMs: this.time.milliseconds() });
  }

  // ---- group members run by the server (REST v2 consumers): straight to this broker's coordinator ----

  joinConsumerGroup(input: JoinGroupInput): Promise<JoinGroupResult> { return this.groups.joinGroup(input); }
  syncConsumerGroup(input: SyncGroupInput): Promise<SyncGroupResult> { return this.groups.syncGroup(input); }
  heartbeatConsumerGroup(input: HeartbeatInput): Promise<number> { return Promise.resolve(this.groups.heartbeat(input)); }
  leaveConsumerGroup(groupId: string, members: readonly LeavingMember[]): Promise<LeaveGroupResult> {
    return Promise.resolve(this.groups.leaveGroup(groupId, members));
  }
  commitConsumerGroupMemberOffsets(input: OffsetCommitInput): Promise<PartitionError[]> { return this.groups.commitOffsets(input); }

  // ---- transactions: this broker's transaction coordinator (txn/) and its partitions' producer state ----

  async listTransactions(filter?: TransactionFilter): Promise<TransactionListing[]> { return this.txns.listTransactions(filter).transactions; }
  async describeTransaction(transactionalId: string): Promise<TransactionDescription> { return this.txns.describeTransaction(transactionalId); }
  abortTransaction(transactionalId: string): Promise<TransactionDescription> { return this.txns.abortTransaction(transactionalId); }
  async describeProducers(topic: string, partition: number): Promise<ProducerStateInfo[]> {
    return this.table.requirePartition(topic, partition).leaderLog().activeProducers();
  }
  async countControlRecords(topic: string, partition: number, fromOffset: bigint, toOffset: bigint): Promise<number> {
    return this.table.requirePartition(topic, partition).leaderLog().controlRecordsBetween(fromOffset, toOffset);
  }

  delayedOperations(): DelayedOperationsSnapshot {
    const purgatories = [...this.replicas.purgatoryMetrics(), ...this.groups.purgatoryMetrics()];
    return { purgatories: purgatories.map((p) => ({ ...p, brokerId: this.brokerId })), timer: this.options.timer.metrics() };
  }

  /** WriteTxnMarkers for partitions this broker leads (txn-markers.ts); per-partition outcomes. */
  writeTxnMarkers(entry: TxnMarkerEntry): Promise<PartitionOutcome[]> {
    return appendTxnMarkers({
      append: (entries, options) => this.replicas.appendRecords(entries, options),
      completeOffsets: (partition, producerId, result) => this.groups.completeTransactionalOffsets(partition, producerId, result),
      nowMs: () => this.time.milliseconds(),
    }, entry);
  }

  /** The controller object while this broker is the active controller (tests and diagnostics). */
  get isController(): boolean {
    return this.controllerHost.current !== undefined;
  }

  authorize(req: AuthorizeRequest): boolean {
    return this.acls.authorize(req);
  }

  authorizedOperations(principal: KafkaPrincipal, host: string, resourceType: AclResourceType, resourceName: string): number {
    return this.acls.authorizedOperations(principal, host, resourceType, resourceName);
  }

  authorizeAnyResource(principal: KafkaPrincipal, host: string, operation: AclOperation, resourceType: AclResourceType): boolean {
    return this.acls.authorizeAnyResource(principal, host, operation, resourceType);
  }

  describeAcls(filter: AclBindingFilter): AclBinding[] {
    return this.acls.describe(filter);
  }

  async createAcls(bindings: readonly AclBinding[]): Promise<void> {
    this.ensureOpen();
    await this.acls.create(bindings);
  }

  async deleteAcls(filters: readonly AclBindingFilter[]): Promise<AclBinding[][]> {
    this.ensureOpen();
    return this.acls.delete(filters);
  }

  /** One retention pass now, outside the schedule (operators and tests). Returns segments deleted. */
  runRetentionNow(): number {
    return runRetentionPass(this.table, this.events, this.logger, (t, p) => this.replicas.partitionChanged(t, p), this.time.milliseconds());
  }

  /**
   * Stops the broker: with controlled.shutdown.enable (and `controlledShutdown` not false), first
   * asks the controller to move leadership away and waits for it; then stops periodic
   * work, replication and the controller role, answers waiting requests, checkpoints the
   * HWs, closes every log cleanly and deregisters.
   */
  async close(options: { controlledShutdown?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    if ((options.controlledShutdown ?? true) && this.defaults.controlledShutdownEnable) {
      await controlledShutdown({
        registry: this.registry, timer: this.options.timer, membership: this.membership, table: this.table, events: this.events,
        brokerId: this.brokerId, logger: this.logger, timeoutMs: this.defaults.controlledShutdownTimeoutMs,
      }).catch((err: unknown) => this.logger.error('controlled shutdown failed; stopping anyway', err));
    }
    this.closed = true;
    this.acls.close();
    // Groups first: their parked joins and syncs answer NOT_COORDINATOR while the connections are still there.
    await this.groups.close();
    await this.txns.close();
    this.markerRouter.close();
    this.cleaner.close();
    await Promise.all([this.retention.stop(), this.cleanerTask.stop(), this.configChangePurge.stop(), this.node.close()]);
    await this.admin.drain();
    this.replicas.close();
    this.hwCheckpoints.write(this.table);
    await this.table.closeAll();
    await this.membership.close();
  }

  private ensureOpen(): void {
    if (this.closed) throw new KafkaError('BROKER_NOT_AVAILABLE', `broker ${this.brokerId} is shut down`);
  }
}

/**
 * Whether a record may share a batch with other callers' records: a batch is validated
 * whole, so only records that cannot fail it do. An explicit timestamp can be refused
 * (message.timestamp.difference.max.ms, out of range) and a codec's output size is not
 * bounded by its input, so those records go alone.
 */
function canShareBatch(record: ProduceRecord, topic: Topic): boolean {
  const compression = topic.config.compressionType;
  return record.timestamp === undefined && (compression === 'producer' || compression === 'uncompressed');
}
