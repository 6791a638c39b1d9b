import { afterEach, describe, expect, it } from '@jest/globals';
import kafkajs, { type Consumer, type Kafka } from 'kafkajs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerDefaults } from '../broker/broker-options.js';
import { LocalCluster } from '../cluster/local-cluster.js';
import { InMemoryRegistryStore } from '../registry/memory-store.js';
import { Registry } from '../registry/registry.js';
import { SystemTime } from '../time.js';
import { SystemTimer } from '../timer/system-timer.js';
import { CONSUMER_OFFSETS_TOPIC } from './consumer-offsets-record.js';

/**
 * The coordinator moving between brokers: three brokers in one process (LocalCluster,
 * real TCP), `__consumer_offsets` replicated to all three, a kafkajs consumer group
 * consuming and committing. The broker coordinating the group crashes; another replica of
 * the group's offsets partition becomes leader, loads it, and answers with the offsets
 * committed before the crash; the consumer finds it and goes on. Real time, polled with
 * deadlines.
 */
let cluster: LocalCluster;
let registry: Registry;
let timer: SystemTimer;
let dataDir: string;
let kafka: Kafka;
const consumers: Consumer[] = [];

const FAST: Partial<BrokerDefaults> = {
  sessionTimeoutMs: 6000, replicaLagTimeMaxMs: 2000, replicaFetchWaitMaxMs: 50, replicaFetchBackoffMs: 50, controlledShutdownTimeoutMs: 5000,
  autoLeaderRebalanceEnable: false, groupInitialRebalanceDelayMs: 0, offsetsTopicNumPartitions: 5,
};

async function start(brokerIds: number[]): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'weir-groups-cluster-'));
  const time = new SystemTime();
  timer = new SystemTimer();
  registry = await Registry.open({ store: new InMemoryRegistryStore(), time, scheduler: timer, onError: () => undefined });
  cluster = await LocalCluster.start({
    brokerIds, dataDir, registry, timer, time, host: '127.0.0.1', advertisedHost: '127.0.0.1', kafkaPorts: brokerIds.map(() => 0), defaults: FAST,
  });
  const bootstraps = cluster.hostedBrokers().map((b) => `127.0.0.1:${b.kafkaPort!}`);
  kafka = new kafkajs.Kafka({ clientId: 'cluster-spec', brokers: bootstraps, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 } });
}

afterEach(async () => {
  try {
    for (const c of consumers.splice(0)) await c.disconnect();
    await cluster.close();
    await registry.close();
    timer.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  // kafkajs consumers leave through a coordinator that may just have moved, then three brokers close.
}, 30_000);

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, withinMs = 30_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await Promise.resolve(probe()).catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function produce(topic: string, from: number, count: number): Promise<void> {
  const records = Array.from({ length: count }, (_, i) => ({ partition: (from + i) % 3, key: Buffer.from(`k${from + i}`), value: Buffer.from(`v${from + i}`) }));
  // Partitions whose leader just died refuse until the controller elected another: retry those.
  let pending = records;
  await until('the records to be acknowledged', async () => {
    const results = await cluster.produce(topic, pending, { acks: -1 });
    pending = pending.filter((_, i) => results[i]!.errorCode !== 0);
    return pending.length === 0 ? true : undefined;
  });
}

/** Committed offsets of the group, summed, as its coordinator answers (undefined while it cannot). */
async function committedTotal(groupId: string): Promise<bigint | undefined> {
  const offsets = await cluster.fetchConsumerGroupOffsets(groupId);
  return offsets.reduce((sum, o) => sum + o.offset, 0n);
}

describe('the group coordinator across brokers', () => {
  it('moves with the leadership of the offsets partition when its broker dies; committed offsets and the consumer carry on', async () => {
    await start([1, 2, 3]);
    await cluster.createTopic({ name: 'orders', partitions: 3, replicationFactor: 3 });
    await produce('orders', 0, 30);

    const seen = new Set<string>();
    // kafkajs keeps a dead coordinator until its consumer gives up retrying and restarts (finding the coordinator again): few retries.
    const consumer = kafka.consumer({ groupId: 'billing', sessionTimeout: 10_000, heartbeatInterval: 300, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 } });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    await until('30 records consumed and committed', async () => (seen.size === 30 && (await committedTotal('billing')) === 30n ? true : undefined));

    // The offsets topic was created on the group's first FindCoordinator, replicated to every broker.
    const offsetsTopic = cluster.describeTopic(CONSUMER_OFFSETS_TOPIC);
    expect(offsetsTopic.partitions).toHaveLength(5);
    expect(offsetsTopic.partitions.every((p) => p.replicas.length === 3)).toBe(true);
    const before = await cluster.describeConsumerGroup('billing');
    expect(before).toMatchObject({ state: 'Stable', memberCount: 1, protocolType: 'consumer' });

    await cluster.stopBroker(before.coordinatorId, { controlled: false });
    const after = await until('another broker to coordinate the group', async () => {
      const d = await cluster.describeConsumerGroup('billing');
      return d.coordinatorId !== before.coordinatorId ? d : undefined;
    });
    expect(after.coordinatorId).not.toBe(before.coordinatorId);
    // Loaded from the replica: what was committed before the crash.
    expect(await committedTotal('billing')).toBe(30n);

    await produce('orders', 30, 30);
    await until('all 60 records consumed and committed through the new coordinator', async () => (seen.size === 60 && (await committedTotal('billing')) === 60n ? true : undefined), 45_000);
    expect((await cluster.describeConsumerGroup('billing')).state).toBe('Stable');
  }, 120_000);
});
