import {
  ConfigChangeZNode,
  DeleteTopicZNode,
  KafkaPaths,
  PartitionStateZNode,
  TopicConfigZNode,
  TopicZNode,
  type PartitionState,
} from '../registry/kafka-znodes.js';
import type { Registry } from '../registry/registry.js';
import { Ops, type Op, type Watcher } from '../registry/types.js';

/**
 * A topic as the registry holds it, in Kafka's layout: the assignment in
 * /brokers/topics/<t>, one state node per partition, the config overrides in
 * /config/topics/<t>. Read synchronously from the registry's memory; every change is
 * one multi, so no reader ever sees half a topic.
 */
export interface TopicRecord {
  readonly name: string;
  readonly topicId: string;
  readonly assignment: ReadonlyMap<number, readonly number[]>;
  readonly assignmentVersion: number;
  /** Ongoing reassignments: replicas being added / removed, by partition (Kafka's topic znode v2+). */
  readonly addingReplicas: ReadonlyMap<number, readonly number[]>;
  readonly removingReplicas: ReadonlyMap<number, readonly number[]>;
  /** Partition states with their znode versions; a partition may lack one briefly in a multi-broker cluster. */
  readonly states: ReadonlyMap<number, { readonly state: PartitionState; readonly version: number }>;
  readonly overrides: Readonly<Record<string, string>>;
}

export function listTopicNames(registry: Registry): string[] {
  return registry.exists(KafkaPaths.topics) === null ? [] : registry.getChildren(KafkaPaths.topics);
}

export function pendingDeletions(registry: Registry): string[] {
  return registry.exists(KafkaPaths.deleteTopics) === null ? [] : registry.getChildren(KafkaPaths.deleteTopics);
}

export function isMarkedForDeletion(registry: Registry, name: string): boolean {
  return registry.exists(KafkaPaths.deleteTopic(name)) !== null;
}

/**
 * The topic's record, read from the registry's memory. With `watcher`, one-shot watches
 * are left on every node read (assignment, each partition state, config), so the caller
 * hears of the next change to any of them.
 */
export function readTopic(registry: Registry, name: string, watcher?: Watcher): TopicRecord | undefined {
  const path = KafkaPaths.topic(name);
  if (registry.exists(path, watcher) === null) return undefined;
  const { data, stat } = registry.getData(path, watcher);
  const decoded = TopicZNode.decode(data);
  const states = new Map<number, { state: PartitionState; version: number }>();
  for (const partition of decoded.partitions.keys()) {
    const statePath = KafkaPaths.partitionState(name, partition);
    if (registry.exists(statePath, watcher) === null) continue;
    const node = registry.getData(statePath, watcher);
    states.set(partition, { state: PartitionStateZNode.decode(node.data), version: node.stat.version });
  }
  const configPath = KafkaPaths.topicConfig(name);
  const overrides = registry.exists(configPath, watcher) === null ? {} : TopicConfigZNode.decode(registry.getData(configPath, watcher).data);
  return {
    name, topicId: decoded.topicId ?? '', assignment: decoded.partitions, assignmentVersion: stat.version,
    addingReplicas: decoded.addingReplicas ?? new Map(), removingReplicas: decoded.removingReplicas ?? new Map(), states, overrides,
  };
}

function partitionOps(name: string, partitions: ReadonlyMap<number, PartitionState>): Op[] {
  const ops: Op[] = [];
  for (const [partition, state] of partitions) {
    ops.push(Ops.create(KafkaPaths.partition(name, partition)));
    ops.push(Ops.create(KafkaPaths.partitionState(name, partition), PartitionStateZNode.encode(state)));
  }
  return ops;
}

/** Kafka writes the config first, then the assignment; one multi here makes the order moot. */
export function createTopicOps(
  name: string,
  topicId: string,
  assignment: ReadonlyMap<number, readonly number[]>,
  states: ReadonlyMap<number, PartitionState>,
  overrides: Readonly<Record<string, string>>,
): Op[] {
  return [
    Ops.create(KafkaPaths.topicConfig(name), TopicConfigZNode.encode(overrides)),
    Ops.create(KafkaPaths.topic(name), TopicZNode.encode({ partitions: assignment, topicId })),
    Ops.create(KafkaPaths.partitions(name)),
    ...partitionOps(name, states),
  ];
}

/** New partitions: the assignment rewritten at its expected version, plus a state node per new partition. */
export function addPartitionsOps(
  topic: TopicRecord,
  assignment: ReadonlyMap<number, readonly number[]>,
  newStates: ReadonlyMap<number, PartitionState>,
): Op[] {
  return [
    Ops.setData(KafkaPaths.topic(topic.name), TopicZNode.encode({ partitions: assignment, topicId: topic.topicId }), topic.assignmentVersion),
    ...partitionOps(topic.name, newStates),
  ];
}

/** The overrides, plus Kafka's change notification for brokers watching /config/changes. */
export function setConfigOps(name: string, overrides: Readonly<Record<string, string>>): Op[] {
  return [
    Ops.setData(KafkaPaths.topicConfig(name), TopicConfigZNode.encode(overrides)),
    Ops.create(KafkaPaths.configChangePrefix, ConfigChangeZNode.encode(`topics/${name}`), 'PERSISTENT_SEQUENTIAL'),
  ];
}

export function markForDeletionOp(name: string): Op {
  return Ops.create(KafkaPaths.deleteTopic(name), DeleteTopicZNode.encode());
}

/** Deletes of every znode of the topic that exists, children first. */
export function deleteTopicZNodeOps(registry: Registry, name: string): Op[] {
  const ops: Op[] = [];
  const topicPath = KafkaPaths.topic(name);
  if (registry.exists(topicPath) !== null) {
    const partitionsPath = KafkaPaths.partitions(name);
    if (registry.exists(partitionsPath) !== null) {
      for (const child of registry.getChildren(partitionsPath)) {
        const partition = Number(child);
        for (const grandchild of registry.getChildren(KafkaPaths.partition(name, partition))) {
          ops.push(Ops.delete(`${KafkaPaths.partition(name, partition)}/${grandchild}`));
        }
        ops.push(Ops.delete(KafkaPaths.partition(name, partition)));
      }
      ops.push(Ops.delete(partitionsPath));
    }
    ops.push(Ops.delete(topicPath));
  }
  if (registry.exists(KafkaPaths.topicConfig(name)) !== null) ops.push(Ops.delete(KafkaPaths.topicConfig(name)));
  return ops;
}
