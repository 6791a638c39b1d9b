import { join } from 'node:path';
import { KafkaError, isKafkaError } from '../errors.js';
import { describeBrokerConfig } from './broker-configs.js';
import { describeTopicConfig, type ConfigEntry } from '../log/config/log-config.js';
import { SILENT_STORAGE_LOGGER } from '../log/logger.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, MAX_TIMESTAMP } from '../log/partition/partition-log.js';
import type { Registry } from '../registry/registry.js';
import { SystemTime, type Time } from '../time.js';
import type {
  AppendEntry, AppendOptions, AppendResult, BrokerApi, BrokerChange, ClusterDescription, ConfigChange, FetchOptions, FetchRequest,
  FetchResult, NewTopic, ProduceRecord, ProduceResult, ReadQuery, ReadResult, TopicCounters, TopicDescription,
  BrokerStatus, ClusterHealth, ElectionType, PartitionOutcome, PartitionReassignment, ReassignmentChange, TopicPartitionRef,
} from './broker-api.js';
import { BrokerEvents, TopicCounterSet } from './broker-events.js';
import { resolveDefaults, type BrokerDefaults, type BrokerLogger, type BrokerOptions } from './broker-options.js';
import { ClusterMembership } from './cluster-membership.js';
import { LogDirs } from './log-dirs.js';
import { purgeConfigChanges, runRetentionPass } from './log-maintenance.js';
import { DefaultPartitioner } from './partitioner.js';
import { PeriodicTask } from './periodic-task.js';
import { planProduce, produceResults } from './produce-batches.js';
import { ProduceCoalescer } from './produce-coalescer.js';
import { readPartitionRecords } from './record-reader.js';
import { ReplicaManager } from './replica-manager.js';
import { TopicAdmin } from './topic-admin.js';
import type { Topic } from './topic.js';
import { TopicTable } from './topic-table.js';
import { listTopicNames, pendingDeletions, readTopic } from './topic-znodes.js';

const DEFAULT_PRODUCE_TIMEOUT_MS = 30_000;

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
 * Single broker for now: it leads every partition it hosts, and the HW follows the LEO.
 * The seams for replication are the partition states (leader, ISR, epochs) read from the
 * registry, Partition.maybeIncrementHighWatermark, and acks=all's ISR check.
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
  private closed = false;

  private constructor(
    private readonly options: BrokerOptions,
    private readonly registry: Registry,
    private readonly membership: ClusterMembership,
    private readonly time: Time,
    private readonly logger: BrokerLogger,
    readonly defaults: BrokerDefaults,
    logDirs: LogDirs,
  ) {
    const { timer, brokerId } = options;
    this.events = new BrokerEvents(logger);
    this.table = new TopicTable({ brokerId, logDirs, time, timer, logger });
    this.replicas = new ReplicaManager({ table: this.table, timer, events: this.events, counters: this.counters, logger });
    this.admin = new TopicAdmin({
      brokerId, registry, table: this.table, membership, logDirs, defaults, events: this.events, logger,
      onTopicRemoved: (topic) => {
        this.counters.forget(topic.name);
        this.partitioner.forgetTopic(topic.name);
        for (const p of topic.partitions) this.replicas.partitionChanged(topic.name, p.partition);
      },
    });
    const onStartMoved = (topic: string, partition: number): void => this.replicas.partitionChanged(topic, partition);
    this.retention = new PeriodicTask('retention pass', timer, defaults.logRetentionCheckIntervalMs,
      () => void runRetentionPass(this.table, this.events, logger, onStartMoved), logger);
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
    const membership = await ClusterMembership.join({
      registry: options.registry, timer: options.timer, time, logger, brokerId: options.brokerId, sessionTimeoutMs: defaults.sessionTimeoutMs,
      registration: {
        host: options.advertisedHost, port: options.advertisedPort, endpoints: [`PLAINTEXT://${options.advertisedHost}:${options.advertisedPort}`],
        listenerSecurityProtocolMap: { PLAINTEXT: 'PLAINTEXT' }, jmxPort: -1, timestampMs: time.milliseconds(),
        ...(options.rack === undefined ? {} : { rack: options.rack }),
      },
    });
    const broker = new Broker(options, options.registry, membership, time, logger, defaults, logDirs);
    try {
      await broker.load();
    } catch (err) {
      await broker.close();
      throw err;
    }
    return broker;
  }

  /** Opens the logs of every topic in the registry and resumes interrupted deletions. */
  private async load(): Promise<void> {
    const pending = new Set(pendingDeletions(this.registry));
    for (const name of listTopicNames(this.registry)) {
      if (pending.has(name)) continue;
      const record = readTopic(this.registry, name);
      if (record !== undefined) this.table.apply(record);
    }
    if (pending.size > 0) await this.admin.resumeDeletions([...pending]);
    this.retention.start();
    this.configChangePurge.start();
  }

  get clusterId(): string { return this.membership.clusterId; }
  get brokerId(): number { return this.options.brokerId; }

  describeCluster(): ClusterDescription {
    return { clusterId: this.clusterId, controllerId: this.membership.controllerId(), brokers: this.membership.liveBrokers() };
  }

  listTopics(options: { includeInternal?: boolean } = {}): TopicDescription[] {
    const out: TopicDescription[] = [];
    for (const name of this.table.names()) {
      const topic = this.table.get(name)!;
      if (options.includeInternal || !topic.internal) out.push(topic.describe());
    }
    return out;
  }

  describeTopic(name: string): TopicDescription {
    return this.table.require(name).describe();
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

  listOffset(topic: string, partition: number, timestamp: bigint): { offset: bigint; timestamp: bigint } | undefined {
    const found = this.table.requirePartition(topic, partition);
    const log = found.leaderLog();
    // Consumers see the HW as the end of the log, as Kafka's ListOffsets answers them.
    if (timestamp === LATEST_TIMESTAMP) return { offset: found.highWatermark, timestamp: -1n };
    if (timestamp === EARLIEST_TIMESTAMP) return { offset: log.logStartOffset, timestamp: -1n };
    if (timestamp < 0n && timestamp !== MAX_TIMESTAMP) throw new KafkaError('INVALID_REQUEST', `unsupported ListOffsets timestamp ${timestamp}`);
    const match = log.offsetForTimestamp(timestamp);
    return match !== undefined && match.offset < found.highWatermark ? match : undefined;
  }

  async deleteRecords(topic: string, partition: number, beforeOffset: bigint): Promise<bigint> {
    const found = this.table.requirePartition(topic, partition);
    const log = found.leaderLog();
    const hw = found.highWatermark;
    // Kafka's DeleteRecords: -1 means "up to the high watermark".
    const target = beforeOffset === -1n ? hw : beforeOffset;
    if (target < 0n || target > hw) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `Cannot increment the log start offset to ${target} of partition ${topic}-${partition} since it is larger than the high watermark ${hw}`);
    }
    const before = log.logStartOffset;
    const logStartOffset = log.deleteRecordsBefore(target);
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
    throw new KafkaError('UNSUPPORTED_VERSION', 'describeBrokers: the controller is not built yet');
  }

  clusterHealth(): ClusterHealth {
    throw new KafkaError('UNSUPPORTED_VERSION', 'clusterHealth: the controller is not built yet');
  }

  electLeaders(_type: ElectionType, _partitions: readonly TopicPartitionRef[] | null): Promise<PartitionOutcome[]> {
    return Promise.reject(new KafkaError('UNSUPPORTED_VERSION', 'electLeaders: the controller is not built yet'));
  }

  alterPartitionReassignments(_changes: readonly ReassignmentChange[]): Promise<PartitionOutcome[]> {
    return Promise.reject(new KafkaError('UNSUPPORTED_VERSION', 'alterPartitionReassignments: the controller is not built yet'));
  }

  listPartitionReassignments(_partitions: readonly TopicPartitionRef[] | null): PartitionReassignment[] {
    return [];
  }

  /** One retention pass now, outside the schedule (operators and tests). Returns segments deleted. */
  runRetentionNow(): number {
    return runRetentionPass(this.table, this.events, this.logger, (t, p) => this.replicas.partitionChanged(t, p));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.retention.stop(), this.configChangePurge.stop()]);
    await this.admin.drain();
    this.replicas.close();
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
