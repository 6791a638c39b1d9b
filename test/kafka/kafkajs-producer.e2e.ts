import type { BrokerApi } from '@weir/broker-core';
import kafkajs, { type Admin, type Message, type Producer, type RecordMetadata } from 'kafkajs';
import { BROKER } from '../../apps/gateway/src/broker/broker.module.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { kafkaClient, noRetryClient, rejectionTypes } from '../support/kafkajs.js';
import { KCAT_TEST_MS, kcatMissing } from '../support/kcat.js';
import { call } from '../rest/v3/v3-client.js';
import { kcatRecords, readUntil, restRecords, sent, type SeenRecord } from './read-back.js';

const { CompressionTypes } = kafkajs;
const T0 = 1_700_000_000_000;
const KCAT_MISSING = kcatMissing();
if (KCAT_MISSING !== undefined) console.warn(`${KCAT_MISSING} (kafkajs producer suite: records are read back through REST only)`);

/** Bytes 0-255 and a UTF-8 string, so nothing in between may re-encode anything. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe('kafkajs producer over the Kafka protocol', () => {
  let gw: TestGateway;
  let broker: BrokerApi;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    gw = await startTestGateway();
    broker = gw.get<BrokerApi>(BROKER);
    const kafka = kafkaClient(gw.bootstrap);
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'acks', numPartitions: 1 },
        { topic: 'keyed', numPartitions: 4 },
        { topic: 'multi-a', numPartitions: 3 },
        { topic: 'multi-b', numPartitions: 2 },
        { topic: 'small', numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '1024' }] },
        ...['none', 'gzip', 'snappy', 'lz4', 'zstd'].map((codec) => ({ topic: `codec-${codec}`, numPartitions: 2 })),
      ],
    });
    producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
    await producer.connect();
  }, 60_000);

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await gw?.close();
  }, 30_000);

  /** The records of a topic through REST (and kcat when present), both compared with what was sent. */
  async function expectStored(topic: string, partitions: number, expected: SeenRecord[]): Promise<void> {
    const byPartitionOffset = (a: SeenRecord, b: SeenRecord) => a.partition - b.partition || a.offset - b.offset;
    const want = [...expected].sort(byPartitionOffset);
    const viaRest: SeenRecord[] = [];
    for (let p = 0; p < partitions; p++) viaRest.push(...(await restRecords(gw.baseUrl, broker.clusterId, topic, p)));
    expect(viaRest).toEqual(want);
    if (KCAT_MISSING === undefined) expect(await kcatRecords(gw.bootstrap, topic)).toEqual(want);
  }

  /** RecordMetadata without the fields that vary by protocol version. */
  const placed = (meta: RecordMetadata[]) =>
    meta.map((m) => ({ topic: m.topicName, partition: m.partition, errorCode: m.errorCode, baseOffset: m.baseOffset })).sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);

  it('acks -1, 1 and 0: each appends, in order; acks 0 gets no answer yet its records land', async () => {
    const msg = (i: number): Message => ({ key: `k${i}`, value: `v${i}`, timestamp: String(T0 + i) });
    expect(placed(await producer.send({ topic: 'acks', acks: -1, messages: [msg(0), msg(1)] }))).toEqual([{ topic: 'acks', partition: 0, errorCode: 0, baseOffset: '0' }]);
    expect(placed(await producer.send({ topic: 'acks', acks: 1, messages: [msg(2), msg(3)] }))).toEqual([{ topic: 'acks', partition: 0, errorCode: 0, baseOffset: '2' }]);
    expect(await producer.send({ topic: 'acks', acks: 0, messages: [msg(4), msg(5)] })).toEqual([]);
    // Pipelined on the same connection, so applied before this one.
    expect(placed(await producer.send({ topic: 'acks', acks: -1, messages: [msg(6)] }))).toEqual([{ topic: 'acks', partition: 0, errorCode: 0, baseOffset: '6' }]);
    const records = await readUntil(() => restRecords(gw.baseUrl, broker.clusterId, 'acks', 0), 7);
    expect(records).toEqual(Array.from({ length: 7 }, (_, i) => sent(0, i, T0 + i, `k${i}`, `v${i}`)));
    await expectStored('acks', 1, records);
  }, KCAT_TEST_MS);

  describe.each([
    ['none', CompressionTypes.None],
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ] as const)('compression %s', (codec, compression) => {
    it('stores the batch with the producer\'s codec; kcat and REST read back the same bytes', async () => {
      const topic = `codec-${codec}`;
      const messages: (Message & { partition: number })[] = Array.from({ length: 40 }, (_, i) => ({
        partition: i % 2,
        key: i % 5 === 0 ? null : Buffer.from(`key-${i}`),
        // Compressible text, incompressible bytes, an empty value and a null (tombstone) among them.
        value: i === 7 ? null : i === 8 ? Buffer.alloc(0) : i % 3 === 0 ? ALL_BYTES : Buffer.from(`value ${i} `.repeat(20 + i)),
        headers: { trace: `t-${i}`, bin: Buffer.from([0, 0xff, i]) },
        timestamp: String(T0 + i * 10),
      }));
      const meta = await producer.send({ topic, compression, acks: -1, messages });
      expect(placed(meta)).toEqual([
        { topic, partition: 0, errorCode: 0, baseOffset: '0' },
        { topic, partition: 1, errorCode: 0, baseOffset: '0' },
      ]);
      const expected = messages.map((m, i) =>
        sent(m.partition, Math.floor(i / 2), T0 + i * 10, m.key as Buffer | null, m.value as Buffer | null, [
          ['trace', `t-${i}`],
          ['bin', Buffer.from([0, 0xff, i])],
        ]),
      );
      await expectStored(topic, 2, expected);
      // The stored batch keeps the producer's codec (compression.type=producer): attributes bits 0-2.
      const [fetched] = await broker.fetch([{ topic, partition: 0, fetchOffset: 0n, maxBytes: 1 << 20 }]);
      expect(fetched!.records.readInt16BE(21) & 0x07).toBe(compression);
    }, KCAT_TEST_MS);
  });

  it('keys, binary values, binary and repeated headers, explicit timestamps and null keys and values', async () => {
    const messages: Message[] = [
      { key: ALL_BYTES, value: ALL_BYTES, headers: { bin: ALL_BYTES, text: 'héllo ✓', empty: '' }, timestamp: String(T0) },
      { key: 'same-key', value: '{"json":true}', headers: { multi: ['first', 'second'] }, timestamp: String(T0 + 1) },
      { key: 'same-key', value: null, timestamp: String(T0 + 2) },
      { key: null, value: 'no key', timestamp: String(T0 + 3) },
    ];
    const meta = await producer.send({ topic: 'keyed', acks: -1, messages: messages.map((m) => ({ ...m, partition: 2 })) });
    expect(placed(meta)).toEqual([{ topic: 'keyed', partition: 2, errorCode: 0, baseOffset: '0' }]);
    await expectStored('keyed', 4, [
      sent(2, 0, T0, ALL_BYTES, ALL_BYTES, [['bin', ALL_BYTES], ['text', 'héllo ✓'], ['empty', '']]),
      sent(2, 1, T0 + 1, 'same-key', '{"json":true}', [['multi', 'first'], ['multi', 'second']]),
      sent(2, 2, T0 + 2, 'same-key', null),
      sent(2, 3, T0 + 3, null, 'no key'),
    ]);
  }, KCAT_TEST_MS);

  it('places keyed records without a partition where Kafka\'s default partitioner does (murmur2)', async () => {
    const partitioner = kafkajs.Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1, 2, 3].map((partitionId) => ({ partitionId, leader: broker.brokerId, partitionErrorCode: 0, replicas: [broker.brokerId], isr: [broker.brokerId] }));
    const keys = Array.from({ length: 12 }, (_, i) => `user-${i}`);
    const meta = await producer.send({ topic: 'keyed', acks: -1, messages: keys.map((key) => ({ key, value: key })) });
    expect(meta.every((m) => m.errorCode === 0)).toBe(true);
    const stored = await restRecords(gw.baseUrl, broker.clusterId, 'keyed', 0);
    for (let p = 1; p < 4; p++) stored.push(...(await restRecords(gw.baseUrl, broker.clusterId, 'keyed', p)));
    for (const key of keys) {
      const record = stored.find((r) => r.key === Buffer.from(key).toString('hex'));
      expect({ key, partition: record?.partition }).toEqual({ key, partition: partitioner({ topic: 'keyed', partitionMetadata, message: { key: Buffer.from(key), value: null } }) });
    }
  }, KCAT_TEST_MS);

  it('sendBatch: many topics and partitions in one request, each answered with its own base offset', async () => {
    const topicMessages = [
      { topic: 'multi-a', messages: [0, 1, 2, 0, 1, 2, 0].map((partition, i) => ({ partition, key: `a${i}`, value: `A${i}`, timestamp: String(T0 + i) })) },
      { topic: 'multi-b', messages: [1, 1, 0].map((partition, i) => ({ partition, key: `b${i}`, value: `B${i}`, headers: { n: String(i) }, timestamp: String(T0 + 100 + i) })) },
    ];
    const first = await producer.sendBatch({ acks: -1, compression: CompressionTypes.GZIP, topicMessages });
    expect(placed(first)).toEqual([
      { topic: 'multi-a', partition: 0, errorCode: 0, baseOffset: '0' },
      { topic: 'multi-a', partition: 1, errorCode: 0, baseOffset: '0' },
      { topic: 'multi-a', partition: 2, errorCode: 0, baseOffset: '0' },
      { topic: 'multi-b', partition: 0, errorCode: 0, baseOffset: '0' },
      { topic: 'multi-b', partition: 1, errorCode: 0, baseOffset: '0' },
    ]);
    const second = await producer.sendBatch({ acks: 1, topicMessages });
    expect(placed(second).map((m) => m.baseOffset)).toEqual(['3', '2', '2', '1', '2']);
    const expectFor = (topic: string, partitions: number[], offsetsBefore: number[][]) =>
      [0, 1].flatMap((round) => {
        const tm = topicMessages.find((t) => t.topic === topic)!;
        const next = partitions.map((_, p) => offsetsBefore[round]![p]!);
        return tm.messages.map((m) => sent(m.partition, next[m.partition]!++, Number(m.timestamp), m.key, m.value, 'headers' in m ? Object.entries(m.headers as Record<string, string>) : []));
      });
    await expectStored('multi-a', 3, expectFor('multi-a', [0, 1, 2], [[0, 0, 0], [3, 2, 2]]));
    await expectStored('multi-b', 2, expectFor('multi-b', [0, 1], [[0, 0], [1, 2]]));
  }, KCAT_TEST_MS);

  describe('errors', () => {
    let strictProducer: Producer;
    let strictAdmin: Admin;

    beforeAll(async () => {
      const strict = noRetryClient(gw.bootstrap);
      strictProducer = strict.producer({ allowAutoTopicCreation: false, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
      strictAdmin = strict.admin();
      await strictProducer.connect();
      await strictAdmin.connect();
    });

    afterAll(async () => {
      await strictProducer?.disconnect();
      await strictAdmin?.disconnect();
    });

    it('a topic that does not exist: UNKNOWN_TOPIC_OR_PARTITION, and it is not created', async () => {
      expect(await rejectionTypes(strictProducer.send({ topic: 'never-was', messages: [{ value: 'x' }] }))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
      expect((await call(gw.baseUrl, 'GET', `/v3/clusters/${broker.clusterId}/topics/never-was`)).status).toBe(404);
    }, KCAT_TEST_MS);

    it('a partition that no longer exists (stale client metadata): the Produce answer is UNKNOWN_TOPIC_OR_PARTITION, nothing is written', async () => {
      await strictAdmin.createTopics({ topics: [{ topic: 'shrinking', numPartitions: 3 }] });
      expect(placed(await strictProducer.send({ topic: 'shrinking', messages: [{ partition: 2, value: 'warm' }] }))).toEqual([{ topic: 'shrinking', partition: 2, errorCode: 0, baseOffset: '0' }]);
      // Recreated behind the producer's back with one partition: its cached metadata still has three.
      await broker.deleteTopic('shrinking');
      await broker.createTopic({ name: 'shrinking', partitions: 1 });
      expect(await rejectionTypes(strictProducer.send({ topic: 'shrinking', messages: [{ partition: 2, value: 'lost' }] }))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
      expect(broker.describeTopic('shrinking').partitions.map((p) => p.logEndOffset)).toEqual([0n]);
    }, KCAT_TEST_MS);

    it('a record larger than the topic\'s max.message.bytes: MESSAGE_TOO_LARGE, nothing is written', async () => {
      expect(await rejectionTypes(strictProducer.send({ topic: 'small', messages: [{ value: Buffer.alloc(4096, 1) }] }))).toEqual(['MESSAGE_TOO_LARGE']);
      expect(placed(await strictProducer.send({ topic: 'small', messages: [{ value: 'fits' }] }))).toEqual([{ topic: 'small', partition: 0, errorCode: 0, baseOffset: '0' }]);
    }, KCAT_TEST_MS);
  });
});
