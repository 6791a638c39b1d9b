import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BrokerHarness } from './testing/broker-harness.js';
import { expectKafkaError } from './testing/expect-error.js';

const b = (s: string): Buffer => Buffer.from(s);

describe('Broker readRecords', () => {
  let h: BrokerHarness;
  beforeEach(async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'log', partitions: 1 });
    // 10 batches of 10 records, record i has timestamp 1000 + i and value "v<i>".
    for (let batch = 0; batch < 10; batch++) {
      await h.broker.produce('log', Array.from({ length: 10 }, (_, j) => {
        const i = batch * 10 + j;
        return { partition: 0, key: b(`k${i}`), value: b(`v${i}`), timestamp: 1000 + i, headers: [{ key: 'n', value: b(String(i)) }] };
      }));
    }
  });
  afterEach(async () => h.close());

  const values = (r: { records: readonly { value: Buffer | null }[] }): string[] => r.records.map((x) => x.value!.toString());

  it('reads forward from an offset inside a batch, bounded by maxRecords, with keys, headers and timestamps', async () => {
    const page = await h.broker.readRecords('log', 0, { start: { offset: 15n }, maxRecords: 7 });
    expect(values(page)).toEqual(['v15', 'v16', 'v17', 'v18', 'v19', 'v20', 'v21']);
    expect(page.nextOffset).toBe(22n);
    expect(page.records[0]).toEqual({
      partition: 0, offset: 15n, timestamp: 1015n, timestampType: 'CreateTime', key: b('k15'), value: b('v15'), headers: [{ key: 'n', value: b('15') }],
    });
    expect(page).toMatchObject({ logStartOffset: 0n, highWatermark: 100n });
    const rest = await h.broker.readRecords('log', 0, { start: { offset: page.nextOffset }, maxRecords: 1000 });
    expect(rest.records).toHaveLength(78);
    expect(rest.nextOffset).toBe(100n);
  });

  it('bounds a page by maxBytes but always returns one record', async () => {
    // Each record: key 2-3 bytes + value 2-3 bytes + header "n" + 1-2 bytes.
    const page = await h.broker.readRecords('log', 0, { start: { position: 'oldest' }, maxBytes: 1 });
    expect(values(page)).toEqual(['v0']);
    const wider = await h.broker.readRecords('log', 0, { start: { offset: 0n }, maxBytes: 20 });
    expect(values(wider)).toEqual(['v0', 'v1', 'v2']);
  });

  it('starts at the newest end with nothing to read yet, and at the HW for an offset equal to it', async () => {
    const newest = await h.broker.readRecords('log', 0, { start: { position: 'newest' } });
    expect(newest.records).toEqual([]);
    expect(newest.nextOffset).toBe(100n);
    expect((await h.broker.readRecords('log', 0, { start: { offset: 100n } })).records).toEqual([]);
  });

  it('rejects offsets outside the log and unknown partitions', async () => {
    await expectKafkaError(h.broker.readRecords('log', 0, { start: { offset: 101n } }), 'OFFSET_OUT_OF_RANGE');
    await expectKafkaError(h.broker.readRecords('log', 0, { start: { offset: -1n } }), 'OFFSET_OUT_OF_RANGE');
    await expectKafkaError(h.broker.readRecords('log', 1, { start: { offset: 0n } }), 'UNKNOWN_TOPIC_OR_PARTITION');
    await expectKafkaError(h.broker.readRecords('nope', 0, { start: { offset: 0n } }), 'UNKNOWN_TOPIC_OR_PARTITION');
    await expectKafkaError(h.broker.readRecords('log', 0, { start: { offset: 0n }, maxRecords: 0 }), 'INVALID_REQUEST');
  });

  it('counts records read out per topic', async () => {
    await h.broker.readRecords('log', 0, { start: { offset: 0n }, maxRecords: 5 });
    expect(h.broker.topicCounters().get('log')).toMatchObject({ recordsIn: 100, recordsOut: 5 });
  });

  it('reads backward, newest first, paging by nextOffset down to the log start', async () => {
    const newest = await h.broker.readRecords('log', 0, { start: { position: 'newest' }, direction: 'backward', maxRecords: 3 });
    expect(values(newest)).toEqual(['v99', 'v98', 'v97']);
    expect(newest.nextOffset).toBe(96n);
    const fromOffset = await h.broker.readRecords('log', 0, { start: { offset: 15n }, direction: 'backward', maxRecords: 4 });
    expect(values(fromOffset)).toEqual(['v15', 'v14', 'v13', 'v12']);
    const seen: string[] = [];
    let next: bigint = 99n;
    for (let page = 0; page < 20 && next >= 0n; page++) {
      const r = await h.broker.readRecords('log', 0, { start: { offset: next }, direction: 'backward', maxRecords: 7 });
      seen.push(...values(r));
      next = r.nextOffset;
    }
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => `v${99 - i}`));
    expect(next).toBe(-1n);
    const big = await h.broker.readRecords('log', 0, { start: { position: 'newest' }, direction: 'backward', maxRecords: 1000 });
    expect(big.records).toHaveLength(100);
    expect((await h.broker.readRecords('log', 0, { start: { position: 'oldest' }, direction: 'backward' })).records).toEqual([]);
    await expectKafkaError(h.broker.readRecords('log', 0, { start: { offset: 101n }, direction: 'backward' }), 'OFFSET_OUT_OF_RANGE');
  });

  it('bounds a backward page by maxBytes', async () => {
    const page = await h.broker.readRecords('log', 0, { start: { position: 'newest' }, direction: 'backward', maxBytes: 20 });
    expect(values(page)).toEqual(['v99', 'v98']);
    expect(page.nextOffset).toBe(97n);
  });

  it('starts at a timestamp: forward from the first record at or after it, backward from the one before', async () => {
    const forward = await h.broker.readRecords('log', 0, { start: { timestamp: 1042 }, maxRecords: 2 });
    expect(values(forward)).toEqual(['v42', 'v43']);
    const backward = await h.broker.readRecords('log', 0, { start: { timestamp: 1042 }, direction: 'backward', maxRecords: 2 });
    expect(values(backward)).toEqual(['v41', 'v40']);
    const future = await h.broker.readRecords('log', 0, { start: { timestamp: 9_999 } });
    expect(future).toMatchObject({ records: [], nextOffset: 100n });
    expect(values(await h.broker.readRecords('log', 0, { start: { timestamp: 0 }, maxRecords: 1 }))).toEqual(['v0']);
  });

  it('lists offsets as Kafka’s ListOffsets: latest = HW, earliest = log start, else by timestamp', async () => {
    expect(await h.broker.listOffset('log', 0, -1n)).toEqual({ offset: 100n, timestamp: -1n });
    expect(await h.broker.listOffset('log', 0, -2n)).toEqual({ offset: 0n, timestamp: -1n });
    expect(await h.broker.listOffset('log', 0, 1057n)).toEqual({ offset: 57n, timestamp: 1057n });
    expect(await h.broker.listOffset('log', 0, 5000n)).toBeUndefined();
    await expectKafkaError(() => h.broker.listOffset('log', 3, -1n), 'UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('deletes records below an offset, up to the HW, and announces the new log start', async () => {
    const events: unknown[] = [];
    h.broker.onChange((e) => events.push(e));
    expect(await h.broker.deleteRecords('log', 0, 25n)).toBe(25n);
    expect(events).toEqual([{ type: 'log-start-moved', topic: 'log', partition: 0, logStartOffset: 25n }]);
    expect(h.broker.describeTopic('log').partitions[0]!.logStartOffset).toBe(25n);
    await expectKafkaError(h.broker.readRecords('log', 0, { start: { offset: 24n } }), 'OFFSET_OUT_OF_RANGE');
    expect(values(await h.broker.readRecords('log', 0, { start: { position: 'oldest' }, maxRecords: 1 }))).toEqual(['v25']);
    const back = await h.broker.readRecords('log', 0, { start: { offset: 30n }, direction: 'backward' });
    expect(values(back)).toEqual(['v30', 'v29', 'v28', 'v27', 'v26', 'v25']);
    expect(back.nextOffset).toBe(24n);
    expect(await h.broker.deleteRecords('log', 0, 10n)).toBe(25n);
    await expectKafkaError(h.broker.deleteRecords('log', 0, 101n), 'OFFSET_OUT_OF_RANGE');
    expect(await h.broker.deleteRecords('log', 0, -1n)).toBe(100n);
    expect((await h.broker.listOffset('log', 0, -2n))!.offset).toBe(100n);
  });
});
