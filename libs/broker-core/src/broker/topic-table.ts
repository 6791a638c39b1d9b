import { KafkaError } from '../errors.js';
import { PartitionLog } from '../log/partition/partition-log.js';
import type { Time } from '../time.js';
import type { Timer } from '../timer/system-timer.js';
import type { BrokerLogger } from './broker-options.js';
import type { LogDirs } from './log-dirs.js';
import { Partition, type RoleChange } from './partition.js';
import type { PartitionState } from '../registry/kafka-znodes.js';
import { Topic } from './topic.js';
import type { TopicRecord } from './topic-znodes.js';

export interface TopicTableContext {
  readonly brokerId: number;
  readonly logDirs: LogDirs;
  readonly time: Time;
  readonly timer: Timer;
  readonly logger: BrokerLogger;
  /** High watermarks read from replication-offset-checkpoint at start, by `<topic>-<partition>`. */
  readonly highWatermarks: ReadonlyMap<string, bigint>;
  /** producer.id.expiration.ms, for every log opened. */
  readonly producerIdExpirationMs: number;
}

/** One partition whose local replica or state moved in an `apply`. */
export interface PartitionChange {
  readonly partition: Partition;
  readonly role: RoleChange;
  /** The log of a replica this broker no longer hosts (to close and delete). */
  readonly detachedLog: PartitionLog | undefined;
}

const NO_STATE = { state: { controllerEpoch: 0, leader: -1, leaderEpoch: 0, isr: [] }, version: -1 };

/**
 * The topics this broker knows (Kafka's metadata cache and log manager in one, for a
 * single broker): built from the registry's records, with a PartitionLog for every local
 * replica, opened at its first use (see Partition: a start opens no log).
 *
 * Invariants: a topic is in the table only while its registry record exists and it is
 * not being deleted; every local replica is hosted while its topic is in the table.
 * `apply` is the only way in: the registry is the source of truth, the table follows it.
 */
export class TopicTable {
  private readonly topics = new Map<string, Topic>();
  /** Topic id (base64url) to name, for requests that name topics by id (Fetch v13+). */
  private readonly namesById = new Map<string, string>();

  constructor(private readonly ctx: TopicTableContext) {}

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  /** The topic, or UNKNOWN_TOPIC_OR_PARTITION with Kafka's message. */
  require(name: string): Topic {
    const topic = this.topics.get(name);
    if (topic === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic: ${name}`);
    return topic;
  }

  partition(topic: string, partition: number): Partition | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /** The partition, or UNKNOWN_TOPIC_OR_PARTITION. */
  requirePartition(topic: string, partition: number): Partition {
    const found = this.partition(topic, partition);
    if (found === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic-partition: ${topic}-${partition}`);
    return found;
  }

  names(): string[] {
    return [...this.topics.keys()].sort();
  }

  all(): IterableIterator<Topic> {
    return this.topics.values();
  }

  /**
   * Brings the topic in line with its registry record: config overrides, assignments
   * (opening the log of a replica this broker gained, detaching the one it lost),
   * partition states, and partitions added since. Returns the topic and, per partition
   * whose local role or state moved, what happened, for the broker to act on (fetchers,
   * waiting requests, events).
   */
  apply(record: TopicRecord, nowMs: number): { topic: Topic; changes: PartitionChange[] } {
    const { logger, brokerId } = this.ctx;
    let topic = this.topics.get(record.name);
    if (topic === undefined) {
      topic = new Topic(record.name, record.topicId, record.overrides, logger);
      this.topics.set(record.name, topic);
      this.namesById.set(record.topicId, record.name);
    } else {
      topic.setOverrides(record.overrides, logger);
    }
    const changes: PartitionChange[] = [];
    const count = record.assignment.size;
    for (let p = 0; p < count; p++) {
      const replicas = record.assignment.get(p);
      if (replicas === undefined) throw new Error(`topic ${record.name}: the assignment has no partition ${p} of ${count}`);
      const adding = record.addingReplicas.get(p) ?? [];
      const removing = record.removingReplicas.get(p) ?? [];
      const state = record.states.get(p) ?? NO_STATE;
      let partition = topic.partitions[p];
      if (partition === undefined) {
        partition = new Partition(record.name, p, replicas, state.state, -1, brokerId, undefined);
        partition.setAssignment(replicas, adding, removing);
        topic.partitions[p] = partition;
      } else {
        partition.setAssignment(replicas, adding, removing);
      }
      const change = this.reconcileReplica(topic, partition, replicas.includes(brokerId), state, nowMs);
      if (change !== undefined) changes.push(change);
    }
    return { topic, changes };
  }

  /** Opens or detaches the local log as the assignment says, then applies the state. */
  private reconcileReplica(
    topic: Topic, partition: Partition, hosted: boolean, state: { state: PartitionState; version: number }, nowMs: number,
  ): PartitionChange | undefined {
    let detachedLog: PartitionLog | undefined;
    let opened = false;
    if (hosted && !partition.hosted) {
      // A new replica gets its directory now; an existing one is checked when its log opens.
      if (!this.ctx.logDirs.hasPartitionDir(topic.name, partition.partition)) this.ctx.logDirs.claimPartition(topic.name, partition.partition, topic.topicId);
      partition.attachLazyLog(() => this.openLog(topic, partition.partition), this.ctx.highWatermarks.get(partition.key));
      opened = true;
    } else if (!hosted && partition.hosted) {
      // A log never opened is opened to be closed and deleted as any other (rare: a reassignment away).
      detachedLog = partition.log;
      partition.detachLog();
    }
    const before = partition.zkVersion;
    let role = partition.applyState(state.state, state.version, nowMs);
    if (opened && (role === 'unchanged' || role === 'none')) {
      // A replica opened under a state we already knew: take up its role now.
      if (partition.leader === this.ctx.brokerId) {
        partition.makeLeader(nowMs);
        role = 'became-leader';
      } else {
        role = 'became-follower';
      }
    }
    if (detachedLog === undefined && !opened && role === 'unchanged' && before === partition.zkVersion) return undefined;
    if (role === 'none' && detachedLog === undefined && before === partition.zkVersion) return undefined;
    return { partition, role, detachedLog };
  }

  private openLog(topic: Topic, partition: number): PartitionLog {
    const { logDirs, time, timer, logger, producerIdExpirationMs } = this.ctx;
    const dir = logDirs.partitionDir(topic.name, partition);
    logDirs.claimPartition(topic.name, partition, topic.topicId);
    const log = PartitionLog.open(dir, { config: topic.config, time, scheduler: timer, logger, producerIdExpirationMs });
    const checkpointed = this.ctx.highWatermarks.get(`${topic.name}-${partition}`);
    if (checkpointed !== undefined) log.updateHighWatermark(checkpointed);
    return log;
  }

  nameById(topicId: string): string | undefined {
    return this.namesById.get(topicId);
  }

  /** Takes the topic out of the table (reads and appends see it gone at once); returns it for closing. */
  remove(name: string): Topic | undefined {
    const topic = this.topics.get(name);
    this.topics.delete(name);
    if (topic !== undefined) this.namesById.delete(topic.topicId);
    return topic;
  }

  /** Closes every opened log cleanly (flush, checkpoint, clean-shutdown manifest); one never opened still has its manifest. */
  async closeAll(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const topic of this.topics.values()) for (const p of topic.partitions) if (p.openedLog) closing.push(p.openedLog.close());
    this.topics.clear();
    this.namesById.clear();
    const results = await Promise.allSettled(closing);
    for (const r of results) if (r.status === 'rejected') this.ctx.logger.error('closing a partition log failed', r.reason);
  }
}
