import type { BrokerApi } from '@weir/broker-core';
import type { LiveServerFrame } from '@weir/contracts';
import type { Producer } from 'kafkajs';
import { BROKER } from '../../apps/gateway/src/broker/broker.module.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { kafkaClient } from '../support/kafkajs.js';
import { LiveClient } from './live-client.js';

type RecordsFrame = Extract<LiveServerFrame, { type: 'records' }>;
const isRecords = (f: LiveServerFrame): f is RecordsFrame => f.type === 'records';
const text = (base64: unknown) => Buffer.from(String(base64), 'base64').toString('utf8');

describe('live tail (records:<topic>:<partition> channel)', () => {
  let gw: TestGateway;
  let broker: BrokerApi;
  let producer: Producer;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    gw = await startTestGateway();
    broker = gw.get<BrokerApi>(BROKER);
    await broker.createTopic({ name: 'tail', partitions: 2 });
    // Records from before the subscription: the tail must not replay them.
    await broker.produce('tail', [{ partition: 1, key: null, value: Buffer.from('old') }]);
    producer = kafkaClient(gw.bootstrap).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await Promise.all(clients.map((c) => c.close()));
    await gw.close();
  });

  async function subscribe(channel: string): Promise<LiveClient> {
    const client = await LiveClient.connect(gw.baseUrl);
    clients.push(client);
    client.send({ op: 'subscribe', channel });
    return client;
  }

  it('starts at the HW and publishes records produced with kafkajs within 2 s, to every subscriber', async () => {
    const first = await subscribe('records:tail:1');
    const second = await subscribe('records:tail:1');
    const start = await first.waitFor((f) => isRecords(f) && f.records.length === 0);
    expect(start).toEqual({ type: 'records', channel: 'records:tail:1', topic: 'tail', partition: 1, records: [], next_offset: 1, high_watermark: 1 });
    await second.waitFor((f) => isRecords(f) && f.records.length === 0);

    const producedAt = Date.now();
    await producer.send({
      topic: 'tail',
      messages: [
        { partition: 1, key: 'k1', value: 'live-1', headers: { source: 'e2e' } },
        { partition: 1, key: 'k2', value: '<script>alert(1)</script>' },
        { partition: 0, value: 'other partition' },
      ],
    });
    for (const client of [first, second]) {
      const frame = await client.waitFor((f): f is RecordsFrame => isRecords(f) && f.records.length > 0, 2000);
      expect(Date.now() - producedAt).toBeLessThan(2000);
      expect(frame.records.map((r) => [r.offset, text(r.key?.data), text(r.value?.data)])).toEqual([
        [1, 'k1', 'live-1'],
        [2, 'k2', '<script>alert(1)</script>'],
      ]);
      expect(frame.records[0]!.headers).toEqual([{ key: 'source', value: { format: 'base64', data: Buffer.from('e2e').toString('base64'), size: 3, truncated: false } }]);
      expect(frame).toMatchObject({ next_offset: 3, high_watermark: 3 });
    }
  });

  it('sends each record once, bounded per frame, with long values cut to a preview', async () => {
    const client = await subscribe('records:tail:0');
    await client.waitFor((f) => isRecords(f) && f.records.length === 0);
    const base = Number((await broker.describeTopic('tail')).partitions[0]!.highWatermark);
    await broker.produce('tail', Array.from({ length: 1200 }, (_, i) => ({ partition: 0, key: null, value: Buffer.from(i === 0 ? 'x'.repeat(100_000) : `n${i}`) })));
    await client.waitFor((f) => isRecords(f) && f.next_offset === base + 1200, 10_000);
    const frames = client.frames.filter(isRecords).filter((f) => f.records.length > 0);
    const offsets = frames.flatMap((f) => f.records.map((r) => r.offset));
    expect(offsets).toEqual(Array.from({ length: 1200 }, (_, i) => base + i));
    expect(Math.max(...frames.map((f) => f.records.length))).toBeLessThanOrEqual(500);
    expect(frames[0]!.records[0]!.value).toMatchObject({ size: 100_000, truncated: true });
  });

  it('answers a malformed channel or an unknown topic with an error frame', async () => {
    const client = await subscribe('records:tail:x');
    client.send({ op: 'subscribe', channel: 'records:missing-topic:0' });
    client.send({ op: 'subscribe', channel: 'records:tail:9' });
    client.send({ op: 'ping' });
    await client.waitFor((f) => f.type === 'pong');
    await client.waitFor((f) => f.type === 'error' && f.message.includes('records:tail:9'));
    const errors = client.frames.filter((f) => f.type === 'error').map((f) => (f.type === 'error' ? f.message : ''));
    expect(errors).toEqual([expect.stringMatching(/invalid message/), expect.stringMatching(/^records:missing-topic:0: /), expect.stringMatching(/^records:tail:9: .*no partition 9/)]);
  });
});
