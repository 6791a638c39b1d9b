import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { iterateBatches } from '../log/batch/record-batch-decoder.js';
import { FAST_REPLICATION, LocalClusterHarness, until } from './testing/local-cluster-harness.js';

const TOPIC = 'txn-spread';

/**
 * Transactions across three brokers of one LocalCluster: a kafkajs transactional producer
 * writes to partitions led by different brokers, so the coordinator's markers go to its
 * own partitions by append and to the others by WriteTxnMarkers over TCP. Read back
 * through the LocalCluster (each partition from its leader), as read_committed sees it.
 */
describe('transactions across a LocalCluster', () => {
  let harness: LocalClusterHarness;
  let producer: Producer;
  let kafka: Kafka;

  beforeAll(async () => {
    harness = await LocalClusterHarness.start([1, 2, 3], { ...FAST_REPLICATION, transactionStateLogNumPartitions: 3, offsetsTopicNumPartitions: 3 });
    const { cluster } = harness;
    await cluster.createTopic({ name: TOPIC, partitions: 3, replicationFactor: 3 });
    await until('every partition has a leader', () => cluster.describeTopic(TOPIC).partitions.every((p) => p.leader > 0));
    const brokers = cluster.hostedBrokers().map((b) => `127.0.0.1:${b.kafkaPort}`);
    kafka = new Kafka({ clientId: 'txn-spec', brokers, logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
    producer = kafka.producer({ transactionalId: 'spread-1', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 60_000);

  afterAll(async () => {
    await producer?.disconnect();
    await harness?.close();
  }, 30_000);

  it('commits and aborts across partitions led by different brokers; read_committed skips the aborted ones', async () => {
    const { cluster } = harness;
    expect(new Set(cluster.describeTopic(TOPIC).partitions.map((p) => p.leader)).size).toBeGreaterThan(1);
    const messages = (tag: string) => [0, 1, 2].map((partition) => ({ partition, key: tag, value: `${tag}-${partition}` }));

    const committed = await producer.transaction();
    await committed.send({ topic: TOPIC, messages: messages('commit') });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic: TOPIC, messages: messages('abort') });
    // While open: every partition's LSO is held at the aborted transaction's first record.
    const open = cluster.describeTopic(TOPIC).partitions;
    for (const p of open) expect(p.lastStableOffset).toBeLessThan(p.highWatermark);
    expect((await cluster.describeTransaction('spread-1')).state).toBe('Ongoing');
    await aborted.abort();

    await until('every LSO reaches the HW', () => cluster.describeTopic(TOPIC).partitions.every((p) => p.lastStableOffset === p.highWatermark && p.highWatermark === 4n), 20_000);
    const results = await cluster.fetch([0, 1, 2].map((partition) => ({ topic: TOPIC, partition, fetchOffset: 0n, maxBytes: 1 << 20 })), { isolation: 'read_committed' });
    for (const r of results) {
      expect(r.errorCode).toBe(0);
      // Data, COMMIT marker, data, ABORT marker: the aborted transaction is listed for the consumer to drop.
      expect(r.abortedTransactions).toEqual([{ producerId: expect.any(BigInt), firstOffset: 2n }]);
      const batches = [...iterateBatches(r.records, 0)];
      expect(batches.map((b) => [b.baseOffset, b.isControl, b.isTransactional])).toEqual([[0n, false, true], [1n, true, true], [2n, false, true], [3n, true, true]]);
    }
    // The coordinator writes CompleteAbort once every marker is acknowledged.
    let listed = await cluster.listTransactions();
    const deadline = Date.now() + 10_000;
    while (listed[0]?.state !== 'CompleteAbort' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      listed = await cluster.listTransactions();
    }
    expect(listed).toEqual([expect.objectContaining({ transactionalId: 'spread-1', state: 'CompleteAbort' })]);
    const producers = await cluster.describeProducers(TOPIC, 0);
    expect(producers).toEqual([expect.objectContaining({ producerId: listed[0]!.producerId, currentTxnStartOffset: -1n })]);
  }, 60_000);

  it('a read_committed kafkajs consumer sees only the committed records', async () => {
    const consumer = kafka.consumer({ groupId: 'txn-spread-reader', readUncommitted: false });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
      await until('three committed records read', () => seen.length >= 3, 20_000);
    } finally {
      await consumer.disconnect();
    }
    expect(seen.sort()).toEqual(['commit-0', 'commit-1', 'commit-2']);
  }, 60_000);
});
