import type { Kafka } from 'kafkajs';
import { kafkaClient, rejectionTypes } from '../support/kafkajs.js';
import { txnGatewayFixture } from './txn-fixture.js';
import { readTopic } from './topic-reader.js';
import { WireProbe } from './wire-probe.js';

// Two kafkajs producers with one transactional.id, as after a producer was presumed dead
// and replaced while it still runs (a zombie). The second InitProducerId bumps the epoch:
// the coordinator aborts what the first left open and from then on rejects the first's
// epoch, as do the partitions it wrote to. Kafka answers PRODUCER_FENCED, which clients
// of kafkajs's protocol versions receive as INVALID_PRODUCER_EPOCH.

const FENCED = ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH'];
const RETRY = { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 };

describe('zombie fencing', () => {
  const fixture = txnGatewayFixture();

  const transactional = (kafka: Kafka, transactionalId: string) =>
    kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: RETRY });

  it("the older producer's sends and commit are rejected once the newer one initialised; its records never become visible", async () => {
    const { gw, admin } = fixture;
    const topic = 'fencing';
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const older = transactional(kafkaClient(gw.bootstrap, RETRY), 'zombie');
    const newer = transactional(kafkaClient(gw.bootstrap, RETRY), 'zombie');
    await older.connect();
    await newer.connect();
    try {
      const zombie = await older.transaction();
      await zombie.send({ topic, acks: -1, messages: [{ partition: 0, value: 'zombie-open' }] });

      // InitProducerId for the same id: the zombie's open transaction is aborted first.
      const current = await newer.transaction();

      // A partition already in the zombie's transaction: the partition leader rejects the old epoch.
      const produceTypes = await rejectionTypes(zombie.send({ topic, acks: -1, messages: [{ partition: 0, value: 'zombie-late' }] }));
      expect(produceTypes.some((t) => FENCED.includes(t))).toBe(true);
      // A new partition: the coordinator rejects AddPartitionsToTxn.
      const addTypes = await rejectionTypes(zombie.send({ topic, acks: -1, messages: [{ partition: 1, value: 'zombie-new-partition' }] }));
      expect(addTypes.some((t) => FENCED.includes(t))).toBe(true);
      const commitTypes = await rejectionTypes(zombie.commit());
      expect(commitTypes.some((t) => FENCED.includes(t))).toBe(true);

      await current.send({ topic, acks: -1, messages: [{ partition: 0, value: 'current-0' }, { partition: 1, value: 'current-1' }] });
      await current.commit();
    } finally {
      await older.disconnect();
      await newer.disconnect();
    }

    const probe = await WireProbe.connect(gw.bootstrap);
    const ends: bigint[] = [];
    try {
      for (const p of [0, 1]) {
        const e = await probe.ends(topic, p);
        expect(e.lastStableOffset).toBe(e.highWatermark);
        ends.push(e.highWatermark);
      }
      // The zombie's first record lies in an aborted transaction.
      expect((await probe.abortedTransactions(topic, 0)).map((a) => a.firstOffset)).toEqual([0n]);
    } finally {
      probe.close();
    }
    expect((await readTopic(gw.bootstrap, topic, 'read_committed', ends)).map((r) => [r.partition, r.value])).toEqual([[0, 'current-0'], [1, 'current-1']]);
    const uncommitted = (await readTopic(gw.bootstrap, topic, 'read_uncommitted', ends)).map((r) => r.value);
    expect(uncommitted).toContain('zombie-open');
    expect(uncommitted.filter((v) => v.startsWith('zombie-') && v !== 'zombie-open')).toEqual([]);
  }, 90_000);
});
