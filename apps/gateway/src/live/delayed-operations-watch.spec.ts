import type { LiveServerFrame } from '@weir/contracts';
import { BrokerHarness } from '../../../../libs/broker-core/src/broker/testing/broker-harness.js';
import { DelayedOperationsWatch } from './delayed-operations-watch.js';

type Frame = Extract<LiveServerFrame, { type: 'delayed-operations' }>;

/** Lets pending promise callbacks run (no time passes on the mock clock). */
const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

describe('DelayedOperationsWatch', () => {
  let h: BrokerHarness;
  beforeEach(async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'waits', partitions: 1 });
  });
  afterEach(async () => h.close());

  const sample = (watch: DelayedOperationsWatch): Frame => {
    const frames: LiveServerFrame[] = [];
    watch.sample(new Set(['delayed-operations']), (_channel, frame) => frames.push(frame));
    expect(frames).toHaveLength(1);
    return frames[0] as Frame;
  };
  const fetchOf = (frame: Frame) => frame.purgatories.find((p) => p.name === 'Fetch');

  it('computes expirations per second from the previous sample\'s totals, over the time between them', async () => {
    const watch = new DelayedOperationsWatch(h.broker, h.time);
    const first = sample(watch);
    expect(first.interval_ms).toBe(0);
    expect(fetchOf(first)).toMatchObject({ delayed: 0, expirations_per_sec: 0, completions_per_sec: 0 });

    // Two long-polls of 500 ms expire within the next two seconds.
    const fetches = [0, 1].map(() => h.broker.fetch([{ topic: 'waits', partition: 0, fetchOffset: 0n, maxBytes: 1024 }], { maxWaitMs: 500, minBytes: 1 }));
    await settle();
    expect(fetchOf(sample(watch))).toMatchObject({ delayed: 2 });
    h.time.advance(2_000);
    await Promise.all(fetches);

    const second = sample(watch);
    expect(second.interval_ms).toBe(2_000);
    expect(fetchOf(second)).toMatchObject({ delayed: 0, expired_total: 2, expirations_per_sec: 1, completions_per_sec: 0 });
    expect(second.timer_expirations_per_sec).toBeGreaterThanOrEqual(1);
  });

  it('gives a new subscriber the last sample, and starts over once nobody watches', async () => {
    const watch = new DelayedOperationsWatch(h.broker, h.time);
    sample(watch);
    h.time.advance(1_000);
    const published = sample(watch);
    const snapshots: LiveServerFrame[] = [];
    watch.snapshot('delayed-operations', (frame) => snapshots.push(frame));
    expect(snapshots).toEqual([published]);

    watch.release();
    watch.snapshot('delayed-operations', (frame) => snapshots.push(frame));
    expect((snapshots[1] as Frame).interval_ms).toBe(0);
  });
});
