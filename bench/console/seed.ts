import type { Admin } from 'kafkajs';
import { encodeRecordBatch } from '../../libs/broker-core/src/log/batch/record-batch-encoder.js';
import { KafkaClientConnection } from '../../libs/broker-core/src/kafka-client/kafka-client-connection.js';
import { API_KEYS } from '../../libs/broker-core/src/protocol/api-keys.js';
import { makeProduceRequest, makeProduceRequestPartitionProduceData, makeProduceRequestTopicProduceData } from '../../libs/broker-core/src/protocol/produce/request.js';
import { makeOffsetCommitRequest, makeOffsetCommitRequestPartition, makeOffsetCommitRequestTopic } from '../../libs/broker-core/src/protocol/offsetCommit/request.js';
import { SystemTimer } from '../../libs/broker-core/src/timer/system-timer.js';

/** Topics per CreateTopics request. */
const TOPICS_PER_REQUEST = 100;
/** Groups per burst of concurrent OffsetCommits. */
const GROUPS_IN_FLIGHT = 50;
/** A commit refused while the coordinator loads is retried this often, this many times. */
const COMMIT_RETRY_MS = 200;
const COMMIT_ATTEMPTS = 150;
/** Produce v7: RecordBatch v2, acks and a timeout, no flexible encoding needed. */
const PRODUCE_VERSION = 7;

export const topicName = (i: number): string => `bench-topic-${String(i).padStart(5, '0')}`;
export const groupName = (i: number): string => `bench-group-${String(i).padStart(4, '0')}`;

/**
 * Creates topics `bench-topic-<from..to-1>` of `partitions` partitions through the Kafka
 * protocol, TOPICS_PER_REQUEST per CreateTopics request (kafkajs waits for each to be in
 * the metadata before the next request). Returns the ms each request took.
 */
export async function createTopics(admin: Admin, from: number, to: number, partitions: number): Promise<number[]> {
  const took: number[] = [];
  for (let start = from; start < to; start += TOPICS_PER_REQUEST) {
    const topics = [];
    for (let i = start; i < Math.min(to, start + TOPICS_PER_REQUEST); i++) topics.push({ topic: topicName(i), numPartitions: partitions });
    const began = performance.now();
    await admin.createTopics({ topics, waitForLeaders: false, timeout: 120_000 });
    took.push(performance.now() - began);
  }
  return took;
}

/**
 * Commits offset 0 of partition 0 of one topic for each of `count` groups: OffsetCommit v5
 * with generation -1 (no member: the groups are empty, as after their consumers stop),
 * GROUPS_IN_FLIGHT at a time on one connection of the project's own client. kafkajs's
 * setOffsets would run a consumer through a rebalance for each group instead. Retried
 * while the coordinator loads `__consumer_offsets`, which the first commit creates.
 */
export async function commitGroups(port: number, count: number, topics: number): Promise<void> {
  await withConnection(port, async (connection) => {
    for (let start = 0; start < count; start += GROUPS_IN_FLIGHT) {
      const burst = [];
      for (let i = start; i < Math.min(count, start + GROUPS_IN_FLIGHT); i++) burst.push(commitGroup(connection, groupName(i), topicName(i % topics)));
      await Promise.all(burst);
    }
  });
}

async function commitGroup(connection: KafkaClientConnection, groupId: string, topic: string): Promise<void> {
  const request = makeOffsetCommitRequest({
    groupId, topics: [makeOffsetCommitRequestTopic({ name: topic, partitions: [makeOffsetCommitRequestPartition({ partitionIndex: 0, committedOffset: 0n })] })],
  });
  for (let attempt = 1; ; attempt++) {
    const response = await connection.send(API_KEYS.OffsetCommit, 5, request);
    const errorCode = response.topics[0]?.partitions[0]?.errorCode;
    if (errorCode === 0) return;
    if (attempt === COMMIT_ATTEMPTS) throw new Error(`OffsetCommit of ${groupId} failed with error code ${errorCode} ${attempt} times`);
    await new Promise((resolve) => setTimeout(resolve, COMMIT_RETRY_MS));
  }
}

/**
 * Produces at least `bytes` of `recordBytes`-byte records to partition 0 of `topic`: one
 * uncompressed batch of `records` records, encoded once and sent again and again (the
 * broker assigns each copy its offsets), `inFlight` Produce requests (acks=1) at a time
 * on one connection of the project's own client, so the seeding is not limited by a
 * client encoding every record. Returns the batch bytes sent.
 */
export async function fillPartition(port: number, topic: string, bytes: number, recordBytes: number, records: number, inFlight: number): Promise<number> {
  const value = Buffer.alloc(recordBytes, 'x');
  const batch = encodeRecordBatch({ records: Array.from({ length: records }, () => ({ value })), defaultTimestamp: BigInt(Date.now()) });
  const request = makeProduceRequest({
    acks: 1, timeoutMs: 30_000, topicData: [makeProduceRequestTopicProduceData({ name: topic, partitionData: [makeProduceRequestPartitionProduceData({ index: 0, records: batch })] })],
  });
  return withConnection(port, async (connection) => {
    let sent = 0;
    const produce = async (): Promise<void> => {
      while (sent < bytes) {
        sent += batch.length;
        const response = await connection.produce(PRODUCE_VERSION, request);
        const errorCode = response.responses[0]?.partitionResponses[0]?.errorCode;
        if (errorCode !== 0) throw new Error(`Produce to ${topic}-0 failed with error code ${errorCode}`);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, produce));
    return sent;
  });
}

/** Runs `use` with a connection of the project's own Kafka client to 127.0.0.1:`port`, closed afterwards. */
async function withConnection<T>(port: number, use: (connection: KafkaClientConnection) => Promise<T>): Promise<T> {
  const timer = new SystemTimer();
  try {
    const connection = await KafkaClientConnection.connect({
      host: '127.0.0.1', port, clientId: 'bench-console', timer, connectTimeoutMs: 10_000, requestTimeoutMs: 120_000, maxResponseBytes: 1 << 20,
    });
    try {
      return await use(connection);
    } finally {
      connection.close();
    }
  } finally {
    timer.close();
  }
}
