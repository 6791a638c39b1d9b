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
});
