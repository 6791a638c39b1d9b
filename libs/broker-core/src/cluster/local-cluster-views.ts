import type { BrokerApi, BrokerStatus, PartitionDescription, TopicDescription } from '../broker/broker-api.js';
import { isKafkaError } from '../errors.js';

/**
 * The read-side merges of a LocalCluster: the structure of topics and brokers comes from
 * one broker (the admin broker, preferably the controller), and what only a partition's
 * leader knows first-hand (its log offsets and size) from that leader when this process
 * hosts it.
 */

/** Running brokers by id, as the merges need them. */
export type RunningBrokers = ReadonlyMap<number, BrokerApi>;

/** A local broker's own description of a topic, undefined when it does not know the topic. */
export type LeaderView = (broker: BrokerApi, topic: string) => TopicDescription | undefined;

/** `base` with each partition led by another local broker replaced by that leader's own description of it. */
export function withLeaderViews(base: TopicDescription, admin: BrokerApi, running: RunningBrokers, viewOf: LeaderView): TopicDescription {
  let partitions: PartitionDescription[] | undefined;
  for (let i = 0; i < base.partitions.length; i++) {
    const p = base.partitions[i]!;
    const leader = running.get(p.leader);
    if (leader === undefined || leader === admin) continue;
    const own = viewOf(leader, base.name)?.partitions.find((q) => q.partition === p.partition);
    if (own === undefined) continue;
    partitions ??= [...base.partitions];
    partitions[i] = own;
  }
  return partitions === undefined ? base : { ...base, partitions };
}

/** For one topic: each leader describes just that topic. */
export function singleTopicView(): LeaderView {
  const seen = new Map<BrokerApi, TopicDescription | undefined>();
  return (broker, topic) => {
    if (!seen.has(broker)) seen.set(broker, describeIfKnown(broker, topic));
    return seen.get(broker);
  };
}

/** For every topic: each leader lists its topics once. */
export function allTopicsView(): LeaderView {
  const lists = new Map<BrokerApi, ReadonlyMap<string, TopicDescription>>();
  return (broker, topic) => {
    let topics = lists.get(broker);
    if (topics === undefined) lists.set(broker, (topics = new Map(broker.listTopics({ includeInternal: true }).map((t) => [t.name, t]))));
    return topics.get(topic);
  };
}

function describeIfKnown(broker: BrokerApi, topic: string): TopicDescription | undefined {
  try {
    return broker.describeTopic(topic);
  } catch (err) {
    if (isKafkaError(err, 'UNKNOWN_TOPIC_OR_PARTITION')) return undefined;
    throw err;
  }
}

/**
 * The admin broker's statuses, with the log dir size of every other running local
 * broker taken from that broker itself (a broker measures only its own logs), and the
 * hosted brokers the registry no longer names listed as offline.
 */
export function mergeBrokerStatuses(statuses: readonly BrokerStatus[], admin: BrokerApi, running: RunningBrokers, hostedIds: readonly number[]): BrokerStatus[] {
  const byId = new Map(statuses.map((s) => [s.brokerId, s]));
  for (const [id, broker] of running) {
    const status = byId.get(id);
    if (broker === admin || status === undefined) continue;
    const own = broker.describeBrokers().find((s) => s.brokerId === id);
    if (own !== undefined && own.logDirSizeBytes !== status.logDirSizeBytes) byId.set(id, { ...status, logDirSizeBytes: own.logDirSizeBytes });
  }
  for (const id of hostedIds) if (!byId.has(id)) byId.set(id, offlineStatus(id));
  return [...byId.values()].sort((a, b) => a.brokerId - b.brokerId);
}

export function offlineStatus(brokerId: number): BrokerStatus {
  return {
    brokerId, host: null, port: null, rack: null, status: 'offline', isController: false,
    partitionsLed: 0, replicas: 0, outOfSyncReplicas: 0, logDirSizeBytes: null,
  };
}

/** The topic's non-default configs as one string; undefined when the topic cannot be read. */
export function configSignature(broker: BrokerApi, topic: string): string | undefined {
  try {
    return broker
      .describeTopicConfigs(topic)
      .filter((e) => !e.isDefault)
      .map((e) => `${e.name}=${e.value ?? ''}`)
      .join('\n');
  } catch (err) {
    if (isKafkaError(err)) return undefined;
    throw err;
  }
}

/**
 * Registered brokers, their states and the controller as one string. Statuses come from
 * describeBrokers when the broker can give them (shutting_down shows only there), else
 * from the registrations.
 */
export function brokersSignature(broker: BrokerApi | undefined, runningIds: readonly number[]): string {
  const hosted = `running:${runningIds.join(',')}`;
  if (broker === undefined) return hosted;
  try {
    const statuses = broker.describeBrokers().map((s) => `${s.brokerId}:${s.status}${s.isController ? ':controller' : ''}`);
    return `${hosted};${statuses.join(',')}`;
  } catch (err) {
    if (!isKafkaError(err)) throw err;
    const cluster = broker.describeCluster();
    return `${hosted};controller:${cluster.controllerId};live:${cluster.brokers.map((b) => b.brokerId).join(',')}`;
  }
}
