import { BrokerHarness, driveUntilSettled } from '../broker/testing/broker-harness.js';
import { LagHistory } from './lag-history.js';

const SILENT = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('LagHistory on a real broker and the mock clock', () => {
  let h: BrokerHarness;
  const drive = <T>(p: Promise<T>) => driveUntilSettled(h.time, p, 10);

  beforeEach(async () => {
    h = await BrokerHarness.start({ offsetsTopicNumPartitions: 1, groupInitialRebalanceDelayMs: 0 });
    await drive(h.broker.createTopic({ name: 't', partitions: 1 }));
    await drive(h.broker.produce('t', Array.from({ length: 8 }, () => ({ partition: 0, key: null, value: Buffer.from('x') }))));
    // As a client: FindCoordinator first (it creates __consumer_offsets), then commit until the partition has loaded.
    await drive(h.broker.groups.findCoordinator('g', 0));
    await drive((async () => {
      while ((await h.broker.commitConsumerGroupOffsets('g', [{ topic: 't', partition: 0, offset: 5n }]))[0]!.errorCode !== 0) {
        await new Promise((r) => setImmediate(r));
      }
    })());
  }, 30_000);

  afterEach(async () => {
    await h.close();
  });

  it('samples every interval on the timer, keeps a bounded ring, and forgets deleted groups', async () => {
    const history = new LagHistory({ api: h.broker, scheduler: h.timer, time: h.time, logger: SILENT, intervalMs: 5_000, samplesPerGroup: 3 }).start();
    expect(history.history('g')).toEqual([]);
    const sampled = async (count: number) => {
      await drive((async () => {
        while (history.history('g').length < count) await new Promise((r) => setImmediate(r));
      })());
    };
    await sampled(1);
    const first = history.history('g')[0]!;
    expect(first.totalLag).toBe(3n); // 8 - 5, by hand
    expect(first.maxLag).toBe(3n);

    await drive(h.broker.produce('t', [{ partition: 0, key: null, value: Buffer.from('y') }]));
    await sampled(3);
    expect(history.history('g').at(-1)!.totalLag).toBe(4n);
    // Five more intervals: the ring stays at three samples, oldest first, five seconds apart.
    const before = h.time.milliseconds();
    await drive((async () => {
      while (history.history('g')[0]!.timestampMs < before) await new Promise((r) => setImmediate(r));
    })());
    const ring = history.history('g');
    expect(ring).toHaveLength(3);
    expect(ring[1]!.timestampMs - ring[0]!.timestampMs).toBe(5_000);

    await drive(h.broker.deleteConsumerGroup('g'));
    await drive((async () => {
      while (history.history('g').length > 0) await new Promise((r) => setImmediate(r));
    })());
    expect(history.history('g')).toEqual([]);
    await history.stop();
  }, 30_000);
});
