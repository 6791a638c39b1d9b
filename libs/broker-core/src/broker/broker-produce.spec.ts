import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeRecordBatch } from '../log/batch/record-batch-encoder.js';
import { partitionForKey } from './murmur2.js';
import { BrokerHarness } from './testing/broker-harness.js';
import { expectCode, expectKafkaError } from './testing/expect-error.js';

const b = (s: string): Buffer => Buffer.from(s);

describe('Broker produce path', () => {
  let h: BrokerHarness;
  beforeEach(async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'events', partitions: 4 });
  });
  afterEach(async () => h.close());

  it('appends stored-format batches, assigns offsets and raises the HW to the LEO', async () => {
    const events: unknown[] = [];
    h.broker.onChange((e) => events.push(e));
    const batch = (n: number): Buffer => encodeRecordBatch({ records: Array.from({ length: n }, (_, i) => ({ value: b(`v${i}`) })), defaultTimestamp: 1000 });
    const first = await h.broker.appendRecords([{ topic: 'events', partition: 1, records: batch(3) }], { acks: 1, timeoutMs: 1000 });
    expect(first).toEqual([{ topic: 'events', partition: 1, errorCode: 0, errorMessage: null, baseOffset: 0n, logAppendTime: -1n, logStartOffset: 0n }]);
    const second = await h.broker.appendRecords([{ topic: 'events', partition: 1, records: batch(2) }], { acks: -1, timeoutMs: 1000 });
    expect(second[0]!.baseOffset).toBe(3n);
    expect(h.broker.describeTopic('events').partitions[1]).toMatchObject({ highWatermark: 5n, logEndOffset: 5n });
    expect(events).toEqual([
      { type: 'records-appended', topic: 'events', partition: 1, highWatermark: 3n },
      { type: 'records-appended', topic: 'events', partition: 1, highWatermark: 5n },
    ]);
    expect(h.broker.topicCounters().get('events')).toMatchObject({ recordsIn: 5 });
  });

  it('answers each bad partition with its own error code and appends the good ones', async () => {
    const records = (): Buffer => encodeRecordBatch({ records: [{ value: b('x') }], defaultTimestamp: 1 });
    const corrupt = records();
    corrupt[corrupt.length - 1] ^= 0xff;
    const results = await h.broker.appendRecords([
      { topic: 'events', partition: 0, records: records() },
      { topic: 'missing', partition: 0, records: records() },
      { topic: 'events', partition: 9, records: records() },
      { topic: 'events', partition: 2, records: corrupt },
    ], { acks: 1, timeoutMs: 1000 });
    expectCode(results[0]!, 'NONE');
    expectCode(results[1]!, 'UNKNOWN_TOPIC_OR_PARTITION');
    expectCode(results[2]!, 'UNKNOWN_TOPIC_OR_PARTITION');
    expectCode(results[3]!, 'CORRUPT_MESSAGE');
    expect(results[3]!.errorMessage).toBeTruthy();
    const bad = await h.broker.appendRecords([{ topic: 'events', partition: 0, records: records() }], { acks: 2 as never, timeoutMs: 1 });
    expectCode(bad[0]!, 'INVALID_REQUIRED_ACKS');
  });

  it('refuses client appends to internal topics (only the coordinator writes __consumer_offsets)', async () => {
    expect((await h.broker.groups.findCoordinator('g', 0)).errorCode).toBe(0);
    const records = encodeRecordBatch({ records: [{ key: b('k'), value: b('x') }], defaultTimestamp: 1 });
    const [refused] = await h.broker.appendRecords([{ topic: '__consumer_offsets', partition: 0, records }], { acks: 1, timeoutMs: 1000 });
    expectCode(refused!, 'INVALID_TOPIC_EXCEPTION');
    expect(refused!.errorMessage).toMatch(/Cannot append to internal topic __consumer_offsets/);
    expect(h.broker.describeTopic('__consumer_offsets').partitions[0]!.logEndOffset).toBe(0n);
  });

  it('refuses acks=all before appending when the ISR is below min.insync.replicas', async () => {
    await h.broker.alterTopicConfigs('events', [{ name: 'min.insync.replicas', value: '2' }]);
    const records = encodeRecordBatch({ records: [{ value: b('x') }], defaultTimestamp: 1 });
    const [all] = await h.broker.appendRecords([{ topic: 'events', partition: 0, records }], { acks: -1, timeoutMs: 1000 });
    expectCode(all!, 'NOT_ENOUGH_REPLICAS');
    expect(h.broker.describeTopic('events').partitions[0]!.logEndOffset).toBe(0n);
    const [one] = await h.broker.appendRecords([{ topic: 'events', partition: 0, records }], { acks: 1, timeoutMs: 1000 });
    expectCode(one!, 'NONE');
  });

  it('waits for the fsync when flush.messages asks for it', async () => {
    await h.broker.alterTopicConfigs('events', [{ name: 'flush.messages', value: '1' }]);
    const records = encodeRecordBatch({ records: [{ value: b('x') }], defaultTimestamp: 1 });
    const [result] = await h.broker.appendRecords([{ topic: 'events', partition: 0, records }], { acks: 1, timeoutMs: 1000 });
    expectCode(result!, 'NONE');
    await h.restart(); // the data must be there whatever happened to the page cache
    expect(h.broker.describeTopic('events').partitions[0]!.logEndOffset).toBe(1n);
  });

  it('produces records to explicit partitions, by key hash, and sticky for null keys', async () => {
    h.time.setWallClock(1_700_000_123_000);
    const results = await h.broker.produce('events', [
      { partition: 3, key: null, value: b('explicit'), timestamp: 42 },
      { key: b('user-1'), value: b('a'), headers: [{ key: 'h', value: b('1') }] },
      { key: b('user-1'), value: b('b') },
      { key: null, value: b('n1') },
      { key: null, value: b('n2') },
    ]);
    expect(results[0]).toEqual({ topic: 'events', partition: 3, offset: 0n, timestamp: 42n, errorCode: 0, errorMessage: null });
    const keyed = partitionForKey(b('user-1'), 4);
    expect(results[1]!.partition).toBe(keyed);
    expect(results[2]!.partition).toBe(keyed);
    expect(results[2]!.offset).toBe(results[1]!.offset + 1n);
    expect(results[1]!.timestamp).toBe(1_700_000_123_000n);
    expect(results[3]!.partition).toBe(results[4]!.partition);
    // The sticky partition moves on after a batch.
    const next = await h.broker.produce('events', [{ key: null, value: b('n3') }]);
    expect(next[0]!.partition).not.toBe(results[3]!.partition);
  });

  it('reports a bad explicit partition per record and a missing topic as UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const results = await h.broker.produce('events', [{ partition: 7, key: null, value: b('x') }, { partition: 0, key: null, value: b('y') }]);
    expectCode(results[0]!, 'UNKNOWN_TOPIC_OR_PARTITION');
    expectCode(results[1]!, 'NONE');
    await expectKafkaError(h.broker.produce('nope', [{ key: null, value: b('x') }]), 'UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('creates a missing topic on produce when auto.create.topics.enable', async () => {
    await h.close();
    h = await BrokerHarness.start({ autoCreateTopicsEnable: true, numPartitions: 2 });
    const [result] = await h.broker.produce('auto', [{ key: null, value: b('x') }]);
    expectCode(result!, 'NONE');
    expect(h.broker.describeTopic('auto').partitions).toHaveLength(2);
  });

  it('stamps LogAppendTime topics with the broker clock', async () => {
    await h.broker.createTopic({ name: 'lat', configs: { 'message.timestamp.type': 'LogAppendTime' } });
    const [result] = await h.broker.produce('lat', [{ key: null, value: b('x'), timestamp: 5 }]);
    expect(result!.timestamp).toBe(BigInt(h.time.milliseconds()));
    const read = await h.broker.readRecords('lat', 0, { start: { offset: 0n } });
    expect(read.records[0]).toMatchObject({ timestamp: BigInt(h.time.milliseconds()), timestampType: 'LogAppendTime' });
  });
});
