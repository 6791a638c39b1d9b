import { readTopic, listTopicNames, pendingDeletions, type TopicRecord } from '../broker/topic-znodes.js';
import { ControlledShutdownZNode, ControllerEpochZNode, KafkaPaths } from '../registry/kafka-znodes.js';
import type { Registry } from '../registry/registry.js';
import type { Liveness, PartitionView } from './partition-states.js';

/**
 * What the controller reads before deciding, always fresh from the registry's memory
 * (the registry is the controller's context cache): live brokers, brokers shutting
 * down, and partitions with their states and znode versions.
 */
export function readLiveness(registry: Registry): Liveness & { readonly live: ReadonlySet<number> } {
  const live = new Set<number>();
  const epochs = new Map<number, number>();
  for (const child of registry.getChildren(KafkaPaths.brokerIds)) {
    const stat = registry.exists(KafkaPaths.brokerId(Number(child)));
    if (stat === null) continue;
    live.add(Number(child));
    epochs.set(Number(child), stat.czxid);
  }
  const shuttingDown = new Set<number>();
  if (registry.exists(KafkaPaths.controlledShutdown) !== null) {
    for (const child of registry.getChildren(KafkaPaths.controlledShutdown)) {
      const id = Number(child);
      const path = KafkaPaths.controlledShutdownBroker(id);
      if (registry.exists(path) === null) continue;
      // A request left by an earlier incarnation of the broker (older broker epoch) does not count.
      let requestEpoch = -1;
      try {
        requestEpoch = ControlledShutdownZNode.decode(registry.getData(path).data);
      } catch {
        continue;
      }
      if (live.has(id) && epochs.get(id) === requestEpoch) shuttingDown.add(id);
    }
  }
  return { live, isLive: (id) => live.has(id), shuttingDown };
}

/** The current controller epoch in /controller_epoch, 0 before any broker was elected. */
export function currentControllerEpoch(registry: Registry): number {
  return registry.exists(KafkaPaths.controllerEpoch) === null ? 0 : ControllerEpochZNode.decode(registry.getData(KafkaPaths.controllerEpoch).data);
}

/** Topics the controller manages: every topic not being deleted. */
export function liveTopics(registry: Registry): TopicRecord[] {
  const deleting = new Set(pendingDeletions(registry));
  const out: TopicRecord[] = [];
  for (const name of listTopicNames(registry)) {
    if (deleting.has(name)) continue;
    const record = readTopic(registry, name);
    if (record !== undefined) out.push(record);
  }
  return out;
}

export function partitionViews(record: TopicRecord, uncleanDefault: boolean): PartitionView[] {
  const unclean = record.overrides['unclean.leader.election.enable'];
  const uncleanEnabled = unclean === undefined ? uncleanDefault : unclean === 'true';
  const views: PartitionView[] = [];
  for (const [partition, replicas] of record.assignment) {
    const state = record.states.get(partition);
    if (state === undefined) continue;
    views.push({ topic: record.name, partition, replicas, state: state.state, version: state.version, uncleanEnabled });
  }
  return views;
}

export function partitionView(registry: Registry, topic: string, partition: number, uncleanDefault: boolean): PartitionView | undefined {
  const record = readTopic(registry, topic);
  return record === undefined ? undefined : partitionViews(record, uncleanDefault).find((v) => v.partition === partition);
}
