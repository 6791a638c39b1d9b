import { KafkaError } from '../errors.js';
import { describeTopicConfig, validateTopicConfig, type ConfigEntry } from '../log/config/log-config.js';
import type { PartitionState } from '../registry/kafka-znodes.js';
import type { Op } from '../registry/types.js';
import { KafkaPaths } from '../registry/kafka-znodes.js';
import { isRegistryError } from '../registry/registry-error.js';
import type { Registry } from '../registry/registry.js';
import { SerialQueue } from '../registry/serial-queue.js';
import type { ConfigChange, NewTopic, TopicDescription } from './broker-api.js';
import type { BrokerDefaults, BrokerLogger } from './broker-options.js';
import type { BrokerEvents } from './broker-events.js';
import type { ClusterMembership } from './cluster-membership.js';
import { randomKafkaUuid } from './cluster-membership.js';
import type { LogDirs } from './log-dirs.js';
import { ignoreRegistryError } from './registry-calls.js';
import { assignReplicas, type AssignmentOptions } from './replica-assignment.js';
import { currentControllerEpoch } from '../cluster/controller-view.js';
import type { BrokerEndpointInfo } from './broker-api.js';
import type { Topic } from './topic.js';
import { findCollision, validateTopicName } from './topic-name.js';
import type { TopicTable } from './topic-table.js';
import {
  addPartitionsOps, createTopicOps, deleteTopicZNodeOps, isMarkedForDeletion, listTopicNames, markForDeletionOp, readTopic, setConfigOps,
} from './topic-znodes.js';

/** A guard against a request that would open millions of logs; Kafka has no such cap, its operators do. */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;

export interface TopicAdminContext {
  readonly brokerId: number;
  readonly registry: Registry;
  readonly table: TopicTable;
  readonly membership: ClusterMembership;
  readonly logDirs: LogDirs;
  readonly defaults: BrokerDefaults;
  readonly events: BrokerEvents;
  readonly logger: BrokerLogger;
  /**
   * Re-reads the topic from the registry into the table and acts on what moved (the
   * broker's MetadataSync.refresh): a topic gone from the registry leaves the table, its
   * logs closed and removed.
   */
  readonly refresh: (name: string) => Topic | undefined;
  /** Resolves once a topic that left the table has its local logs closed and removed. */
  readonly awaitLocalRemoval: (name: string) => Promise<void>;
}

/** A creation waiting for the next batch (see TopicAdmin.createTopic). */
interface PendingCreation {
  readonly request: NewTopic;
  readonly resolve: (topic: TopicDescription) => void;
  readonly reject: (err: unknown) => void;
}

/** A creation validated and planned: its registry operations, committed with the batch's. */
interface PlannedCreation extends PendingCreation {
  readonly ops: Op[];
}

/**
 * Topic administration the way Kafka's controller and admin manager do it through
 * ZooKeeper: validate everything first, write the registry in one multi, then make the
 * local state (logs, table) follow. Deletion goes through /admin/delete_topics so that a
 * broker that crashes half-way finishes the job at its next start.
 *
 * Admin operations run one at a time (a queue), so a create racing a delete of the same
 * name, or two partition increases, are ordered; reads never wait for it. Creations that
 * wait in the queue together (the topics of one CreateTopics request, or of concurrent
 * ones) are committed in one multi: one registry transaction for a hundred topics
 * instead of a hundred.
 */
export class TopicAdmin {
  private readonly queue = new SerialQueue();
  /** Creations joining the batch queued last; closed once anything else is queued after it, which keeps the order. */
  private openBatch: PendingCreation[] | undefined;

  constructor(private readonly ctx: TopicAdminContext) {}

  createTopic(request: NewTopic, validateOnly: boolean): Promise<TopicDescription> {
    if (validateOnly) return this.run(async () => this.planCreation(request, new Set()).preview());
    return new Promise((resolve, reject) => {
      if (this.openBatch === undefined) {
        const batch: PendingCreation[] = [];
        this.openBatch = batch;
        void this.queue.run(() => {
          if (this.openBatch === batch) this.openBatch = undefined;
          return this.createBatch(batch);
        });
      }
      this.openBatch.push({ request, resolve, reject });
    });
  }

  private run<T>(task: () => Promise<T>): Promise<T> {
    this.openBatch = undefined;
    return this.queue.run(task);
  }

  /** Plans every creation of the batch (each failing alone), commits the valid ones together, then opens their logs. */
  private async createBatch(batch: readonly PendingCreation[]): Promise<void> {
    const planned: PlannedCreation[] = [];
    const names = new Set<string>();
    for (const creation of batch) {
      try {
        planned.push({ ...creation, ops: this.planCreation(creation.request, names).ops() });
        names.add(creation.request.name);
      } catch (err) {
        creation.reject(err);
      }
    }
    if (planned.length === 0) return;
    try {
      await this.ctx.registry.multi(planned.flatMap((c) => c.ops));
      for (const creation of planned) this.created(creation);
    } catch (err) {
      // One creation raced another writer (or the batch failed as a whole): commit each
      // alone, so that only the ones at fault fail.
      if (planned.length === 1) return planned[0]!.reject(creationError(planned[0]!.request.name, err));
      for (const creation of planned) {
        try {
          await this.ctx.registry.multi(creation.ops);
          this.created(creation);
        } catch (alone) {
          creation.reject(creationError(creation.request.name, alone));
        }
      }
    }
  }

  private created(creation: PlannedCreation): void {
    const { name } = creation.request;
    try {
      const topic = this.ctx.refresh(name)!;
      this.ctx.events.emit({ type: 'topic-created', topic: name });
      creation.resolve(topic.describe());
    } catch (err) {
      creation.reject(err);
    }
  }

  /**
   * Validates a creation against the registry and the names already planned in its
   * batch; returns the description it would have and, to commit it, the registry
   * operations that create it (after removing directories an older topic of its name left).
   */
  private planCreation(request: NewTopic, planned: ReadonlySet<string>): { preview(): TopicDescription; ops(): Op[] } {
    const { registry, defaults, membership, brokerId } = this.ctx;
    const { name } = request;
    validateTopicName(name);
    if (readTopic(registry, name) !== undefined || planned.has(name)) throw new KafkaError('TOPIC_ALREADY_EXISTS', `Topic '${name}' already exists.`);
    if (isMarkedForDeletion(registry, name)) throw new KafkaError('TOPIC_ALREADY_EXISTS', `Topic '${name}' is marked for deletion.`);
    const collision = findCollision(name, planned.size === 0 ? listTopicNames(registry) : [...listTopicNames(registry), ...planned]);
    if (collision !== undefined) {
      throw new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic '${name}' collides with existing topic: ${collision}`);
    }
    const partitions = request.partitions === undefined || request.partitions === -1 ? defaults.numPartitions : request.partitions;
    checkPartitionCount(partitions);
    const rf = request.replicationFactor === undefined || request.replicationFactor === -1 ? defaults.defaultReplicationFactor : request.replicationFactor;
    const brokers = membership.liveBrokers();
    const live = brokers.map((b) => b.brokerId);
    checkReplicationFactor(rf, live.length);
    const overrides = normalizeOverrides(request.configs ?? {});
    validateTopicConfig(overrides);

    const assignment = place(brokers, partitions, rf);
    const topicId = randomKafkaUuid();
    return {
      preview: () => previewTopic(name, topicId, assignment, brokerId),
      ops: () => {
        const states = new Map<number, PartitionState>();
        for (const [p, replicas] of assignment) states.set(p, this.initialState(replicas, live));
        // A directory left by an older topic of this name must not become the new topic's data.
        for (const p of this.ctx.logDirs.partitionsOnDisk(name)) this.ctx.logDirs.removePartition(name, p);
        return createTopicOps(name, topicId, assignment, states, overrides);
      },
    };
  }

  /**
   * Kafka's initial leader and ISR (what its controller writes on seeing a new topic):
   * the first live replica leads, every live replica is in sync. Written by the broker
   * that creates the topic, in the same multi as the assignment, under the current
   * controller epoch (ADR 007).
   */
  private initialState(replicas: readonly number[], live: readonly number[]): PartitionState {
    const isr = replicas.filter((id) => live.includes(id));
    return { controllerEpoch: currentControllerEpoch(this.ctx.registry), leader: isr[0] ?? -1, leaderEpoch: 0, isr };
  }

  deleteTopic(name: string): Promise<void> {
    return this.run(async () => {
      const { registry } = this.ctx;
      if (readTopic(registry, name) === undefined) {
        throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic: ${name}`);
      }
      await ignoreRegistryError(registry.multi([markForDeletionOp(name)]), 'NODEEXISTS');
      await this.completeDeletion(name);
    });
  }

  /** Finishes every deletion recorded under /admin/delete_topics (after a crash mid-way). */
  resumeDeletions(names: readonly string[]): Promise<void> {
    return this.run(async () => {
      for (const name of names) {
        this.ctx.logger.info(`resuming the deletion of topic ${name}`);
        await this.completeDeletion(name);
      }
    });
  }

  /**
   * The topic leaves this broker's table (the marker makes MetadataSync drop it, closing
   * and removing its local logs), then its znodes go, then the marker. Other brokers drop
   * their replicas when they see the znodes gone, or at their next start (stray
   * directories). Each step is safe to repeat.
   */
  private async completeDeletion(name: string): Promise<void> {
    const { registry } = this.ctx;
    this.ctx.refresh(name);
    await this.ctx.awaitLocalRemoval(name);
    const ops = deleteTopicZNodeOps(registry, name);
    if (ops.length > 0) await registry.multi(ops);
    await ignoreRegistryError(registry.delete(KafkaPaths.deleteTopic(name)), 'NONODE');
  }

  createPartitions(name: string, totalCount: number, validateOnly: boolean): Promise<TopicDescription> {
    return this.run(async () => {
      const { registry, table, membership, brokerId } = this.ctx;
      const record = readTopic(registry, name);
      if (record === undefined || isMarkedForDeletion(registry, name)) {
        throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic: ${name}`);
      }
      const current = record.assignment.size;
      checkPartitionCount(totalCount);
      if (totalCount < current) throw new KafkaError('INVALID_PARTITIONS', `Topic currently has ${current} partitions, which is higher than the requested ${totalCount}.`);
      if (totalCount === current) throw new KafkaError('INVALID_PARTITIONS', `Topic already has ${current} partitions.`);
      const rf = record.assignment.get(0)?.length ?? 1;
      const brokers = membership.liveBrokers();
      const live = brokers.map((b) => b.brokerId).sort((a, b) => a - b);
      checkReplicationFactor(rf, live.length);
      const firstLeader = record.assignment.get(0)?.[0];
      const startIndex = firstLeader !== undefined && live.includes(firstLeader) ? live.indexOf(firstLeader) : undefined;
      const added = place(brokers, totalCount - current, rf, { startIndex, startPartitionId: current });
      if (validateOnly) return previewTopic(name, record.topicId, new Map([...record.assignment, ...added]), brokerId, table.get(name)?.describe());
      const states = new Map<number, PartitionState>();
      for (const [p, replicas] of added) states.set(p, this.initialState(replicas, live));
      try {
        await registry.multi(addPartitionsOps(record, new Map([...record.assignment, ...added]), states));
      } catch (err) {
        if (isRegistryError(err, 'BADVERSION') || isRegistryError(err, 'NODEEXISTS')) {
          throw new KafkaError('REASSIGNMENT_IN_PROGRESS', `the partitions of ${name} changed concurrently; retry`);
        }
        throw err;
      }
      const topic = this.ctx.refresh(name)!;
      this.ctx.events.emit({ type: 'partitions-created', topic: name, partitions: totalCount });
      return topic.describe();
    });
  }

  alterConfigs(name: string, changes: readonly ConfigChange[], validateOnly: boolean): Promise<ConfigEntry[]> {
    return this.run(async () => {
      const { registry } = this.ctx;
      const record = readTopic(registry, name);
      if (record === undefined || isMarkedForDeletion(registry, name)) {
        throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic: ${name}`);
      }
      const overrides: Record<string, string> = { ...record.overrides };
      for (const change of changes) {
        if (change.value === null) delete overrides[change.name];
        else overrides[change.name] = change.value.trim();
      }
      validateTopicConfig(overrides);
      if (!validateOnly) {
        await registry.multi(setConfigOps(name, overrides));
        this.ctx.refresh(name);
        this.ctx.events.emit({ type: 'configs-changed', topic: name });
      }
      return describeTopicConfig(overrides);
    });
  }

  /** Waits for every queued admin operation. */
  drain(): Promise<void> {
    return this.queue.drain();
  }
}

function checkPartitionCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new KafkaError('INVALID_PARTITIONS', 'Number of partitions must be larger than 0.');
  if (count > MAX_PARTITIONS_PER_TOPIC) throw new KafkaError('INVALID_PARTITIONS', `Number of partitions ${count} is above the limit of ${MAX_PARTITIONS_PER_TOPIC}.`);
}

function checkReplicationFactor(rf: number, liveBrokers: number): void {
  if (!Number.isInteger(rf) || rf < 1) throw new KafkaError('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0.');
  if (rf > liveBrokers) throw new KafkaError('INVALID_REPLICATION_FACTOR', `Replication factor: ${rf} larger than available brokers: ${liveBrokers}.`);
}

function normalizeOverrides(configs: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(configs)) out[name] = value.trim();
  return out;
}

/** What a validate-only request would create: partitions with their planned replicas, empty logs. */
function previewTopic(
  name: string,
  topicId: string,
  assignment: ReadonlyMap<number, readonly number[]>,
  brokerId: number,
  existing?: TopicDescription,
): TopicDescription {
  const partitions = [...assignment].sort(([a], [b]) => a - b).map(([partition, replicas]) => existing?.partitions[partition] ?? {
    partition, leader: replicas[0] ?? -1, leaderEpoch: 0, replicas, isr: replicas,
    logStartOffset: replicas.includes(brokerId) ? 0n : -1n, highWatermark: replicas.includes(brokerId) ? 0n : -1n,
    lastStableOffset: replicas.includes(brokerId) ? 0n : -1n,
    logEndOffset: replicas.includes(brokerId) ? 0n : -1n, sizeBytes: 0,
    offline: false, offlineReplicas: [], addingReplicas: [], removingReplicas: [],
  });
  return { name, topicId: existing?.topicId ?? topicId, internal: false, replicationFactor: assignment.get(0)?.length ?? 0, partitions };
}

/** Kafka's placement over the live brokers (rack-aware when they have racks); a mixed rack setup is INVALID_REPLICATION_FACTOR. */
function place(brokers: readonly BrokerEndpointInfo[], partitions: number, rf: number, options?: AssignmentOptions): Map<number, number[]> {
  try {
    return assignReplicas(brokers, partitions, rf, options);
  } catch (err) {
    if (err instanceof RangeError) throw new KafkaError('INVALID_REPLICATION_FACTOR', err.message);
    throw err;
  }
}

/** What a failed creation multi means for the topic: another writer created it first, or the registry's own error. */
function creationError(name: string, err: unknown): unknown {
  return isRegistryError(err, 'NODEEXISTS') ? new KafkaError('TOPIC_ALREADY_EXISTS', `Topic '${name}' already exists.`) : err;
}
