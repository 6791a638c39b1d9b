import type { DelayedOperationsData, LiveServerFrame } from '@weir/contracts';
import type { Consumer } from 'kafkajs';
import { LiveClient } from '../../live/live-client.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { kafkaClient } from '../../support/kafkajs.js';
import { call, type ErrorBody } from './v3-client.js';

type DelayedOperationsFrame = Extract<LiveServerFrame, { type: 'delayed-operations' }>;

/** Polls `read` until `accept` holds, or fails at the deadline with the last value seen. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setImmediate(resolve));
    last = await read();
  }
  return last;
}

/**
 * The delayed-operations endpoint and live channel over a real gateway, with a kafkajs
 * consumer long-polling an empty topic: its fetch waits in the Fetch purgatory and its
 * session in the Heartbeat purgatory.
 */
describe('REST v3 delayed operations', () => {
  let gw: TestGateway;
  let path: string;
  let consumer: Consumer | undefined;
  const read = async () => (await call<DelayedOperationsData>(gw.baseUrl, 'GET', path)).body;

  beforeAll(async () => {
    gw = await startTestGateway();
    path = `/v3/clusters/${gw.cluster.clusterId}/delayed-operations`;
  }, 60_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await gw?.close();
  }, 30_000);

  it('lists every purgatory of the broker and the timing wheel', async () => {
    const answer = await call<DelayedOperationsData>(gw.baseUrl, 'GET', path);
    expect(answer.status).toBe(200);
    expect(answer.body.kind).toBe('WeirDelayedOperations');
    expect(answer.body.purgatories.map((p) => p.name).sort()).toEqual(['Fetch', 'Heartbeat', 'Produce', 'Rebalance']);
    expect(answer.body.purgatories.every((p) => p.broker_id === gw.cluster.brokerId)).toBe(true);
    const wheel = answer.body.timing_wheel;
    expect(wheel).toMatchObject({ tick_ms: 1, wheel_size: 20 });
    expect(wheel.levels[0]).toMatchObject({ level: 0, tick_ms: 1, interval_ms: 20, buckets: 20 });
    // The registry session and the periodic tasks have timeouts pending from the start.
    expect(wheel.pending).toBeGreaterThan(0);
  });

  it('shows a consumer\'s long-poll fetch waiting, its session, and expirations per second live', async () => {
    await call(gw.baseUrl, 'POST', `/v3/clusters/${gw.cluster.clusterId}/topics`, { topic_name: 'quiet', partitions_count: 1 });
    const live = await LiveClient.connect(gw.baseUrl);
    try {
      live.send({ op: 'subscribe', channel: 'delayed-operations' });
      await live.waitFor((f) => f.type === 'delayed-operations');

      consumer = kafkaClient(gw.bootstrap).consumer({ groupId: 'long-poller', maxWaitTimeInMs: 1_000, sessionTimeout: 10_000 });
      await consumer.connect();
      await consumer.subscribe({ topics: ['quiet'], fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });

      const waiting = await eventually(read, (d) => d.purgatories.some((p) => p.name === 'Fetch' && p.delayed >= 1));
      expect(waiting.purgatories.find((p) => p.name === 'Heartbeat')?.delayed).toBeGreaterThanOrEqual(1);
      expect(waiting.timing_wheel.levels.reduce((n, l) => n + l.pending, 0)).toBeLessThanOrEqual(waiting.timing_wheel.pending);

      // Each empty fetch times out after 1 s: the channel's rates show it.
      const expiring = (f: LiveServerFrame): f is DelayedOperationsFrame =>
        f.type === 'delayed-operations' && f.purgatories.some((p) => p.name === 'Fetch' && p.expirations_per_sec > 0);
      const frame = await live.waitFor(expiring, 15_000);
      expect(frame.interval_ms).toBeGreaterThan(0);
      expect(frame.timer_expirations_per_sec).toBeGreaterThan(0);
      expect(frame.timing_wheel.levels.length).toBeGreaterThan(0);
    } finally {
      await live.close();
    }
  });

  it('answers 404 for an unknown cluster and documents the route', async () => {
    const other = await call<ErrorBody>(gw.baseUrl, 'GET', '/v3/clusters/other/delayed-operations');
    expect({ status: other.status, code: other.body.error_code }).toEqual({ status: 404, code: 404 });
    type Operation = { summary?: string; responses: Record<string, unknown> };
    const doc = (await (await fetch(`${gw.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    expect(doc.paths['/v3/clusters/{cluster_id}/delayed-operations']?.get?.summary).toContain('Weir extension');
  });
});
