import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BrokerHarness } from './testing/broker-harness.js';

/** Lets pending promise callbacks run (no time passes on the mock clock). */
const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

describe('Broker.delayedOperations', () => {
  let h: BrokerHarness;
  beforeEach(async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'waits', partitions: 1 });
  });
  afterEach(async () => h.close());

  const purgatory = (name: string) => h.broker.delayedOperations().purgatories.find((p) => p.name === name);

  it('names every purgatory of the broker, with its broker id', () => {
    const { purgatories } = h.broker.delayedOperations();
    expect(purgatories.map((p) => p.name).sort()).toEqual(['Fetch', 'Heartbeat', 'Produce', 'Rebalance']);
    expect(purgatories.every((p) => p.brokerId === 1)).toBe(true);
  });

  it('counts a long-poll fetch as delayed while it waits, then as expired, and its timeout on the wheel', async () => {
    const before = h.broker.delayedOperations().timer;
    const waiting = h.broker.fetch([{ topic: 'waits', partition: 0, fetchOffset: 0n, maxBytes: 1024 }], { maxWaitMs: 5_000, minBytes: 1 });
    await settle();
    expect(purgatory('Fetch')).toMatchObject({ delayed: 1, watched: 1, expired: 0 });
    const timer = h.broker.delayedOperations().timer;
    expect(timer.pending).toBe(before.pending + 1);
    expect(timer.levels.reduce((n, level) => n + level.pending, 0) + timer.readyPending).toBe(timer.pending);

    h.time.advance(5_000);
    await waiting;
    expect(purgatory('Fetch')).toMatchObject({ delayed: 0, expired: 1, completed: 0 });
    expect(h.broker.delayedOperations().timer.expired).toBeGreaterThan(before.expired);
  });

  it('counts a fetch that data wakes up as completed', async () => {
    const waiting = h.broker.fetch([{ topic: 'waits', partition: 0, fetchOffset: 0n, maxBytes: 1024 }], { maxWaitMs: 60_000, minBytes: 1 });
    await settle();
    await h.broker.produce('waits', [{ partition: 0, key: null, value: Buffer.from('wake') }]);
    const [result] = await waiting;
    expect(result?.records.length).toBeGreaterThan(0);
    expect(purgatory('Fetch')).toMatchObject({ delayed: 0, completed: 1, expired: 0 });
  });
});
