import { afterEach, describe, expect, it } from '@jest/globals';
import type { BrokerChange } from '../broker/broker-api.js';
import type { LocalCluster } from './local-cluster.js';
import { FAST_REPLICATION, LocalClusterHarness, until } from './testing/local-cluster-harness.js';

/**
 * LocalCluster over the controller and replication: three brokers, replication factor 3,
 * brokers stopped and started while the others serve. Real brokers, real TCP between
 * them (the replica fetchers), real time, polled with deadlines.
 */
let h: LocalClusterHarness;
let cluster: LocalCluster;

async function start(): Promise<void> {
  h = await LocalClusterHarness.start([1, 2, 3], { ...FAST_REPLICATION, replicaFetchBackoffMs: 100 });
  cluster = h.cluster;
}

afterEach(async () => h.close());

const partitions = (topic: string) => cluster.describeTopic(topic).partitions;
const fullIsr = (topic: string) => partitions(topic).every((p) => p.isr.length === p.replicas.length);

async function readValues(topic: string, partition: number): Promise<string[]> {
  const read = await cluster.readRecords(topic, partition, { start: { position: 'oldest' }, maxRecords: 1000 });
  return read.records.map((r) => r.value!.toString());
}

describe('LocalCluster over replication', () => {
  it('keeps producing through a controlled stop of a leader, and reports the stopped broker offline', async () => {
    await start();
    await cluster.createTopic({ name: 'orders', partitions: 3, replicationFactor: 3 });
    await until('every replica in sync', () => fullIsr('orders'));
    const changes: BrokerChange[] = [];
    cluster.onChange((e) => changes.push(e));
    const before = await cluster.produce('orders', [0, 1, 2].map((p) => ({ partition: p, key: null, value: Buffer.from(`before-${p}`) })));
    expect(before.map((r) => r.errorCode)).toEqual([0, 0, 0]);

    const victim = partitions('orders')[0]!.leader;
    await cluster.stopBroker(victim, { controlled: true });
    expect(partitions('orders').every((p) => p.leader !== victim && p.leader >= 0)).toBe(true);
    const after = await cluster.produce('orders', [0, 1, 2].map((p) => ({ partition: p, key: null, value: Buffer.from(`after-${p}`) })));
    expect(after.map((r) => r.errorCode)).toEqual([0, 0, 0]);
    for (const p of [0, 1, 2]) expect(await readValues('orders', p)).toEqual([`before-${p}`, `after-${p}`]);

    const statuses = cluster.describeBrokers();
    expect(statuses.map((s) => [s.brokerId, s.status])).toEqual([1, 2, 3].map((id) => [id, id === victim ? 'offline' : 'online']));
    for (const s of statuses) expect(s.logDirSizeBytes === null).toBe(s.brokerId === victim);
    expect(statuses.find((s) => s.brokerId === victim)!.partitionsLed).toBe(0);
    expect(changes.some((e) => e.type === 'brokers-changed')).toBe(true);
    expect(changes.some((e) => e.type === 'partition-changed' && e.partition === 0 && e.leader !== victim)).toBe(true);
  }, 60_000);

  it('elects new leaders when a broker crashes, counts it in the health, and moves leadership back on a preferred election', async () => {
    await start();
    await cluster.createTopic({ name: 'clicks', partitions: 3, replicationFactor: 3 });
    await until('every replica in sync', () => fullIsr('clicks'));
    const preferred = partitions('clicks').map((p) => p.replicas[0]);
    await cluster.stopBroker(2, { controlled: false });
    await until('leaders away from the crashed broker', () => partitions('clicks').every((p) => p.leader !== 2 && p.leader >= 0));
    await until('the crashed broker out of the ISRs', () => partitions('clicks').every((p) => !p.isr.includes(2)));
    const health = cluster.clusterHealth();
    expect(health).toMatchObject({ brokersOnline: 2, brokersOffline: 1, partitions: 3, underReplicated: 3, offline: 0 });

    await cluster.startBroker(2);
    await until('the restarted broker back in sync', () => fullIsr('clicks'));
    const outcomes = await cluster.electLeaders('preferred', null);
    expect(outcomes.every((o) => o.errorCode === 0 || o.errorCode === 84)).toBe(true);
    await until('preferred leaders', () => partitions('clicks').every((p, i) => p.leader === preferred[i]));
    expect(cluster.clusterHealth()).toMatchObject({ brokersOnline: 3, underReplicated: 0 });
  }, 60_000);

  it('reassigns a partition to new replicas; cancelling when none runs is NO_REASSIGNMENT_IN_PROGRESS', async () => {
    await start();
    await cluster.createTopic({ name: 'moves', partitions: 1, replicationFactor: 2 });
    await until('every replica in sync', () => fullIsr('moves'));
    const current = partitions('moves')[0]!.replicas;
    const spare = [1, 2, 3].find((id) => !current.includes(id))!;
    const target = [spare, current[0]!];
    const outcomes = await cluster.alterPartitionReassignments([{ topic: 'moves', partition: 0, replicas: target }]);
    expect(outcomes).toEqual([{ topic: 'moves', partition: 0, errorCode: 0, errorMessage: null }]);
    await until('the reassignment done', () => cluster.listPartitionReassignments(null).length === 0 && partitions('moves')[0]!.replicas.join() === target.join());
    const cancel = await cluster.alterPartitionReassignments([{ topic: 'moves', partition: 0, replicas: null }]);
    expect(cancel[0]!.errorCode).toBe(85); // NO_REASSIGNMENT_IN_PROGRESS
  }, 60_000);
});
