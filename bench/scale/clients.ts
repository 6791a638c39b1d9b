// The Kafka clients of the scale bench, on the project's own client connection (one
// socket each, requests encoded by the generated codecs): the first Metadata, Produce
// and Fetch against a freshly started broker, and many idle connections.
import { encodeRecordBatch } from '../../libs/broker-core/src/log/batch/record-batch-encoder.js';
import { KafkaClientConnection } from '../../libs/broker-core/src/kafka-client/kafka-client-connection.js';
import { API_KEYS } from '../../libs/broker-core/src/protocol/api-keys.js';
import { makeApiVersionsRequest } from '../../libs/broker-core/src/protocol/apiVersions/request.js';
import { makeFetchRequest, makeFetchRequestPartition, makeFetchRequestTopic } from '../../libs/broker-core/src/protocol/fetch/request.js';
import { makeMetadataRequest, makeMetadataRequestTopic } from '../../libs/broker-core/src/protocol/metadata/request.js';
import { makeProduceRequest, makeProduceRequestPartitionProduceData, makeProduceRequestTopicProduceData } from '../../libs/broker-core/src/protocol/produce/request.js';
import { SystemTimer } from '../../libs/broker-core/src/timer/system-timer.js';

const PRODUCE_VERSION = 7;
const FETCH_VERSION = 11;
const METADATA_VERSION = 9;
const API_VERSIONS_VERSION = 3;

export interface FirstUse {
  readonly metadataMs: number;
  readonly produceMs: number;
  readonly fetchMs: number;
}

/**
 * Connects, asks Metadata for `topic`, produces one record to `partition` (acks=1) and
 * fetches it back: the time each step took, the first use of a partition whose log the
 * broker has not opened since it started.
 */
export async function firstUse(port: number, topic: string, partition: number): Promise<FirstUse> {
  const timer = new SystemTimer();
  const connection = await connect(port, timer, 'bench-scale');
  try {
    let began = performance.now();
    const metadata = await connection.metadata(METADATA_VERSION, makeMetadataRequest({ topics: [makeMetadataRequestTopic({ name: topic })], allowAutoTopicCreation: false }));
    const topicMetadata = metadata.topics[0];
    if (topicMetadata?.errorCode !== 0 || topicMetadata.partitions.length <= partition) throw new Error(`Metadata for ${topic}: error code ${topicMetadata?.errorCode}`);
    const metadataMs = performance.now() - began;

    const batch = encodeRecordBatch({ records: [{ value: Buffer.from('first use') }], defaultTimestamp: BigInt(Date.now()) });
    began = performance.now();
    const produced = await connection.produce(PRODUCE_VERSION, makeProduceRequest({
      acks: 1, timeoutMs: 30_000,
      topicData: [makeProduceRequestTopicProduceData({ name: topic, partitionData: [makeProduceRequestPartitionProduceData({ index: partition, records: batch })] })],
    }));
    const answer = produced.responses[0]?.partitionResponses[0];
    if (answer?.errorCode !== 0) throw new Error(`Produce to ${topic}-${partition}: error code ${answer?.errorCode}`);
    const produceMs = performance.now() - began;

    began = performance.now();
    const fetched = await connection.fetch(FETCH_VERSION, makeFetchRequest({
      replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20,
      topics: [makeFetchRequestTopic({ topic, partitions: [makeFetchRequestPartition({ partition, fetchOffset: answer.baseOffset, partitionMaxBytes: 1 << 20 })] })],
    }));
    const data = fetched.responses[0]?.partitions[0];
    if (data?.errorCode !== 0 || data.records === null || data.records.length === 0) throw new Error(`Fetch of ${topic}-${partition}: error code ${data?.errorCode}, no records`);
    return { metadataMs, produceMs, fetchMs: performance.now() - began };
  } finally {
    connection.close();
    timer.close();
  }
}

/**
 * `count` connections that each did ApiVersions and Metadata (all topics' names are not
 * asked: a client's bootstrap Metadata for one topic), then stay idle until `close`.
 */
export async function idleConnections(port: number, count: number, topic: string): Promise<{ close: () => void }> {
  const timer = new SystemTimer();
  const connections: KafkaClientConnection[] = [];
  const close = (): void => {
    for (const c of connections) c.close();
    timer.close();
  };
  try {
    const batches = 50;
    for (let start = 0; start < count; start += batches) {
      await Promise.all(Array.from({ length: Math.min(batches, count - start) }, async (_, i) => {
        const connection = await connect(port, timer, `bench-idle-${start + i}`);
        connections.push(connection);
        await connection.send(API_KEYS.ApiVersions, API_VERSIONS_VERSION, makeApiVersionsRequest({ clientSoftwareName: 'bench-scale', clientSoftwareVersion: '1' }));
        await connection.metadata(METADATA_VERSION, makeMetadataRequest({ topics: [makeMetadataRequestTopic({ name: topic })], allowAutoTopicCreation: false }));
      }));
    }
  } catch (err) {
    close();
    throw err;
  }
  return { close };
}

function connect(port: number, timer: SystemTimer, clientId: string): Promise<KafkaClientConnection> {
  return KafkaClientConnection.connect({ host: '127.0.0.1', port, clientId, timer, connectTimeoutMs: 30_000, requestTimeoutMs: 120_000, maxResponseBytes: 64 << 20 });
}
