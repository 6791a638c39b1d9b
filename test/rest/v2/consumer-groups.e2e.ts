import { request } from 'node:http';
import type { BrokerApi } from '@weir/broker-core';
import { BROKER } from '../../../apps/gateway/src/broker/broker.module.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { kafkaClient } from '../../support/kafkajs.js';
import { waitFor } from '../../support/cluster-rest.js';

const V2 = 'application/vnd.kafka.v2+json';
const BINARY = 'application/vnd.kafka.binary.v2+json';
const until = (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => waitFor(what, check, timeoutMs, 50);

type V2Record = { topic: string; partition: number; offset: number; value: string };
type Body = { status: number; body: unknown };

describe('v2 consumer instances in consumer groups (subscription, commits, offsets)', () => {
  let gw: TestGateway;
  let broker: BrokerApi;

  beforeAll(async () => {
    gw = await startTestGateway({ env: { WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS: '500' } });
    broker = gw.get<BrokerApi>(BROKER);
    await broker.createTopic({ name: 'split', partitions: 4 });
    await broker.produce('split', Array.from({ length: 40 }, (_, i) => ({ partition: i % 4, key: null, value: Buffer.from(`v${i}`) })));
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
  }, 30_000);

  async function call(method: string, path: string, body?: unknown): Promise<Body> {
    if (method === 'GET' && body !== undefined) return getWithBody(path, body);
    const res = await fetch(`${gw.baseUrl}${path}`, {
      method, headers: { 'content-type': V2, accept: V2 }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  /** Confluent's GET .../offsets carries a body, which fetch() refuses to send. */
  function getWithBody(path: string, body: unknown): Promise<Body> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(`${gw.baseUrl}${path}`, { method: 'GET', headers: { 'content-type': V2, 'content-length': Buffer.byteLength(payload) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as unknown }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  async function createInstance(group: string, name: string, settings: Record<string, unknown> = {}): Promise<string> {
    const created = await call('POST', `/v2/consumers/${group}`, { name, format: 'binary', 'auto.offset.reset': 'earliest', 'heartbeat.interval.ms': 200, ...settings });
    expect(created.status).toBe(200);
    return `/v2/consumers/${group}/instances/${name}`;
  }

  async function records(instance: string): Promise<V2Record[]> {
    const res = await fetch(`${gw.baseUrl}${instance}/records?timeout=100`, { headers: { accept: BINARY } });
    expect(res.status).toBe(200);
    return (await res.json()) as V2Record[];
  }

  async function assignment(instance: string): Promise<{ topic: string; partition: number }[]> {
    return ((await call('GET', `${instance}/assignments`)).body as { partitions: { topic: string; partition: number }[] }).partitions;
  }

  it('splits partitions between two subscribed instances (range), every record seen once; a leaver hands its partitions over', async () => {
    const a = await createInstance('g-split', 'a');
    const b = await createInstance('g-split', 'b');
    expect((await call('POST', `${a}/subscription`, { topics: ['split'] })).status).toBe(204);
    expect((await call('POST', `${b}/subscription`, { topics: ['split'] })).status).toBe(204);
    expect((await call('GET', `${a}/subscription`)).body).toEqual({ topics: ['split'] });

    await until('both instances hold two partitions', async () => (await assignment(a)).length === 2 && (await assignment(b)).length === 2);
    const owned = [...(await assignment(a)), ...(await assignment(b))].map((p) => p.partition).sort();
    expect(owned).toEqual([0, 1, 2, 3]);
    const described = await broker.describeConsumerGroup('g-split');
    expect(described).toMatchObject({ state: 'Stable', protocol: 'range', memberCount: 2 });

    const seen: V2Record[] = [];
    await until('40 records between them', async () => {
      seen.push(...(await records(a)), ...(await records(b)));
      return seen.length >= 40;
    });
    expect(seen.map((r) => Buffer.from(r.value, 'base64').toString()).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `v${i}`).sort());

    // Both commit what they consumed; b leaves: a takes every partition (an eager rebalance: it gives
    // up its own too) and resumes all four from the commits.
    expect((await call('POST', `${a}/offsets`)).status).toBe(200);
    expect((await call('POST', `${b}/offsets`)).status).toBe(200);
    expect((await call('DELETE', `${b}/subscription`)).status).toBe(204);
    await until('a holds all four partitions', async () => {
      await records(a); // a poll keeps the instance busy while the group rebalances in the background
      return (await assignment(a)).length === 4;
    });
    await broker.produce('split', [0, 1, 2, 3].map((partition) => ({ partition, key: null, value: Buffer.from(`late${partition}`) })));
    const late: V2Record[] = [];
    await until('the four late records', async () => {
      late.push(...(await records(a)));
      return late.length >= 4;
    });
    expect(late.map((r) => Buffer.from(r.value, 'base64').toString()).sort()).toEqual(['late0', 'late1', 'late2', 'late3']);
    expect((await call('DELETE', a)).status).toBe(204);
    await until('the group is empty after the instance is deleted', async () => (await broker.describeConsumerGroup('g-split')).memberCount === 0);
  }, 60_000);

  it('commits manually and automatically; visible through GET offsets, v3 lags and kafkajs admin', async () => {
    const manual = await createInstance('g-manual', 'm');
    expect((await call('POST', `${manual}/subscription`, { topic_pattern: 'spl.*' })).status).toBe(204);
    expect((await call('GET', `${manual}/subscription`)).body).toEqual({ topics: ['split'] });
    await until('manual instance assigned', async () => (await assignment(manual)).length === 4);
    await until('records read', async () => (await records(manual)).length > 0);
    expect((await call('POST', `${manual}/offsets`, { offsets: [{ topic: 'split', partition: 0, offset: 4, metadata: 'm' }] })).status).toBe(200);
    const fetched = await call('GET', `${manual}/offsets`, { partitions: [{ topic: 'split', partition: 0 }, { topic: 'split', partition: 1 }] });
    expect(fetched).toEqual({ status: 200, body: { offsets: [{ topic: 'split', partition: 0, offset: 5, metadata: 'm' }] } });

    const auto = await createInstance('g-auto', 'x', { 'auto.commit.enable': 'true' });
    expect((await call('POST', `${auto}/subscription`, { topics: ['split'] })).status).toBe(204);
    const got: V2Record[] = [];
    await until('every record of the topic', async () => {
      got.push(...(await records(auto)));
      return got.length >= 44;
    });
    const ends = await Promise.all([0, 1, 2, 3].map(async (p) => (await broker.listOffset('split', p, -1n))!.offset));
    const lags = await fetch(`${gw.baseUrl}/v3/clusters/${broker.clusterId}/consumer-groups/g-auto/lags`);
    const lagData = ((await lags.json()) as { data: { partition_id: number; current_offset: number; lag: number }[] }).data;
    expect(lagData.map((l) => [l.partition_id, l.current_offset, l.lag])).toEqual(ends.map((e, p) => [p, Number(e), 0]));

    const admin = kafkaClient(gw.bootstrap).admin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({ groupId: 'g-auto', topics: ['split'] });
      expect(topic!.partitions.sort((x, y) => x.partition - y.partition).map((p) => p.offset)).toEqual(ends.map(String));
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('refuses mixing assignment and subscription (409 40903), bad bodies (422) and unknown instances (404)', async () => {
    const assigned = await createInstance('g-err', 'assigned');
    expect((await call('POST', `${assigned}/assignments`, { partitions: [{ topic: 'split', partition: 0 }] })).status).toBe(204);
    const refused = await call('POST', `${assigned}/subscription`, { topics: ['split'] });
    expect(refused).toEqual({ status: 409, body: { error_code: 40903, message: 'Illegal state: Subscription to topics, partitions and pattern are mutually exclusive' } });

    const subscribed = await createInstance('g-err2', 'subscribed');
    expect((await call('POST', `${subscribed}/subscription`, { topics: ['split'] })).status).toBe(204);
    expect((await call('POST', `${subscribed}/assignments`, { partitions: [{ topic: 'split', partition: 0 }] })).status).toBe(409);
    expect((await call('POST', `${subscribed}/subscription`, { topics: ['split'], topic_pattern: 's.*' })).status).toBe(422);
    expect((await call('POST', `${subscribed}/subscription`, { topic_pattern: '(' })).status).toBe(422);
    expect((await call('POST', '/v2/consumers/g-err2/instances/nobody/subscription', { topics: ['split'] })).status).toBe(404);
    expect((await call('POST', '/v2/consumers/g-err3', { name: 'bad', 'partition.assignment.strategy': 'magic' })).status).toBe(422);
    expect((await call('DELETE', subscribed)).status).toBe(204);
  }, 60_000);
});
