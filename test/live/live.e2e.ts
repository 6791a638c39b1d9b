import type { BrokerApi } from '@weir/broker-core';
import type { LiveServerFrame } from '@weir/contracts';
import { BROKER } from '../../apps/gateway/src/broker/broker.module.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { LiveClient } from './live-client.js';

type Frame<T extends LiveServerFrame['type']> = Extract<LiveServerFrame, { type: T }>;

describe('live feed (/live WebSocket) and /metrics', () => {
  let gw: TestGateway;
  let broker: BrokerApi;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    gw = await startTestGateway();
    broker = gw.get<BrokerApi>(BROKER);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await gw.close();
  });

  async function connect(): Promise<LiveClient> {
    const client = await LiveClient.connect(gw.baseUrl);
    clients.push(client);
    return client;
  }

  it('pushes a topic-created change and a throughput sample after producing', async () => {
    const topics = await connect();
    topics.send({ op: 'subscribe', channel: 'topics' });
    await topics.waitFor((f) => f.type === 'subscribed' && f.channel === 'topics');
    const cluster = await connect();
    cluster.send({ op: 'subscribe', channel: 'cluster' });
    const before = await cluster.waitFor((f) => f.type === 'cluster');

    await broker.createTopic({ name: 'clicks', partitions: 3 });
    const created = await topics.waitFor((f) => f.type === 'topic-change' && f.change.kind === 'topic-created' && f.change.topic === 'clicks');
    expect(created).toEqual({ type: 'topic-change', channel: 'topics', change: { kind: 'topic-created', topic: 'clicks' } });
    const after = await cluster.waitFor((f) => f.type === 'cluster' && f !== before);
    expect(after.type === 'cluster' && after.cluster.partitions_count).toBe(before.type === 'cluster' ? before.cluster.partitions_count + 3 : -1);

    const watcher = await connect();
    watcher.send({ op: 'subscribe', channel: 'topic:clicks' });
    await watcher.waitFor((f) => f.type === 'partitions' && f.partitions.length === 3);

    await broker.produce('clicks', Array.from({ length: 50 }, (_, i) => ({ partition: 0, key: null, value: Buffer.from(`click-${i}`) })));
    const sample = await topics.waitFor(
      (f) => f.type === 'throughput' && f.topics.some((t) => t.topic === 'clicks' && t.records_in_per_sec > 0),
    );
    expect(sample.type === 'throughput' && sample.interval_ms).toBeGreaterThan(0);
    expect(sample.type === 'throughput' && sample.interval_ms).toBeLessThanOrEqual(2500);
    const own = await watcher.waitFor((f) => f.type === 'throughput' && f.channel === 'topic:clicks' && f.total.bytes_in_per_sec > 0);
    expect(own.type === 'throughput' && own.topics.map((t) => t.topic)).toEqual(['clicks']);
    await watcher.waitFor((f) => f.type === 'partitions' && f.partitions.some((p) => p.partition === 0 && p.high_watermark === 50));
  });

  it('answers bad messages with an error frame and keeps the connection', async () => {
    const client = await connect();
    client.send('{not json');
    client.send({ op: 'subscribe', channel: 'topic:bad/name' });
    client.send({ op: 'dance' });
    client.sendBinary(Buffer.from([1, 2, 3]));
    client.send({ op: 'ping' });
    await client.waitFor((f) => f.type === 'pong');
    const errors = client.frames.filter((f) => f.type === 'error');
    expect(errors).toHaveLength(4);
    expect(errors[0]).toEqual({ type: 'error', message: 'message is not valid JSON' });
  });

  it('sends nothing to a client that subscribed to nothing', async () => {
    const idle = await connect();
    const busy = await connect();
    busy.send({ op: 'subscribe', channel: 'topics' });
    await broker.createTopic({ name: 'quiet', partitions: 1 });
    await busy.waitFor((f) => f.type === 'throughput');
    idle.send({ op: 'ping' });
    await idle.waitFor((f) => f.type === 'pong');
    expect(idle.frames).toEqual([{ type: 'pong' }]);
  });

  it('exposes per-topic counters, HTTP metrics by route and process metrics on /metrics', async () => {
    await broker.createTopic({ name: 'metered', partitions: 1 });
    await broker.produce('metered', [{ key: null, value: Buffer.from('hello') }, { key: null, value: Buffer.from('world') }]);
    await fetch(`${gw.baseUrl}/healthz`);
    const res = await fetch(`${gw.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^weir_topic_records_in_total\{topic="metered"\} 2$/m);
    expect(text).toMatch(/^weir_topic_bytes_in_total\{topic="metered"\} [1-9]\d*$/m);
    expect(text).toMatch(/^weir_topic_records_out_total\{topic="metered"\} 0$/m);
    expect(text).toMatch(/^weir_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/m);
    expect(text).toMatch(/^weir_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/healthz",status="200"\}/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('lists the groups on subscribe, then sends a group whose lag changed, and a deleted one as removed', async () => {
    await broker.createTopic({ name: 'orders', partitions: 2 });
    await broker.produce('orders', Array.from({ length: 10 }, () => ({ partition: 0, key: null, value: Buffer.from('o') })));
    await broker.commitConsumerGroupOffsets('billing', [{ topic: 'orders', partition: 0, offset: 4n }]);
    const client = await connect();
    client.send({ op: 'subscribe', channel: 'groups' });
    const first = (await client.waitFor((f) => f.type === 'groups')) as Frame<'groups'>;
    expect(first.groups.map((g) => g.group_id)).toContain('billing');
    expect(first.removed).toEqual([]);
    await client.waitFor((f) => f.type === 'groups' && f.groups.some((g) => g.group_id === 'billing' && g.total_lag === 6));

    const producedAt = Date.now();
    await broker.produce('orders', Array.from({ length: 5 }, () => ({ partition: 0, key: null, value: Buffer.from('o') })));
    const moved = (await client.waitFor((f) => f.type === 'groups' && f.groups.some((g) => g.group_id === 'billing' && g.total_lag === 11))) as Frame<'groups'>;
    expect(Date.now() - producedAt).toBeLessThanOrEqual(2_000);
    expect(moved.groups.map((g) => g.group_id)).toEqual(['billing']);

    await broker.deleteConsumerGroup('billing');
    await client.waitFor((f) => f.type === 'groups' && f.removed.includes('billing'));
  });

  it('sends a new cluster subscriber the samples of the last minutes, every 5 s, with throughput', async () => {
    const first = await connect();
    first.send({ op: 'subscribe', channel: 'cluster' });
    const initial = (await first.waitFor((f) => f.type === 'cluster-history')) as Frame<'cluster-history'>;
    expect(Array.isArray(initial.samples)).toBe(true);
    // The history samples on its own timer, watched or not: produce, then ask again until a sample shows it.
    await broker.produce('orders', Array.from({ length: 20 }, () => ({ partition: 1, key: null, value: Buffer.from('o') })));
    const deadline = Date.now() + 15_000;
    let samples: Frame<'cluster-history'>['samples'] = [];
    while (!samples.some((s) => s.records_in_per_sec > 0)) {
      if (Date.now() > deadline) throw new Error(`no history sample with throughput: ${JSON.stringify(samples)}`);
      const again = await connect();
      again.send({ op: 'subscribe', channel: 'cluster' });
      samples = ((await again.waitFor((f) => f.type === 'cluster-history')) as Frame<'cluster-history'>).samples;
      await again.close();
      await new Promise((resolve) => setTimeout(resolve, 500)); // between polls of a condition, not a wait for it
    }
    const last = samples.at(-1)!;
    expect(last).toMatchObject({ brokers_online: 1, under_replicated_partitions: 0, offline_partitions: 0 });
    expect(samples.every((s, i) => i === 0 || s.at > samples[i - 1]!.at)).toBe(true);
  });
});
