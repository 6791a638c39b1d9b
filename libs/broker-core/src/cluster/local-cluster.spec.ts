import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerChange } from '../broker/broker-api.js';
import type { BrokerDefaults } from '../broker/broker-options.js';
import { expectKafkaError } from '../broker/testing/expect-error.js';
import { KAFKA_ERRORS, type KafkaError } from '../errors.js';
import { RawKafkaClient } from '../kafka-server/testing/raw-client.js';
import { API_KEYS } from '../protocol/api-keys.js';
import { KafkaPaths } from '../registry/kafka-znodes.js';
import { InMemoryRegistryStore } from '../registry/memory-store.js';
import { Registry } from '../registry/registry.js';
import { SystemTimer } from '../timer/system-timer.js';
import { LocalCluster, LocalClusterError } from './local-cluster.js';
import { LocalClusterHarness } from './testing/local-cluster-harness.js';

/** Real brokers in a temp dir on an in-memory registry, real timer and real TCP on 127.0.0.1. */
const ClusterHarness = {
  start: (brokerIds: number[], defaults: Partial<BrokerDefaults> = {}) => LocalClusterHarness.start(brokerIds, { sessionTimeoutMs: 6000, ...defaults }),
};

const value = (text: string) => Buffer.from(text);

async function readAll(cluster: LocalCluster, topic: string, partition: number): Promise<string[]> {
  const read = await cluster.readRecords(topic, partition, { start: { position: 'oldest' }, maxRecords: 1000 });
  return read.records.map((r) => r.value!.toString());
}

async function apiVersionsAnswers(port: number): Promise<boolean> {
  const client = await RawKafkaClient.connect(port);
  try {
    const body = await client.request(API_KEYS.ApiVersions, 0, () => undefined);
    return body.int16() === 0;
  } finally {
    client.close();
  }
}

let h: LocalClusterHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('LocalCluster with one broker', () => {
  it('keeps the data dir layout of a single broker and serves Kafka clients on its listener', async () => {
    h = await ClusterHarness.start([1]);
    const [info] = h.cluster.hostedBrokers();
    expect(info).toEqual({ brokerId: 1, running: true, kafkaPort: expect.any(Number) });
    expect(await apiVersionsAnswers(info!.kafkaPort!)).toBe(true);
    await h.cluster.createTopic({ name: 'orders', partitions: 2 });
    expect(existsSync(join(h.dataDir, 'logs', 'orders-0'))).toBe(true);
    expect(h.cluster.describeCluster().brokers.map((b) => [b.brokerId, b.port])).toEqual([[1, info!.kafkaPort]]);
    expect(h.cluster.brokerId).toBe(1);
    expect(h.cluster.clusterId).toBe(h.cluster.describeCluster().clusterId);
  });

  it('passes data calls through to its broker: produce, append, fetch, read, offsets, delete', async () => {
    h = await ClusterHarness.start([1]);
    const { cluster } = h;
    await cluster.createTopic({ name: 'orders', partitions: 2 });
    const produced = await cluster.produce('orders', [{ partition: 1, key: null, value: value('a') }, { partition: 1, key: null, value: value('b') }]);
    expect(produced.map((r) => [r.partition, r.offset, r.errorCode])).toEqual([[1, 0n, 0], [1, 1n, 0]]);
    expect(cluster.leads('orders', 1)).toBe(true);
    expect(cluster.leads('orders', 9)).toBe(false);
    expect(await readAll(cluster, 'orders', 1)).toEqual(['a', 'b']);
    expect(await cluster.listOffset('orders', 1, -1n)).toEqual({ offset: 2n, timestamp: -1n });
    const fetched = await cluster.fetch([{ topic: 'orders', partition: 1, fetchOffset: 0n, maxBytes: 1 << 20 }, { topic: 'orders', partition: 7, fetchOffset: 0n, maxBytes: 1 }]);
    expect(fetched.map((f) => [f.partition, f.errorCode, f.highWatermark])).toEqual([[1, 0, 2n], [7, 3, -1n]]);
    expect(await cluster.deleteRecords('orders', 1, 1n)).toBe(1n);
    expect(cluster.describeTopic('orders').partitions[1]!.logStartOffset).toBe(1n);
    expect(cluster.topicCounters().get('orders')?.recordsIn).toBe(2);
    await expectKafkaError(cluster.readRecords('nope', 0, { start: { position: 'oldest' } }), 'UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('merges nothing twice: each topic event once, appends from the leader', async () => {
    h = await ClusterHarness.start([1]);
    const seen: BrokerChange[] = [];
    h.cluster.onChange((e) => seen.push(e));
    await h.cluster.createTopic({ name: 'orders', partitions: 1 });
    await h.cluster.produce('orders', [{ partition: 0, key: null, value: value('x') }]);
    await h.cluster.alterTopicConfigs('orders', [{ name: 'retention.ms', value: '60000' }]);
    await h.cluster.deleteTopic('orders');
    // Leader and ISR changes of the new partition come as well (partition-changed), once per state.
    expect(seen.filter((e) => e.type !== 'partition-changed').map((e) => e.type)).toEqual(['topic-created', 'records-appended', 'configs-changed', 'topic-deleted']);
  });

  it('stops (controlled) and starts its broker again on the same port with its data', async () => {
    h = await ClusterHarness.start([1]);
    const { cluster } = h;
    await cluster.createTopic({ name: 'orders', partitions: 1 });
    await cluster.produce('orders', [{ partition: 0, key: null, value: value('kept') }]);
    const port = cluster.hostedBrokers()[0]!.kafkaPort;
    const changes: BrokerChange[] = [];
    cluster.onChange((e) => changes.push(e));

    await cluster.stopBroker(1, { controlled: true });
    expect(cluster.hostedBrokers()).toEqual([{ brokerId: 1, running: false, kafkaPort: port }]);
    expect(cluster.describeBrokers()).toEqual([expect.objectContaining({ brokerId: 1, status: 'offline' })]);
    await expectKafkaError(cluster.produce('orders', [{ key: null, value: value('lost') }]), 'BROKER_NOT_AVAILABLE');
    await expect(cluster.stopBroker(1, { controlled: true })).rejects.toMatchObject({ reason: 'not-running' });
    expect(cluster.topicCounters().get('orders')?.recordsIn).toBe(1);

    await cluster.startBroker(1);
    expect(cluster.hostedBrokers()).toEqual([{ brokerId: 1, running: true, kafkaPort: port }]);
    expect(await apiVersionsAnswers(port!)).toBe(true);
    expect(await readAll(cluster, 'orders', 0)).toEqual(['kept']);
    await expect(cluster.startBroker(1)).rejects.toMatchObject({ reason: 'already-running' });
    expect(changes.filter((e) => e.type === 'brokers-changed')).toHaveLength(2);
    // Counts of the stopped run are kept; the new run counts on top.
    await cluster.produce('orders', [{ partition: 0, key: null, value: value('more') }]);
    expect(cluster.topicCounters().get('orders')?.recordsIn).toBe(2);
  });

  it('stops as a crash: the registration goes at once, the logs stay readable after a start', async () => {
    h = await ClusterHarness.start([1]);
    const { cluster, registry } = h;
    await cluster.createTopic({ name: 'orders', partitions: 1 });
    await cluster.produce('orders', [{ partition: 0, key: null, value: value('one') }, { partition: 0, key: null, value: value('two') }]);
    await cluster.stopBroker(1, { controlled: false });
    expect(registry.exists(KafkaPaths.brokerId(1))).toBeNull();
    expect(cluster.describeCluster().controllerId).toBe(-1);
    await cluster.startBroker(1);
    expect(registry.exists(KafkaPaths.brokerId(1))).not.toBeNull();
    expect(await readAll(cluster, 'orders', 0)).toEqual(['one', 'two']);
  });

  it('refuses brokers it does not host, and bad options', async () => {
    h = await ClusterHarness.start([4]);
    const refused = await h.cluster.stopBroker(5, { controlled: true }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(LocalClusterError);
    expect(refused).toMatchObject({ brokerId: 5, reason: 'not-hosted' });
    const base = { dataDir: h.dataDir, registry: h.registry, timer: h.timer, host: '127.0.0.1', advertisedHost: '127.0.0.1' };
    await expect(LocalCluster.start({ ...base, brokerIds: [], kafkaPorts: [] })).rejects.toThrow('at least one broker');
    await expect(LocalCluster.start({ ...base, brokerIds: [2, 2], kafkaPorts: [0, 0] })).rejects.toThrow('distinct');
    await expect(LocalCluster.start({ ...base, brokerIds: [2, 3], kafkaPorts: [0] })).rejects.toThrow('one Kafka port per broker id');
  });
});

describe('LocalCluster with three brokers', () => {
  it('gives each broker its own data dir and listener, and joins them in one cluster', async () => {
    h = await ClusterHarness.start([1, 2, 3]);
    const hosted = h.cluster.hostedBrokers();
    expect(hosted.map((b) => b.running)).toEqual([true, true, true]);
    expect(new Set(hosted.map((b) => b.kafkaPort)).size).toBe(3);
    for (const id of [1, 2, 3]) expect(existsSync(join(h.dataDir, `broker-${id}`, 'logs'))).toBe(true);
    for (const b of hosted) expect(await apiVersionsAnswers(b.kafkaPort!)).toBe(true);
    const cluster = h.cluster.describeCluster();
    expect(cluster.brokers.map((b) => [b.brokerId, b.port])).toEqual(hosted.map((b) => [b.brokerId, b.kafkaPort]));
    expect(cluster.controllerId).toBe(1);
    expect(h.cluster.brokerId).toBe(1);
  });

  it('routes each partition to the broker that leads it, and refuses partitions no local broker leads', async () => {
    h = await ClusterHarness.start([1, 2, 3]);
    const { cluster } = h;
    await cluster.createTopic({ name: 'spread', partitions: 3, replicationFactor: 1 });
    // Brokers that were running before the topic existed load it when they start again.
    for (const id of [2, 3]) {
      await cluster.stopBroker(id, { controlled: true });
      await cluster.startBroker(id);
    }
    const leaders = cluster.describeTopic('spread').partitions.map((p) => p.leader);
    expect([...leaders].sort()).toEqual([1, 2, 3]);
    for (const p of [0, 1, 2]) expect(cluster.leads('spread', p)).toBe(true);

    const records = Array.from({ length: 30 }, (_, i) => ({ key: value(`key-${i}`), value: value(`v${i}`) }));
    const produced = await cluster.produce('spread', records);
    expect(produced.every((r) => r.errorCode === 0)).toBe(true);
    expect(new Set(produced.map((r) => r.partition)).size).toBe(3);
    for (const p of [0, 1, 2]) {
      const expected = produced.filter((r) => r.partition === p).map((r) => `v${produced.indexOf(r)}`);
      expect(await readAll(cluster, 'spread', p)).toEqual(expected);
    }
    const fetched = await cluster.fetch([0, 1, 2].map((p) => ({ topic: 'spread', partition: p, fetchOffset: 0n, maxBytes: 1 << 20 })));
    expect(fetched.map((f) => [f.partition, f.errorCode, Number(f.highWatermark)])).toEqual(
      [0, 1, 2].map((p) => [p, 0, produced.filter((r) => r.partition === p).length]),
    );
    // The leader's own offsets in the merged description.
    expect(cluster.describeTopic('spread').partitions.map((p) => Number(p.highWatermark))).toEqual(fetched.map((f) => Number(f.highWatermark)));

    // With replication factor 1 the partition of a stopped broker has no leader anywhere:
    // LEADER_NOT_AVAILABLE once the controller wrote it leaderless, NOT_LEADER_OR_FOLLOWER
    // while the registry still names the stopped broker (it is not reachable).
    const lonely = leaders.indexOf(3);
    await cluster.stopBroker(3, { controlled: false });
    expect(cluster.leads('spread', lonely)).toBe(false);
    const unavailable = [KAFKA_ERRORS.LEADER_NOT_AVAILABLE.code, KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code];
    const refused = await cluster.produce('spread', [{ partition: lonely, key: null, value: value('x') }, { partition: (lonely + 1) % 3, key: null, value: value('y') }]);
    expect(unavailable).toContain(refused[0]!.errorCode);
    expect(refused[1]!.errorCode).toBe(0);
    const appended = await cluster.appendRecords([{ topic: 'spread', partition: lonely, records: Buffer.alloc(0) }], { acks: 1, timeoutMs: 1000 });
    expect(unavailable).toContain(appended[0]!.errorCode);
    const failureCode = (call: Promise<unknown>) => call.then(() => 0, (err: KafkaError) => err.code);
    expect(unavailable).toContain(await failureCode(cluster.readRecords('spread', lonely, { start: { position: 'oldest' } })));
    expect(unavailable).toContain(await failureCode(cluster.listOffset('spread', lonely, -1n)));
    await expectKafkaError(cluster.readRecords('spread', 9, { start: { position: 'oldest' } }), 'UNKNOWN_TOPIC_OR_PARTITION');
    const unknown = await cluster.produce('spread', [{ partition: 9, key: null, value: value('z') }]);
    expect(unknown[0]!.errorCode).toBe(3);
  });

  it('closes the brokers of a failed start again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'weir-local-cluster-'));
    const timer = new SystemTimer();
    const registry = await Registry.open({ store: new InMemoryRegistryStore(), scheduler: timer, onError: () => undefined });
    const taken = await LocalCluster.start({ brokerIds: [9], dataDir: join(dataDir, 'other'), registry, timer, host: '127.0.0.1', advertisedHost: '127.0.0.1', kafkaPorts: [0] });
    const busyPort = taken.hostedBrokers()[0]!.kafkaPort!;
    try {
      await expect(LocalCluster.start({ brokerIds: [1, 2], dataDir, registry, timer, host: '127.0.0.1', advertisedHost: '127.0.0.1', kafkaPorts: [0, busyPort] })).rejects.toThrow(/EADDRINUSE/);
      // Broker 1 started and was closed again: its registration is gone.
      expect(registry.exists(KafkaPaths.brokerId(1))).toBeNull();
    } finally {
      await taken.close();
      await registry.close();
      timer.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
