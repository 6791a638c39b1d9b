import { afterEach, describe, expect, it } from '@jest/globals';
import type { BrokerChange } from './broker-api.js';
import { BrokerHarness } from './testing/broker-harness.js';

const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

describe('Broker periodic maintenance', () => {
  let h: BrokerHarness;
  afterEach(async () => h.close());

  it('runs a retention pass every log.retention.check.interval.ms on the timer', async () => {
    h = await BrokerHarness.start({ logRetentionCheckIntervalMs: 10_000 });
    await h.broker.createTopic({ name: 'short', configs: { 'retention.ms': '60000', 'segment.bytes': '200' } });
    const events: BrokerChange[] = [];
    h.broker.onChange((e) => events.push(e));
    for (let i = 0; i < 5; i++) await h.broker.produce('short', [{ key: null, value: Buffer.alloc(150, i) }]);
    const before = h.broker.describeTopic('short').partitions[0]!;
    expect(before).toMatchObject({ logStartOffset: 0n, highWatermark: 5n });

    // Not yet old enough: passes run but delete nothing.
    h.time.advance(10_000);
    await settle();
    expect(h.broker.describeTopic('short').partitions[0]!.logStartOffset).toBe(0n);

    h.time.advance(60_000);
    await settle();
    const after = h.broker.describeTopic('short').partitions[0]!;
    expect(after.logStartOffset).toBe(4n); // every segment but the active one
    expect(after.sizeBytes).toBeLessThan(before.sizeBytes);
    expect(events.filter((e) => e.type === 'log-start-moved')).toEqual([{ type: 'log-start-moved', topic: 'short', partition: 0, logStartOffset: 4n }]);
    const read = await h.broker.readRecords('short', 0, { start: { position: 'oldest' } });
    expect(read.records.map((r) => r.offset)).toEqual([4n]);
  });

  it('compacts topics with cleanup.policy=compact every log.cleaner.backoff.ms on the timer', async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'latest', configs: { 'cleanup.policy': 'compact', 'segment.bytes': '300', 'min.cleanable.dirty.ratio': '0.01' } });
    for (let i = 0; i < 30; i++) await h.broker.produce('latest', [{ key: Buffer.from(`k${i % 3}`), value: Buffer.from(`v${i}`.padEnd(60, '.')) }]);
    const values = async () => (await h.broker.readRecords('latest', 0, { start: { position: 'oldest' }, maxRecords: 100 })).records.map((r) => r.value!.toString().replace(/\.+$/, ''));
    expect(await values()).toHaveLength(30);
    h.time.advance(15_000);
    // The pass runs in slices, yielding to the event loop between them.
    for (let i = 0; i < 200 && (await values()).length === 30; i++) await settle();
    const kept = await values();
    expect(kept.length).toBeLessThan(30);
    // The latest value of every key survives; older values of keys in the cleaned range are gone.
    for (const latest of ['v27', 'v28', 'v29']) expect(kept).toContain(latest);
    expect(kept).not.toContain('v0');
  });

  it('keeps per-topic counters of records and bytes in and out, and forgets deleted topics', async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'a' });
    await h.broker.createTopic({ name: 'b' });
    await h.broker.produce('a', [{ key: null, value: Buffer.from('12345') }, { key: null, value: Buffer.from('6') }]);
    await h.broker.produce('b', [{ key: null, value: Buffer.from('x') }]);
    const [fetched] = await h.broker.fetch([{ topic: 'a', partition: 0, fetchOffset: 0n, maxBytes: 1 << 20 }]);
    const counters = h.broker.topicCounters();
    expect(counters.get('a')).toMatchObject({ recordsIn: 2, recordsOut: 2, bytesOut: fetched!.records.length });
    expect(counters.get('a')!.bytesIn).toBe(fetched!.records.length); // one batch in, the same batch out
    expect(counters.get('b')).toMatchObject({ recordsIn: 1, recordsOut: 0 });
    await h.broker.deleteTopic('b');
    expect([...h.broker.topicCounters().keys()]).toEqual(['a']);
  });

  it('tells every listener, survives a throwing one, and stops telling after unsubscribe', async () => {
    h = await BrokerHarness.start();
    const seen: string[] = [];
    h.broker.onChange(() => {
      throw new Error('bad listener');
    });
    const off = h.broker.onChange((e) => e.type !== 'partition-changed' && seen.push(e.type));
    await h.broker.createTopic({ name: 'e' });
    await h.broker.produce('e', [{ key: null, value: null }]);
    off();
    await h.broker.deleteTopic('e');
    expect(seen).toEqual(['topic-created', 'records-appended']);
  });
});
