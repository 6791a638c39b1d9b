import { afterEach, describe, expect, it } from '@jest/globals';
import kafkajs, { type Producer } from 'kafkajs';
import type { TransactionDescription } from '../broker/broker-api.js';
import { FAST_REPLICATION, LocalClusterHarness, until } from '../cluster/testing/local-cluster-harness.js';

/**
 * The coordinator moving between brokers: three brokers in one process (LocalCluster, real
 * TCP, real time), `__transaction_state` replicated to all three, a kafkajs transactional
 * producer. The broker coordinating its id crashes with the transaction open; the new
 * leader of the id's partition loads it (the open transaction with its start time and
 * partitions), the producer finds it and commits there, and the markers reach every
 * partition: the LSO catches up with the HW.
 */
let harness: LocalClusterHarness | undefined;
const producers: Producer[] = [];

afterEach(async () => {
  for (const p of producers.splice(0)) await p.disconnect().catch(() => undefined);
  await harness?.close();
  harness = undefined;
});

async function describeOrUndefined(id: string): Promise<TransactionDescription | undefined> {
  return harness!.cluster.describeTransaction(id).catch(() => undefined);
}

describe('the transaction coordinator in a cluster', () => {
  it('an open transaction survives its coordinator crashing and commits on the next one', async () => {
    harness = await LocalClusterHarness.start([1, 2, 3], {
      ...FAST_REPLICATION, transactionStateLogNumPartitions: 3, offsetsTopicNumPartitions: 3, autoLeaderRebalanceEnable: false,
    });
    const { cluster } = harness;
    await cluster.createTopic({ name: 'out', partitions: 3, replicationFactor: 3 });
    const bootstraps = cluster.hostedBrokers().map((b) => `127.0.0.1:${b.kafkaPort!}`);
    const kafka = new kafkajs.Kafka({
      clientId: 'txn-cluster-spec', brokers: bootstraps, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    const producer = kafka.producer({ transactionalId: 'mover', idempotent: true, maxInFlightRequests: 1, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 } });
    producers.push(producer);
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic: 'out', acks: -1, messages: [0, 1, 2].map((partition) => ({ partition, value: `before-${partition}` })) });
    // __transaction_state exists now (the producer's FindCoordinator created it): wait until all three replicas hold each partition.
    await until('__transaction_state fully replicated', () => {
      const topic = cluster.listTopics({ includeInternal: true }).find((t) => t.name === '__transaction_state');
      return topic !== undefined && topic.partitions.every((p) => p.isr.length === 3);
    }, 30_000);

    const before = (await describeOrUndefined('mover'))!;
    expect(before).toMatchObject({ state: 'Ongoing', partitions: expect.arrayContaining([{ topic: 'out', partition: 0 }]) });

    await cluster.stopBroker(before.coordinatorId, { controlled: false });
    let moved: TransactionDescription | undefined;
    await until('another broker to coordinate the id', () => {
      void describeOrUndefined('mover').then((d) => (moved = d));
      return moved !== undefined && moved.coordinatorId !== before.coordinatorId;
    }, 30_000);
    expect(moved).toMatchObject({ state: 'Ongoing', producerId: before.producerId, producerEpoch: before.producerEpoch, transactionStartTimeMs: before.transactionStartTimeMs });
    expect(moved!.partitions).toHaveLength(3);

    await txn.send({ topic: 'out', acks: -1, messages: [0, 1, 2].map((partition) => ({ partition, value: `after-${partition}` })) });
    await txn.commit();
    let done: TransactionDescription | undefined;
    await until('the commit to complete', () => {
      void describeOrUndefined('mover').then((d) => (done = d));
      return done?.state === 'CompleteCommit';
    }, 30_000);
    await until('every partition stable', () => cluster.describeTopic('out').partitions.every((p) => p.lastStableOffset === p.highWatermark && p.highWatermark > 0n), 30_000);
    for (const p of cluster.describeTopic('out').partitions) {
      expect(await cluster.countControlRecords('out', p.partition, 0n, p.highWatermark)).toBe(1);
    }
  }, 120_000);
});
