import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { iterateBatches } from '../log/batch/record-batch-decoder.js';
import type { FetchResult } from './broker-api.js';
import { BrokerHarness } from './testing/broker-harness.js';
import { expectCode } from './testing/expect-error.js';

const b = (s: string): Buffer => Buffer.from(s);
const offsets = (r: FetchResult): bigint[] => [...iterateBatches(r.records)].flatMap((batch) => batch.records.map((x) => x.offset));

/** Lets pending promise callbacks run (no time passes on the mock clock). */
const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

describe('Broker fetch', () => {
  let h: BrokerHarness;
  beforeEach(async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'f', partitions: 2 });
  });
  afterEach(async () => h.close());

  it('returns stored batches from the fetch offset up to the HW, with the partition’s bounds', async () => {
    await h.broker.produce('f', [0, 1, 2].map((i) => ({ partition: 0, key: null, value: b(`a${i}`) })));
    await h.broker.produce('f', [3, 4].map((i) => ({ partition: 0, key: null, value: b(`a${i}`) })));
    const [r] = await h.broker.fetch([{ topic: 'f', partition: 0, fetchOffset: 3n, maxBytes: 1 << 20 }]);
    expect(r).toMatchObject({ topic: 'f', partition: 0, errorCode: 0, highWatermark: 5n, logStartOffset: 0n, lastStableOffset: 5n });
    expect(offsets(r!)).toEqual([3n, 4n]);
    // A batch larger than maxBytes still comes whole, so a consumer cannot get stuck.
    const [small] = await h.broker.fetch([{ topic: 'f', partition: 0, fetchOffset: 0n, maxBytes: 1 }]);
    expect(offsets(small!)).toEqual([0n, 1n, 2n]);
    expect(h.broker.topicCounters().get('f')).toMatchObject({ recordsOut: 5 });
  });

  it('keeps the response within max_bytes across partitions, the first batch whole (KIP-74)', async () => {
    for (const p of [0, 1]) for (let i = 0; i < 3; i++) await h.broker.produce('f', [{ partition: p, key: null, value: Buffer.alloc(100, p) }]);
    const both = [0, 1].map((partition) => ({ topic: 'f', partition, fetchOffset: 0n, maxBytes: 1 << 20 }));
    const [oneBatchSize] = (await h.broker.fetch([{ ...both[0]!, maxBytes: 1 }])).map((r) => r.records.length);
    // Budget of one byte: the first partition still gets its first batch, the second nothing.
    const tiny = await h.broker.fetch(both, { maxBytes: 1 });
    expect(tiny.map((r) => r.records.length)).toEqual([oneBatchSize, 0]);
    expect(tiny.map((r) => r.errorCode)).toEqual([0, 0]);
    // Room for four batches: three from the first partition, one from the second.
    const four = await h.broker.fetch(both, { maxBytes: oneBatchSize! * 4 });
    expect(four.map(offsets)).toEqual([[0n, 1n, 2n], [0n]]);
    // An empty first partition does not use up the "one whole batch" allowance.
    const later = await h.broker.fetch([{ ...both[0]!, fetchOffset: 3n }, both[1]!], { maxBytes: 1 });
    expect(later.map(offsets)).toEqual([[], [0n]]);
  });

  it('answers per partition: out of range, unknown partition', async () => {
    await h.broker.produce('f', [{ partition: 0, key: null, value: b('x') }]);
    const results = await h.broker.fetch([
      { topic: 'f', partition: 0, fetchOffset: 2n, maxBytes: 100 },
      { topic: 'f', partition: 5, fetchOffset: 0n, maxBytes: 100 },
      { topic: 'none', partition: 0, fetchOffset: 0n, maxBytes: 100 },
      { topic: 'f', partition: 0, fetchOffset: 1n, maxBytes: 100 },
    ], { maxWaitMs: 500 });
    expectCode(results[0]!, 'OFFSET_OUT_OF_RANGE');
    expect(results[0]!.highWatermark).toBe(1n);
    expectCode(results[1]!, 'UNKNOWN_TOPIC_OR_PARTITION');
    expectCode(results[2]!, 'UNKNOWN_TOPIC_OR_PARTITION');
    expectCode(results[3]!, 'NONE');
    expect(results[3]!.records.length).toBe(0);
  });

  it('long-polls: completes as soon as an append brings minBytes', async () => {
    let result: FetchResult[] | undefined;
    const pending = h.broker.fetch([{ topic: 'f', partition: 1, fetchOffset: 0n, maxBytes: 1 << 20 }], { maxWaitMs: 30_000, minBytes: 1 })
      .then((r) => (result = r));
    await settle();
    expect(result).toBeUndefined();
    await h.broker.produce('f', [{ partition: 0, key: null, value: b('elsewhere') }]);
    await settle();
    expect(result).toBeUndefined();
    await h.broker.produce('f', [{ partition: 1, key: null, value: b('here') }]);
    await pending;
    expect(offsets(result![0]!)).toEqual([0n]);
    expect(h.time.hiResMilliseconds()).toBeLessThan(30_000);
  });

  it('long-polls: waits for minBytes across appends', async () => {
    let done = false;
    const pending = h.broker.fetch([{ topic: 'f', partition: 0, fetchOffset: 0n, maxBytes: 1 << 20 }], { maxWaitMs: 30_000, minBytes: 300 })
      .then((r) => ((done = true), r));
    await h.broker.produce('f', [{ partition: 0, key: null, value: Buffer.alloc(100) }]);
    await settle();
    expect(done).toBe(false);
    await h.broker.produce('f', [{ partition: 0, key: null, value: Buffer.alloc(200) }]);
    const [r] = await pending;
    expect(offsets(r!)).toEqual([0n, 1n]);
  });

  it('long-polls: expires after maxWaitMs on the timer with whatever is there', async () => {
    let result: FetchResult[] | undefined;
    const pending = h.broker.fetch([{ topic: 'f', partition: 0, fetchOffset: 0n, maxBytes: 1 << 20 }], { maxWaitMs: 1000, minBytes: 1 })
      .then((r) => (result = r));
    h.time.advance(999);
    await settle();
    expect(result).toBeUndefined();
    h.time.advance(1);
    await pending;
    expect(result![0]).toMatchObject({ errorCode: 0, highWatermark: 0n });
    expect(result![0]!.records.length).toBe(0);
  });

  it('a waiting fetch is answered when its topic is deleted, and when the broker closes', async () => {
    const deleted = h.broker.fetch([{ topic: 'f', partition: 0, fetchOffset: 0n, maxBytes: 100 }], { maxWaitMs: 60_000 });
    await h.broker.deleteTopic('f');
    expectCode((await deleted)[0]!, 'UNKNOWN_TOPIC_OR_PARTITION');

    await h.broker.createTopic({ name: 'g' });
    const closing = h.broker.fetch([{ topic: 'g', partition: 0, fetchOffset: 0n, maxBytes: 100 }], { maxWaitMs: 60_000 });
    await h.broker.close();
    // Answered before the logs close, with what was readable.
    expect((await closing)[0]).toMatchObject({ errorCode: 0, highWatermark: 0n });
    await h.restart();
  });
});
