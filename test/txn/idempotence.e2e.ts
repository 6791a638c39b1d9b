import type { BrokerApi } from '@weir/broker-core';
import type { Producer, RecordMetadata } from 'kafkajs';
import { BROKER } from '../../apps/gateway/src/broker/broker.module.js';
import { restRecords } from '../kafka/read-back.js';
import { kafkaClient } from '../support/kafkajs.js';
import { ResponseDroppingProxy } from '../support/response-dropping-proxy.js';
import { txnGatewayFixture } from './txn-fixture.js';
import { readTopic } from './topic-reader.js';

// An idempotent kafkajs producer whose connection is cut after the broker appended a
// batch and answered, before the answer reached it (a proxy drops the Produce response
// and closes the connection). kafkajs retries the same batch with the same sequence
// numbers; the broker recognises it among the producer's last five and answers with the
// original offsets instead of writing it again. The log holds every record once, in
// order, and the application never sees an error.

const PARTITIONS = 3;
const SENDS = 45;
const PER_PARTITION = 4;
/** Every third Produce response is lost: 15 of the first 45 attempts. */
const DROP_EVERY = 3;
const RETRY = { retries: 30, initialRetryTime: 50, maxRetryTime: 500 };

const hex = (s: string): string => Buffer.from(s).toString('hex');

describe('idempotent producer through a proxy that loses Produce responses', () => {
  const fixture = txnGatewayFixture();
  let proxy: ResponseDroppingProxy;
  let producer: Producer;

  beforeAll(async () => {
    proxy = await ResponseDroppingProxy.start([fixture.gw.bootstrap]);
    producer = kafkaClient(proxy.address(), RETRY).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: RETRY });
    await producer.connect();
  }, 60_000);

  afterAll(async () => {
    await producer?.disconnect();
    await proxy?.close();
  }, 30_000);

  /** The values of every partition of `topic` as stored, through REST, checking the offsets are dense. */
  async function storedValues(topic: string): Promise<string[][]> {
    const partitions: string[][] = [];
    const { gw } = fixture;
    const clusterId = gw.get<BrokerApi>(BROKER).clusterId;
    for (let p = 0; p < PARTITIONS; p += 1) {
      const records = await restRecords(gw.baseUrl, clusterId, topic, p);
      expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => i));
      partitions.push(records.map((r) => r.value ?? ''));
    }
    return partitions;
  }

  it('every record stored once and in order, no error surfaced, while one response in three is lost', async () => {
    const { gw, admin } = fixture;
    const topic = 'idempotent';
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
    const before = proxy.stats;
    proxy.dropEveryNthProduceResponse(DROP_EVERY);
    const errors: unknown[] = [];
    const placed: RecordMetadata[][] = [];
    for (let s = 0; s < SENDS; s += 1) {
      // One request for all three partitions: a lost response makes all three batches retried.
      const messages = Array.from({ length: PARTITIONS * PER_PARTITION }, (_, i) => {
        const partition = i % PARTITIONS;
        return { partition, key: `p${partition}`, value: `p${partition}-${s * PER_PARTITION + Math.floor(i / PARTITIONS)}` };
      });
      try {
        placed.push(await producer.send({ topic, acks: -1, messages }));
      } catch (err) {
        errors.push(err);
      }
    }
    proxy.dropEveryNthProduceResponse(0);
    const dropped = proxy.stats.droppedAfterWrite - before.droppedAfterWrite;
    console.log(`idempotence: ${dropped} Produce responses dropped after the write, ${proxy.stats.connections} client connections`);

    expect(errors).toEqual([]);
    expect(dropped).toBeGreaterThanOrEqual(10);
    const expected = Array.from({ length: PARTITIONS }, (_, p) => Array.from({ length: SENDS * PER_PARTITION }, (_, i) => hex(`p${p}-${i}`)));
    expect(await storedValues(topic)).toEqual(expected);
    // A retried batch was answered with the offsets of its first, stored write.
    for (let s = 0; s < SENDS; s += 1) {
      expect(placed[s]!.map((m) => [m.partition, m.baseOffset]).sort()).toEqual(Array.from({ length: PARTITIONS }, (_, p) => [p, String(s * PER_PARTITION)]));
    }
    // A kafkajs consumer (read_uncommitted) reads the same.
    const consumed = await readTopic(gw.bootstrap, topic, 'read_uncommitted', Array.from({ length: PARTITIONS }, () => BigInt(SENDS * PER_PARTITION)));
    expect(Array.from({ length: PARTITIONS }, (_, p) => consumed.filter((r) => r.partition === p).map((r) => hex(r.value)))).toEqual(expected);
  }, 120_000);

  it('the same batch answered three times over lost connections is stored once', async () => {
    const { admin } = fixture;
    const topic = 'idempotent-repeated';
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
    await producer.send({ topic, acks: -1, messages: [{ partition: 0, value: 'first' }] });
    const before = proxy.stats;
    proxy.dropNextProduceResponses(3);
    const meta = await producer.send({ topic, acks: -1, messages: [{ partition: 0, value: 'second' }, { partition: 0, value: 'third' }] });
    expect(proxy.stats.droppedAfterWrite - before.droppedAfterWrite).toBe(3);
    expect(meta.map((m) => [m.partition, m.errorCode, m.baseOffset])).toEqual([[0, 0, '1']]);
    await producer.send({ topic, acks: -1, messages: [{ partition: 0, value: 'fourth' }] });
    const stored = (await storedValues(topic))[0]!;
    expect(stored).toEqual(['first', 'second', 'third', 'fourth'].map(hex));
  }, 60_000);
});
