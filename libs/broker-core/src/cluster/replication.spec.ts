import { afterEach, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerDefaults } from '../broker/broker-options.js';
import { KAFKA_ERRORS } from '../errors.js';
import type { LocalCluster } from './local-cluster.js';
import { FAST_REPLICATION, LocalClusterHarness, until } from './testing/local-cluster-harness.js';

/**
 * Replication semantics through real brokers in one process: acks=all waits for the ISR,
 * min.insync.replicas refuses or flags appends, consumers never read above the HW, and a
 * returning leader with records nobody else has truncates them away (KIP-101), ending
 * with byte-identical logs. Real TCP between brokers, real time, polled with deadlines.
 */
let h: LocalClusterHarness;
let cluster: LocalCluster;
let dataDir: string;

async function start(brokerIds: number[], defaults: Partial<BrokerDefaults> = {}): Promise<void> {
  h = await LocalClusterHarness.start(brokerIds, { ...FAST_REPLICATION, ...defaults });
  ({ cluster, dataDir } = h);
}

afterEach(async () => h.close());

const partition0 = (topic: string) => cluster.describeTopic(topic).partitions[0]!;
const records = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ partition: 0, key: null, value: Buffer.from(`${prefix}-${i}`) }));

/** The bytes of a replica's log segments, concatenated in offset order. */
function logBytes(brokerId: number, topic: string): Buffer {
  const dir = join(dataDir, `broker-${brokerId}`, 'logs', `${topic}-0`);
  return Buffer.concat(readdirSync(dir).filter((f) => f.endsWith('.log')).sort().map((f) => readFileSync(join(dir, f))));
}

describe('replication', () => {
  it('acks=all answers once the followers have the records; consumers never see past the HW', async () => {
    await start([1, 2, 3]);
    await cluster.createTopic({ name: 'acks', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
    await until('a full ISR', () => partition0('acks').isr.length === 3);

    const all = await cluster.produce('acks', records('all', 5), { acks: -1 });
    expect(all.map((r) => r.errorCode)).toEqual([0, 0, 0, 0, 0]);
    // Answered only once the HW covered the records, i.e. every ISR member had them.
    expect(partition0('acks').highWatermark).toBe(5n);

    const one = await cluster.produce('acks', records('one', 3), { acks: 1 });
    expect(one[0]!.errorCode).toBe(0);
    const p = partition0('acks');
    // Answered before any follower fetched again: the HW has not moved, and a consumer stops there.
    expect([p.highWatermark, p.logEndOffset]).toEqual([5n, 8n]);
    const [fetched] = await cluster.fetch([{ topic: 'acks', partition: 0, fetchOffset: 5n, maxBytes: 1 << 20 }]);
    expect(fetched!.records.length).toBe(0);
    await until('the HW to reach the LEO', () => partition0('acks').highWatermark === 8n);
  }, 60_000);

  it('refuses acks=all while the ISR is below min.insync.replicas, appending nothing; acks=1 still appends', async () => {
    await start([1, 2]);
    await cluster.createTopic({ name: 'isr', partitions: 1, replicationFactor: 2, configs: { 'min.insync.replicas': '2' } });
    await until('a full ISR', () => partition0('isr').isr.length === 2);
    const follower = partition0('isr').replicas.find((id) => id !== partition0('isr').leader)!;
    await cluster.stopBroker(follower, { controlled: false });
    await until('the ISR to shrink', () => partition0('isr').isr.length === 1);

    const refused = await cluster.produce('isr', records('x', 1), { acks: -1 });
    expect(refused[0]!.errorCode).toBe(KAFKA_ERRORS.NOT_ENOUGH_REPLICAS.code);
    expect(partition0('isr').logEndOffset).toBe(0n); // nothing appended
    const accepted = await cluster.produce('isr', records('y', 1), { acks: 1 });
    expect(accepted[0]!.errorCode).toBe(0);
  }, 60_000);

  it('times out an acks=all produce whose followers never catch up, keeping the records', async () => {
    await start([1, 2]);
    await cluster.createTopic({ name: 'slow', partitions: 1, replicationFactor: 2 });
    await until('a full ISR', () => partition0('slow').isr.length === 2);
    const follower = partition0('slow').replicas.find((id) => id !== partition0('slow').leader)!;
    const stopping = cluster.stopBroker(follower, { controlled: false });
    const result = await cluster.produce('slow', records('z', 1), { acks: -1, timeoutMs: 200 });
    await stopping;
    // Either the ISR shrank first (the append then completes with the leader alone) or it timed out.
    expect([0, KAFKA_ERRORS.REQUEST_TIMED_OUT.code]).toContain(result[0]!.errorCode);
    expect(partition0('slow').logEndOffset).toBe(1n);
  }, 60_000);

  it('a returning leader truncates records nobody else has (KIP-101), ending with identical logs', async () => {
    await start([1, 2]);
    await cluster.createTopic({ name: 'div', partitions: 1, replicationFactor: 2, configs: { 'unclean.leader.election.enable': 'true' } });
    await until('a full ISR', () => partition0('div').isr.length === 2);
    const oldLeader = partition0('div').leader;
    const other = partition0('div').replicas.find((id) => id !== oldLeader)!;
    expect((await cluster.produce('div', records('shared', 5), { acks: -1 })).every((r) => r.errorCode === 0)).toBe(true);

    await cluster.stopBroker(other, { controlled: false });
    await until('the ISR to shrink to the leader', () => partition0('div').isr.join() === String(oldLeader));
    expect((await cluster.produce('div', records('only-on-old-leader', 4), { acks: 1 })).every((r) => r.errorCode === 0)).toBe(true);
    await cluster.stopBroker(oldLeader, { controlled: false });

    await cluster.startBroker(other);
    await until('an unclean election of the other replica', () => partition0('div').leader === other, 20_000);
    expect((await cluster.produce('div', records('new-leader', 3), { acks: 1 })).every((r) => r.errorCode === 0)).toBe(true);

    await cluster.startBroker(oldLeader);
    await until('the old leader back in sync', () => partition0('div').isr.length === 2, 20_000);
    const values = (await cluster.readRecords('div', 0, { start: { position: 'oldest' }, maxRecords: 100 })).records.map((r) => r.value!.toString());
    expect(values).toEqual([...records('shared', 5), ...records('new-leader', 3)].map((r) => r.value.toString()));
    await until('identical logs', () => logBytes(1, 'div').equals(logBytes(2, 'div')));
  }, 90_000);

  it('with unclean election off, a partition whose ISR is dead stays offline until an ISR member returns', async () => {
    await start([1, 2]);
    await cluster.createTopic({ name: 'clean', partitions: 1, replicationFactor: 2 });
    await until('a full ISR', () => partition0('clean').isr.length === 2);
    const leader = partition0('clean').leader;
    const other = partition0('clean').replicas.find((id) => id !== leader)!;
    await cluster.stopBroker(other, { controlled: false });
    await until('the ISR to shrink', () => partition0('clean').isr.length === 1);
    await cluster.stopBroker(leader, { controlled: false });
    await cluster.startBroker(other);
    await until('the partition reported offline', () => partition0('clean').offline && partition0('clean').leader === -1);
    expect(cluster.clusterHealth()).toMatchObject({ offline: 1 });
    const produced = await cluster.produce('clean', records('lost', 1), { acks: 1 });
    expect(produced[0]!.errorCode).not.toBe(0);

    await cluster.startBroker(leader);
    await until('the in-sync replica elected again', () => partition0('clean').leader === leader);
  }, 90_000);

  it('moves leadership back to preferred replicas by itself (auto.leader.rebalance.enable)', async () => {
    await start([1, 2, 3], { autoLeaderRebalanceEnable: true, leaderImbalanceCheckIntervalMs: 200 });
    await cluster.createTopic({ name: 'auto', partitions: 3, replicationFactor: 3 });
    const all = () => cluster.describeTopic('auto').partitions;
    await until('a full ISR', () => all().every((p) => p.isr.length === 3));
    const preferred = all().map((p) => p.replicas[0]!);
    const victim = preferred[0]!;
    await cluster.stopBroker(victim, { controlled: false });
    await until('leadership away from the stopped broker', () => all().every((p) => p.leader !== victim && p.leader >= 0));
    await cluster.startBroker(victim);
    await until('preferred leaders again, without an election request', () => all().every((p, i) => p.leader === preferred[i]), 20_000);
  }, 60_000);

  it('moves followers\' log start after DeleteRecords on the leader', async () => {
    await start([1, 2, 3]);
    await cluster.createTopic({ name: 'trim', partitions: 1, replicationFactor: 3 });
    await until('a full ISR', () => partition0('trim').isr.length === 3);
    expect((await cluster.produce('trim', records('r', 10), { acks: -1 })).every((r) => r.errorCode === 0)).toBe(true);
    expect(await cluster.deleteRecords('trim', 0, 6n)).toBe(6n);
    // Each replica's log start as its checkpoint file records it: "0\n<log start> <recovery point>\n".
    const logStart = (id: number) => Number(readFileSync(join(dataDir, `broker-${id}`, 'logs', 'trim-0', 'log-offsets-checkpoint'), 'utf8').split('\n')[1]!.split(' ')[0]);
    await until('every replica\'s log start at 6', () => [1, 2, 3].every((id) => logStart(id) === 6));
  }, 60_000);
});
