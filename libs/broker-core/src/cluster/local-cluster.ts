import { join } from 'node:path';
import type {
  AppendEntry, AppendOptions, AppendResult, BrokerApi, BrokerChange, BrokerStatus, ClusterDescription, ClusterHealth, ConfigChange,
  ElectionType, FetchOptions, LogDirDescription, FetchRequest, FetchResult, NewTopic, PartitionOutcome, PartitionReassignment, ProduceRecord, ProduceResult,
  ReadQuery, ReadResult, ReassignmentChange, TopicCounters, TopicDescription, TopicStats, TopicPartitionRef,
  CommittedOffset, ConsumerGroupInfo, ConsumerGroupLags, ConsumerGroupSummary, OffsetResetAuditSink, OffsetResetRequest, OffsetResetResult,
  TopicPartitionOffset, TransactionDescription, TransactionFilter, TransactionListing, ListOffsetOptions, LagOptions, DelayedOperationsSnapshot,
} from '../broker/broker-api.js';
import type { ProducerStateInfo } from '../log/partition/types.js';
import type { AclBinding, AclBindingFilter, AclOperation, AclResourceType, AuthorizeRequest } from '../security/acl.js';
import type { KafkaPrincipal } from '../security/principal.js';
import type { Broker } from '../broker/broker.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import { DefaultPartitioner } from '../broker/partitioner.js';
import type { KafkaListener } from '../kafka-server/kafka-listener.js';
import type { ConfigEntry } from '../log/config/log-config.js';
import { SILENT_STORAGE_LOGGER } from '../log/logger.js';
import { consumerGroupLags, topicRanges } from '../group/lag.js';
import { topicConsumers, type TopicConsumers } from '../group/topic-consumers.js';
import { resetConsumerGroupOffsets } from '../group/offset-reset.js';
import type {
  HeartbeatInput, JoinGroupInput, JoinGroupResult, LeaveGroupResult, LeavingMember, OffsetCommitInput, PartitionError, SyncGroupInput, SyncGroupResult,
} from '../group/group-results.js';
import { CounterSum } from './local-cluster-counters.js';
import { ClusterGroups } from './local-cluster-groups.js';
import { RemoteGroups } from './local-cluster-groups-remote.js';
import { ClusterTransactions } from './local-cluster-transactions.js';
import { RemoteBrokerCalls } from './remote-broker-calls.js';
import { ClusterEventMerger } from './local-cluster-events.js';
import { HostedBrokers } from './local-cluster-brokers.js';
import { HostedBroker, type SharedBrokerSettings } from './local-cluster-host.js';
import { notLeaderAppend, notLeaderFetch, notLeaderProduce, scatter } from './local-cluster-routing.js';
import { statsOfDescription } from '../broker/topic.js';
import { RemoteViews } from './remote-views.js';
import { RemotePartitions } from './remote-partitions.js';
import { SystemTime } from '../time.js';
import {
  allTopicsView, brokersSignature, configSignature, mergeBrokerStatuses, offlineStatus, singleTopicView, withLeaderViews,
} from './local-cluster-views.js';

export { LocalClusterError, type LocalClusterRefusal } from './local-cluster-host.js';

export interface LocalClusterOptions extends SharedBrokerSettings {
  /** The ids of the brokers this process hosts, started in this order. */
  readonly brokerIds: readonly number[];
  /** With one broker, its data dir itself (an existing single-broker dir keeps working); with more, `<dataDir>/broker-<id>` each. */
  readonly dataDir: string;
  /** One Kafka port per broker id, in the same order; 0 picks a free one (kept across restarts). */
  readonly kafkaPorts: readonly number[];
  /** Messages are prefixed with the broker id. */
  readonly logger?: BrokerLogger;
}

export interface HostedBrokerInfo {
  readonly brokerId: number;
  readonly running: boolean;
  /** null before the first start of a broker configured with port 0. */
  readonly kafkaPort: number | null;
}

/**
 * Several brokers in one process over one registry and one timer, behind the BrokerApi
 * the REST gateway and the WebSocket feed use. Each broker has its own Kafka listener
 * (Kafka clients talk to brokers directly); this class is the door for everything else.
 *
 * Routing: per-partition data calls go to the local broker that leads the partition
 * (`leads`), and are answered NOT_LEADER_OR_FOLLOWER when none does; a partition no
 * broker knows goes to the admin broker, which answers UNKNOWN_TOPIC_OR_PARTITION itself.
 * Admin and cluster calls go to the admin broker: the controller when this process hosts
 * it, else the first running broker. Reads merge the admin broker's view with each local
 * leader's own offsets (local-cluster-views.ts); events are merged without repeats
 * (local-cluster-events.ts). With one hosted broker every call passes straight through.
 *
 * Brokers can be stopped (controlled, or as a crash) and started again while the others
 * run. Callers: the gateway (one instance per process) and tests; all on one event loop.
 */
/** How long a request forwarded to another process's leader may go unanswered beyond the wait it asks for. */
const REMOTE_REQUEST_TIMEOUT_MS = 30_000;

export class LocalCluster implements BrokerApi {
  private readonly brokers: HostedBrokers;
  private readonly merger: ClusterEventMerger;
  private readonly partitioner = new DefaultPartitioner();
  private readonly counters = new CounterSum();
  private readonly unsubscribes = new Map<number, () => void>();
  /** Partitions led by brokers of other processes: forwarded over the Kafka protocol. */
  private readonly remote: RemotePartitions;
  private readonly remoteViews: RemoteViews;
  private readonly groups: ClusterGroups;
  private readonly remoteCalls: RemoteBrokerCalls;
  private readonly transactions: ClusterTransactions;
  private readonly now: () => number;
  private clusterIdValue = '';

  private constructor(private readonly options: LocalClusterOptions) {
    const { brokerIds, kafkaPorts } = options;
    if (brokerIds.length === 0) throw new RangeError('a LocalCluster needs at least one broker id');
    if (new Set(brokerIds).size !== brokerIds.length) throw new RangeError(`broker ids must be distinct, got ${brokerIds.join(', ')}`);
    if (kafkaPorts.length !== brokerIds.length) throw new RangeError(`one Kafka port per broker id: ${brokerIds.length} ids, ${kafkaPorts.length} ports`);
    const logger = options.logger ?? SILENT_STORAGE_LOGGER;
    this.brokers = new HostedBrokers(brokerIds.map((brokerId, i) => new HostedBroker({
      ...options,
      brokerId,
      dataDir: brokerIds.length === 1 ? options.dataDir : join(options.dataDir, `broker-${brokerId}`),
      kafkaPort: kafkaPorts[i]!,
      logger: prefixed(logger, `broker ${brokerId}: `),
    })));
    this.remote = new RemotePartitions({
      registry: options.registry, timer: options.timer, logger, clientId: `weir-gateway-${brokerIds[0]}`,
      requestTimeoutMs: REMOTE_REQUEST_TIMEOUT_MS, ...(options.time === undefined ? {} : { time: options.time }),
      ...(options.interBrokerSecurity === undefined ? {} : { security: options.interBrokerSecurity }),
    });
    const time = options.time ?? SystemTime.INSTANCE;
    this.remoteViews = new RemoteViews(this.remote, () => time.milliseconds(), logger);
    this.remoteCalls = new RemoteBrokerCalls({
      registry: options.registry, timer: options.timer, clientId: `weir-gateway-${brokerIds[0]}`, requestTimeoutMs: REMOTE_REQUEST_TIMEOUT_MS,
      ...(options.interBrokerSecurity === undefined ? {} : { security: options.interBrokerSecurity }),
    });
    this.groups = new ClusterGroups(this.brokers, new RemoteGroups(this.remoteCalls));
    this.transactions = new ClusterTransactions(this.brokers, this.remoteCalls);
    this.now = () => time.milliseconds();
    this.merger = new ClusterEventMerger(logger, {
      configSignature: (topic) => configSignature(this.brokers.admin(), topic),
      brokersSignature: () => brokersSignature(this.brokers.firstRunning(), this.brokers.running().map((b) => b.brokerId)),
    });
  }

  /**
   * Starts every broker in order; if one fails, those started are closed again. Every
   * method returning a promise rejects rather than throws (no broker running included).
   */
  static async start(options: LocalClusterOptions): Promise<LocalCluster> {
    const cluster = new LocalCluster(options);
    try {
      for (const host of cluster.brokers.order) await cluster.startHost(host);
      cluster.merger.seed(cluster.brokers.admin().listTopics({ includeInternal: true }));
    } catch (err) {
      await cluster.close();
      throw err;
    }
    return cluster;
  }

  get clusterId(): string { return this.clusterIdValue; }
  /** The admin broker's id (the controller when hosted here), or the first hosted id while none runs. */
  get brokerId(): number { return this.brokers.firstRunning() === undefined ? this.brokers.order[0]!.brokerId : this.brokers.admin().brokerId; }

  hostedBrokers(): HostedBrokerInfo[] {
    return this.brokers.order.map((h) => ({ brokerId: h.brokerId, running: h.running, kafkaPort: h.kafkaPort }));
  }

  /** The Kafka listener of a running hosted broker (for its metrics). */
  kafkaListener(brokerId: number): KafkaListener | undefined {
    return this.brokers.get(brokerId)?.listener;
  }

  async startBroker(brokerId: number): Promise<void> {
    await this.startHost(this.brokers.requireHost(brokerId));
    this.merger.brokersMaybeChanged();
  }

  /**
   * Controlled: the broker's close() with controlled shutdown (leadership moves first).
   * Uncontrolled: it stops serving at once and its registry session is dropped, as after
   * a crash; its logs are still closed cleanly.
   */
  async stopBroker(brokerId: number, options: { controlled: boolean }): Promise<void> {
    const host = this.brokers.requireHost(brokerId);
    this.retire(host);
    await host.stop(options.controlled ? 'controlled' : 'uncontrolled');
    this.merger.brokersMaybeChanged();
  }

  /** Stops every running broker, the controller last (its partitions have nowhere else to move). */
  async close(): Promise<void> {
    await Promise.all(this.brokers.order.map((h) => h.settled()));
    const controllerId = this.brokers.firstRunning()?.describeCluster().controllerId;
    const last = this.brokers.order.filter((h) => h.brokerId === controllerId);
    for (const host of [...this.brokers.order.filter((h) => h.brokerId !== controllerId), ...last]) {
      if (!host.running) continue;
      this.retire(host);
      try {
        await host.stop('configured');
      } catch (err) {
        (this.options.logger ?? SILENT_STORAGE_LOGGER).error(`closing broker ${host.brokerId} failed`, err);
      }
    }
    this.remote.close();
    this.remoteCalls.close();
  }

  // ---- cluster and admin: the admin broker ----

  /** Every hosted broker follows the same ACLs; with none running, nothing is allowed. */
  authorize(req: AuthorizeRequest): boolean {
    return this.brokers.firstRunning()?.authorize(req) ?? false;
  }

  authorizedOperations(principal: KafkaPrincipal, host: string, resourceType: AclResourceType, resourceName: string): number {
    return this.brokers.firstRunning()?.authorizedOperations(principal, host, resourceType, resourceName) ?? 0;
  }

  authorizeAnyResource(principal: KafkaPrincipal, host: string, operation: AclOperation, resourceType: AclResourceType): boolean {
    return this.brokers.firstRunning()?.authorizeAnyResource(principal, host, operation, resourceType) ?? false;
  }

  describeAcls(filter: AclBindingFilter): AclBinding[] {
    return this.brokers.admin().describeAcls(filter);
  }

  async createAcls(bindings: readonly AclBinding[]): Promise<void> {
    await this.brokers.admin().createAcls(bindings);
  }

  async deleteAcls(filters: readonly AclBindingFilter[]): Promise<AclBinding[][]> {
    return this.brokers.admin().deleteAcls(filters);
  }

  describeCluster(): ClusterDescription {
    const any = this.brokers.firstRunning();
    return any === undefined ? { clusterId: this.clusterIdValue, controllerId: -1, brokers: [] } : any.describeCluster();
  }

  describeBrokers(): BrokerStatus[] {
    const hostedIds = this.brokers.order.map((h) => h.brokerId);
    if (this.brokers.firstRunning() === undefined) return hostedIds.map(offlineStatus);
    const admin = this.brokers.admin();
    return this.remoteViews.withLogDirSizes(mergeBrokerStatuses(admin.describeBrokers(), admin, this.brokers.runningById(), hostedIds));
  }

  clusterHealth(): ClusterHealth { return this.brokers.admin().clusterHealth(); }
  async electLeaders(type: ElectionType, partitions: readonly TopicPartitionRef[] | null): Promise<PartitionOutcome[]> {
    return this.brokers.admin().electLeaders(type, partitions);
  }
  async alterPartitionReassignments(changes: readonly ReassignmentChange[]): Promise<PartitionOutcome[]> {
    return this.brokers.admin().alterPartitionReassignments(changes);
  }
  /** Every hosted running broker's log directory. */
  describeLogDirs(): LogDirDescription[] {
    return this.brokers.running().flatMap((b) => b.describeLogDirs());
  }

  listPartitionReassignments(partitions: readonly TopicPartitionRef[] | null): PartitionReassignment[] {
    return this.brokers.admin().listPartitionReassignments(partitions);
  }

  listTopics(options: { includeInternal?: boolean } = {}): TopicDescription[] {
    const admin = this.brokers.admin();
    const topics = admin.listTopics(options);
    const running = this.brokers.runningById();
    const viewOf = allTopicsView();
    return topics.map((t) => this.withRemoteOffsets(this.brokers.single ? t : withLeaderViews(t, admin, running, viewOf), running));
  }

  /** One broker: its own counts; several: from the merged descriptions, where sizes are the leaders'. */
  topicStats(options: { includeInternal?: boolean } = {}): TopicStats[] {
    return this.brokers.single ? this.brokers.admin().topicStats(options) : this.listTopics(options).map(statsOfDescription);
  }

  describeTopic(name: string): TopicDescription {
    const admin = this.brokers.admin();
    const topic = admin.describeTopic(name);
    const running = this.brokers.runningById();
    return this.withRemoteOffsets(this.brokers.single ? topic : withLeaderViews(topic, admin, running, singleTopicView()), running);
  }

  /** Partitions led by a live broker this process does not run: the leader's offsets, as last asked. */
  private withRemoteOffsets(topic: TopicDescription, running: ReadonlyMap<number, Broker>): TopicDescription {
    return this.remoteViews.withOffsets(topic, (p) => !p.offline && p.leader >= 0 && !running.has(p.leader));
  }

  topicNameById(topicId: string): string | undefined { return this.brokers.admin().topicNameById(topicId); }
  requireTopic(name: string): void { this.brokers.admin().requireTopic(name); }
  async createTopic(topic: NewTopic, options?: { validateOnly?: boolean }): Promise<TopicDescription> { return this.brokers.admin().createTopic(topic, options); }
  async deleteTopic(name: string): Promise<void> { return this.brokers.admin().deleteTopic(name); }
  async createPartitions(name: string, totalCount: number, options?: { validateOnly?: boolean }): Promise<TopicDescription> {
    return this.brokers.admin().createPartitions(name, totalCount, options);
  }
  describeBrokerConfigs(): ConfigEntry[] { return this.brokers.admin().describeBrokerConfigs(); }
  describeTopicConfigs(name: string): ConfigEntry[] { return this.brokers.admin().describeTopicConfigs(name); }
  async alterTopicConfigs(name: string, changes: readonly ConfigChange[], options?: { validateOnly?: boolean }): Promise<ConfigEntry[]> {
    return this.brokers.admin().alterTopicConfigs(name, changes, options);
  }

  // ---- data: the partition's leader ----

  async appendRecords(entries: readonly AppendEntry[], options: AppendOptions): Promise<AppendResult[]> {
    return scatter(entries, (e) => this.route(e.topic, e.partition), (b, subset) => b.appendRecords(subset, options), notLeaderAppend);
  }

  /**
   * Places records without a partition as the broker would (murmur2 of the key, sticky
   * partition for null keys), then sends each partition's records to its leader.
   */
  async produce(topic: string, records: readonly ProduceRecord[], options?: Partial<AppendOptions>): Promise<ProduceResult[]> {
    // One broker leading every partition (the usual single-broker case): its own placement and coalescing.
    if (this.brokers.single && this.ledHere(topic)) return this.brokers.only().produce(topic, records, options);
    const count = this.brokers.partitionCount(topic);
    // An unknown topic: the admin broker refuses it, or creates it (auto.create.topics.enable).
    if (count === undefined) return this.brokers.admin().produce(topic, records, options);
    let usedSticky = false;
    let placed = records;
    if (records.some((r) => r.partition === undefined)) {
      placed = records.map((r) => {
        if (r.partition !== undefined) return r;
        if (r.key === null) usedSticky = true;
        return { ...r, partition: this.partitioner.partition(topic, r.key, count) };
      });
    }
    if (usedSticky) this.partitioner.onNewBatch(topic, count);
    return scatter(placed, (r) => this.route(topic, r.partition!), (b, subset) => b.produce(topic, subset, options), (r) => notLeaderProduce(topic, r.partition!));
  }

  async fetch(requests: readonly FetchRequest[], options?: FetchOptions): Promise<FetchResult[]> {
    return scatter(requests, (r) => this.route(r.topic, r.partition), (b, subset) => b.fetch(subset, options), notLeaderFetch);
  }

  async readRecords(topic: string, partition: number, query: ReadQuery): Promise<ReadResult> {
    return this.route(topic, partition).readRecords(topic, partition, query);
  }

  async listOffset(
    topic: string, partition: number, timestamp: bigint, options?: ListOffsetOptions,
  ): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
    return this.route(topic, partition).listOffset(topic, partition, timestamp, options);
  }

  offsetForLeaderEpoch(topic: string, partition: number, leaderEpoch: number, currentLeaderEpoch: number): { leaderEpoch: number; endOffset: bigint } {
    return this.brokers.dataBroker(topic, partition).offsetForLeaderEpoch(topic, partition, leaderEpoch, currentLeaderEpoch);
  }

  async deleteRecords(topic: string, partition: number, beforeOffset: bigint): Promise<bigint> {
    return this.route(topic, partition).deleteRecords(topic, partition, beforeOffset);
  }

  /**
   * Where a partition's data calls go: the hosted broker leading it; for a partition
   * nobody knows, the admin broker (its error); otherwise its leader in another process,
   * over the Kafka protocol (RemotePartitions answers leaderless partitions itself).
   */
  private route(topic: string, partition: number): Broker | RemotePartitions {
    // With no hosted broker running, this door is down (admin() says so: BROKER_NOT_AVAILABLE).
    return this.brokers.routeData(topic, partition) ?? (this.brokers.firstRunning() === undefined ? this.brokers.admin() : this.remote);
  }

  /** Whether the hosted brokers lead every partition of the topic (or it is unknown: the broker answers that). */
  private ledHere(topic: string): boolean {
    const count = this.brokers.partitionCount(topic);
    if (count === undefined) return true;
    for (let p = 0; p < count; p++) if (this.brokers.leaderOf(topic, p) === undefined) return false;
    return true;
  }

  leads(topic: string, partition: number): boolean {
    return this.brokers.leaderOf(topic, partition) !== undefined;
  }

  /** Since start, summed over the brokers (a stopped broker's counts are kept). */
  topicCounters(): ReadonlyMap<string, TopicCounters> {
    return this.counters.sum(this.brokers.running());
  }

  onChange(listener: (event: BrokerChange) => void): () => void {
    return this.merger.onChange(listener);
  }

  // ---- transactions: the hosted broker coordinating the id, else its broker over the Kafka protocol (local-cluster-transactions.ts) ----

  async listTransactions(filter?: TransactionFilter): Promise<TransactionListing[]> { return this.transactions.list(filter); }
  async describeTransaction(transactionalId: string): Promise<TransactionDescription> { return this.transactions.describe(transactionalId); }
  async abortTransaction(transactionalId: string): Promise<TransactionDescription> { return this.transactions.abort(transactionalId); }
  async describeProducers(topic: string, partition: number): Promise<ProducerStateInfo[]> {
    const leader = this.route(topic, partition);
    return leader instanceof RemotePartitions ? this.transactions.describeRemoteProducers(topic, partition) : leader.describeProducers(topic, partition);
  }
  async countControlRecords(topic: string, partition: number, fromOffset: bigint, toOffset: bigint): Promise<number> {
    return this.route(topic, partition).countControlRecords(topic, partition, fromOffset, toOffset);
  }

  /** Every running hosted broker's purgatories; the timer is the one they all share. */
  delayedOperations(): DelayedOperationsSnapshot {
    return { purgatories: this.brokers.running().flatMap((b) => b.delayedOperations().purgatories), timer: this.options.timer.metrics() };
  }

  // ---- consumer groups: the hosted broker coordinating the group (local-cluster-groups.ts) ----

  async listConsumerGroups(): Promise<ConsumerGroupSummary[]> { return this.groups.list(); }
  async describeConsumerGroup(groupId: string): Promise<ConsumerGroupInfo> { return this.groups.describe(groupId); }
  async fetchConsumerGroupOffsets(groupId: string): Promise<CommittedOffset[]> { return this.groups.fetchOffsets(groupId); }
  async commitConsumerGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<PartitionOutcome[]> {
    return this.groups.commit(groupId, offsets);
  }
  async deleteConsumerGroup(groupId: string): Promise<void> { return this.groups.delete(groupId); }
  async consumerGroupLags(groupId: string, options?: LagOptions): Promise<ConsumerGroupLags> { return consumerGroupLags(this, groupId, topicRanges(this), options); }
  /** Hosted coordinators only: groups coordinated by another process's brokers are not asked for. */
  async consumersOfTopics(topics: readonly string[]): Promise<TopicConsumers[]> {
    return topicConsumers(this, this.brokers.running().flatMap((b) => b.groups.commitsOnTopics(topics)), topics);
  }
  async resetConsumerGroupOffsets(groupId: string, request: OffsetResetRequest, options: { audit?: OffsetResetAuditSink } = {}): Promise<OffsetResetResult> {
    return resetConsumerGroupOffsets(this, groupId, request, { ...options, nowMs: this.now() });
  }
  async joinConsumerGroup(input: JoinGroupInput): Promise<JoinGroupResult> { return (await this.groups.memberCoordinator(input.groupId)).joinConsumerGroup(input); }
  async syncConsumerGroup(input: SyncGroupInput): Promise<SyncGroupResult> { return (await this.groups.memberCoordinator(input.groupId)).syncConsumerGroup(input); }
  async heartbeatConsumerGroup(input: HeartbeatInput): Promise<number> { return (await this.groups.memberCoordinator(input.groupId)).heartbeatConsumerGroup(input); }
  async leaveConsumerGroup(groupId: string, members: readonly LeavingMember[]): Promise<LeaveGroupResult> {
    return (await this.groups.memberCoordinator(groupId)).leaveConsumerGroup(groupId, members);
  }
  async commitConsumerGroupMemberOffsets(input: OffsetCommitInput): Promise<PartitionError[]> {
    return (await this.groups.memberCoordinator(input.groupId)).commitConsumerGroupMemberOffsets(input);
  }

  // ---- internals ----

  private async startHost(host: HostedBroker): Promise<void> {
    const broker = await host.start();
    this.clusterIdValue = broker.clusterId;
    this.unsubscribes.set(host.brokerId, broker.onChange((event) => this.onBrokerChange(broker, event)));
  }

  /** Keeps a broker's counts and stops listening to it, before it stops. */
  private retire(host: HostedBroker): void {
    const broker = host.broker;
    if (broker === undefined) return;
    this.counters.retire(broker.topicCounters());
    this.unsubscribes.get(host.brokerId)?.();
    this.unsubscribes.delete(host.brokerId);
  }

  private onBrokerChange(source: Broker, event: BrokerChange): void {
    if (event.type === 'topic-created' || event.type === 'topic-deleted' || event.type === 'partitions-created') {
      this.brokers.forgetPartitionCount(event.topic);
    }
    if (event.type === 'topic-deleted') {
      this.partitioner.forgetTopic(event.topic);
      this.counters.forget(event.topic);
    }
    this.merger.accept(source, event);
  }
}

function prefixed(logger: BrokerLogger, prefix: string): BrokerLogger {
  return {
    info: (message) => logger.info(prefix + message),
    warn: (message) => logger.warn(prefix + message),
    error: (message, err) => logger.error(prefix + message, err),
  };
}
