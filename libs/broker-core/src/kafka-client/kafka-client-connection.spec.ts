import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStandaloneBroker, type StandaloneBroker } from '../kafka-server/testing/standalone-broker.js';
import { encodeRecordBatch } from '../log/batch/record-batch-encoder.js';
import { makeFetchRequest, makeFetchRequestPartition, makeFetchRequestTopic } from '../protocol/fetch/index.js';
import { makeListOffsetsRequest, makeListOffsetsRequestPartition, makeListOffsetsRequestTopic } from '../protocol/listOffsets/index.js';
import { makeMetadataRequest, makeMetadataRequestTopic } from '../protocol/metadata/index.js';
import {
  makeOffsetForLeaderEpochRequest, makeOffsetForLeaderEpochRequestOffsetForLeaderPartition, makeOffsetForLeaderEpochRequestOffsetForLeaderTopic,
} from '../protocol/offsetForLeaderEpoch/index.js';
import { makeProduceRequest, makeProduceRequestPartitionProduceData, makeProduceRequestTopicProduceData } from '../protocol/produce/index.js';
import { SystemTimer } from '../timer/system-timer.js';
import { KafkaClientConnection } from './kafka-client-connection.js';
import { isKafkaClientError } from './kafka-client-error.js';

const TOPIC = 'client-wire';

/** The client against the real listener: every API it can send that the broker serves, pipelined, and one it does not serve. */
describe('KafkaClientConnection against a standalone broker', () => {
  let leader: StandaloneBroker;
  let timer: SystemTimer;
  let port: number;

  beforeAll(async () => {
    leader = await startStandaloneBroker();
    port = leader.listener.port;
    timer = new SystemTimer();
    await leader.broker.createTopic({ name: TOPIC, partitions: 3 });
    for (let p = 0; p < 3; p++) {
      await leader.broker.produce(TOPIC, Array.from({ length: 5 * (p + 1) }, (_, i) => ({ partition: p, key: null, value: Buffer.from(`p${p}-v${i}`) })));
    }
  });
  afterAll(async () => {
    timer.close();
    await leader.close();
  });

  const connect = (maxResponseBytes = 1 << 20): Promise<KafkaClientConnection> =>
    KafkaClientConnection.connect({ host: '127.0.0.1', port, clientId: 'broker-2-test', timer, connectTimeoutMs: 5000, requestTimeoutMs: 10_000, maxResponseBytes });

  it('reads Metadata (flexible v12 and non-flexible v8) with the broker advertising its listener', async () => {
    const conn = await connect();
    const [flexible, classic] = await Promise.all([
      conn.metadata(12, makeMetadataRequest({ topics: [makeMetadataRequestTopic({ name: TOPIC })], allowAutoTopicCreation: false })),
      conn.metadata(8, makeMetadataRequest({ topics: null, allowAutoTopicCreation: false })),
    ]);
    for (const response of [flexible, classic]) {
      expect(response.brokers).toEqual([expect.objectContaining({ nodeId: 1, host: '127.0.0.1', port })]);
      const topic = response.topics.find((t) => t.name === TOPIC);
      expect(topic?.partitions.map((p) => p.partitionIndex).sort()).toEqual([0, 1, 2]);
    }
    conn.close();
  });

  it('pipelines ListOffsets for every partition and matches each response to its request', async () => {
    const conn = await connect();
    const asks = [0, 1, 2].flatMap((partition) => [-1n, -2n].map((timestamp) => ({ partition, timestamp })));
    const pending = asks.map(({ partition, timestamp }) =>
      conn.listOffsets(7, makeListOffsetsRequest({
        replicaId: -1,
        topics: [makeListOffsetsRequestTopic({ name: TOPIC, partitions: [makeListOffsetsRequestPartition({ partitionIndex: partition, timestamp })] })],
      })),
    );
    expect(conn.inFlightCount).toBe(asks.length);
    const responses = await Promise.all(pending);
    expect(responses.map((r) => [r.topics[0]!.partitions[0]!.partitionIndex, r.topics[0]!.partitions[0]!.offset])).toEqual(
      asks.map(({ partition, timestamp }) => [partition, timestamp === -2n ? 0n : BigInt(5 * (partition + 1))]),
    );
    expect(conn.inFlightCount).toBe(0);
    conn.close();
  });

  it('fetches v12: the records are the stored bytes, as views into the response frame', async () => {
    const conn = await connect();
    const response = await conn.fetch(12, makeFetchRequest({
      replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0,
      topics: [makeFetchRequestTopic({
        topic: TOPIC,
        partitions: [0, 1].map((partition) => makeFetchRequestPartition({ partition, fetchOffset: 0n, partitionMaxBytes: 1 << 20 })),
      })],
    }));
    expect(response.errorCode).toBe(0);
    const [p0, p1] = response.responses[0]!.partitions;
    expect([p0!.errorCode, p1!.errorCode]).toEqual([0, 0]);
    expect(p1!.highWatermark).toBe(10n);
    const stored = readFileSync(join(leader.dataDir, 'logs', `${TOPIC}-1`, '00000000000000000000.log'));
    expect(Buffer.compare(p1!.records!, stored)).toBe(0);
    // Both partitions' records lie in one ArrayBuffer: the frame, not a copy each.
    expect(p0!.records!.buffer).toBe(p1!.records!.buffer);
    conn.close();
  });

  it('asks OffsetForLeaderEpoch v4 where the current epoch ends: at the log end', async () => {
    const conn = await connect();
    const metadata = await conn.metadata(12, makeMetadataRequest({ topics: [makeMetadataRequestTopic({ name: TOPIC })], allowAutoTopicCreation: false }));
    const epoch = metadata.topics[0]!.partitions.find((p) => p.partitionIndex === 1)!.leaderEpoch;
    const response = await conn.offsetForLeaderEpoch(4, makeOffsetForLeaderEpochRequest({
      replicaId: -1,
      topics: [makeOffsetForLeaderEpochRequestOffsetForLeaderTopic({ topic: TOPIC, partitions: [makeOffsetForLeaderEpochRequestOffsetForLeaderPartition({ partition: 1, currentLeaderEpoch: epoch, leaderEpoch: epoch })] })],
    }));
    expect(response.topics[0]!.partitions[0]).toEqual(expect.objectContaining({ errorCode: 0, partition: 1, leaderEpoch: epoch, endOffset: 10n }));
    conn.close();
  });

  it('produces v9 (flexible, header v2) and the records land in the log', async () => {
    const conn = await connect();
    const batch = encodeRecordBatch({ records: [{ value: Buffer.from('via-client') }], defaultTimestamp: 1_700_000_000_000n });
    const response = await conn.produce(9, makeProduceRequest({
      acks: -1, timeoutMs: 5000,
      topicData: [makeProduceRequestTopicProduceData({ name: TOPIC, partitionData: [makeProduceRequestPartitionProduceData({ index: 2, records: batch })] })],
    }));
    expect(response.responses[0]!.partitionResponses[0]).toEqual(expect.objectContaining({ index: 2, errorCode: 0, baseOffset: 15n }));
    await expect(conn.produce(9, makeProduceRequest({ acks: 0 }))).rejects.toThrow(RangeError);
    conn.close();
  });

  it('a version the broker does not serve (Fetch v3) makes it close the connection: pending requests fail retriably', async () => {
    const conn = await connect();
    const before = conn.metadata(12, makeMetadataRequest());
    const unserved = conn.fetch(3, makeFetchRequest({ topics: [makeFetchRequestTopic({ topic: TOPIC, partitions: [makeFetchRequestPartition({ partition: 0 })] })] }));
    const after = conn.metadata(12, makeMetadataRequest());
    expect((await before).brokers).toHaveLength(1);
    const err = await unserved.then(() => undefined, (e: unknown) => e);
    expect(isKafkaClientError(err, 'disconnected')).toBe(true);
    await expect(after).rejects.toBe(err);
    expect(conn.isClosed).toBe(true);
    expect(await conn.closed).toBe(err);
    await expect(conn.metadata(12, makeMetadataRequest())).rejects.toBe(err);
  });

  it('refuses a request its codec cannot encode without touching the connection', async () => {
    const conn = await connect();
    await expect(conn.fetch(17, makeFetchRequest())).rejects.toThrow(/UNSUPPORTED_VERSION/);
    expect(conn.isClosed).toBe(false);
    expect((await conn.metadata(12, makeMetadataRequest())).brokers).toHaveLength(1);
    conn.close();
  });
});
