import type { TransactionData, PartitionData } from '@weir/contracts';
import type { Producer } from 'kafkajs';
import { clusterKafkaClient } from '../support/cluster-kafkajs.js';
import { waitFor } from '../support/cluster-rest.js';
import { call } from '../rest/v3/v3-client.js';
import { txnGatewayFixture } from './txn-fixture.js';
import { readTopic } from './topic-reader.js';
import { WireProbe } from './wire-probe.js';

// Transactions in flight when their coordinator stops, on three brokers hosted by one
// gateway: the broker that takes over the id's __transaction_state partition loads the
// transaction as it was. A producer that carries on finds the new coordinator and commits;
// a transaction nobody finishes is aborted by its timeout, counted from when it started.

const RETRY = { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 };
const HANGING_TIMEOUT_MS = 8000;

describe('transactions across a coordinator move', () => {
  const fixture = txnGatewayFixture({
    WEIR_BROKERS: '3', WEIR_AUTO_LEADER_REBALANCE_ENABLE: 'false', WEIR_SESSION_TIMEOUT_MS: '3000',
    WEIR_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '3', WEIR_DEFAULT_REPLICATION_FACTOR: '3',
  });
  const api = <T>(path: string) => call<T>(fixture.gw.baseUrl, 'GET', `/v3/clusters/${fixture.gw.cluster.clusterId}${path}`);

  async function transaction(transactionalId: string): Promise<TransactionData> {
    const res = await api<TransactionData>(`/transactions/${transactionalId}`);
    if (res.status !== 200) throw new Error(`transaction ${transactionalId}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** LSO = HW on the partition, asked of its current leader over the Kafka protocol. */
  async function settled(topic: string): Promise<bigint> {
    return waitFor(`${topic}-0: LSO at the HW`, async () => {
      const partition = (await api<PartitionData>(`/topics/${topic}/partitions/0`)).body;
      if (partition.leader_id === null || partition.leader_id === undefined) return undefined;
      const leader = fixture.gw.cluster.hostedBrokers().find((b) => b.brokerId === partition.leader_id);
      if (leader?.kafkaPort === null || leader?.kafkaPort === undefined) return undefined;
      const probe = await WireProbe.connect(`127.0.0.1:${leader.kafkaPort}`);
      try {
        const ends = await probe.ends(topic, 0);
        return ends.lastStableOffset === ends.highWatermark ? ends.highWatermark : undefined;
      } finally {
        probe.close();
      }
    }, 30_000, 100);
  }

  /** A running broker's Kafka address. */
  function runningBootstrap(): string {
    const broker = fixture.gw.cluster.hostedBrokers().find((b) => b.running && b.kafkaPort !== null);
    if (broker === undefined) throw new Error('no running broker');
    return `127.0.0.1:${broker.kafkaPort}`;
  }

  function producer(transactionalId: string, transactionTimeout: number): Producer {
    return clusterKafkaClient(fixture.gw.bootstraps, RETRY).producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, transactionTimeout, retry: RETRY });
  }

  /** Stops the broker coordinating `transactionalId` as after a crash; returns its id. */
  async function stopCoordinatorOf(transactionalId: string): Promise<number> {
    const coordinator = (await transaction(transactionalId)).coordinator_id;
    await fixture.gw.cluster.stopBroker(coordinator, { controlled: false });
    await waitFor(`another broker coordinating ${transactionalId}`, async () => (await transaction(transactionalId)).coordinator_id !== coordinator, 30_000, 100);
    return coordinator;
  }

  it('a producer whose coordinator stopped mid-transaction commits through the new one', async () => {
    const topic = 'moved-commit';
    await fixture.admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 3 }] });
    const mover = producer('mover', 60_000);
    await mover.connect();
    let stopped: number | undefined;
    try {
      const txn = await mover.transaction();
      await txn.send({ topic, acks: -1, messages: [{ value: 'before-move' }] });
      stopped = await stopCoordinatorOf('mover');
      expect((await transaction('mover')).state).toBe('Ongoing');
      await txn.send({ topic, acks: -1, messages: [{ value: 'after-move' }] });
      await txn.commit();
    } finally {
      await mover.disconnect();
    }
    const end = await settled(topic);
    expect((await transaction('mover')).state).toBe('CompleteCommit');
    expect((await readTopic(runningBootstrap(), topic, 'read_committed', [end])).map((r) => r.value)).toEqual(['before-move', 'after-move']);
    await fixture.gw.cluster.startBroker(stopped);
  }, 120_000);

  it('a transaction left open across the move is aborted by its timeout', async () => {
    const topic = 'moved-hanging';
    await fixture.admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 3 }] });
    const hanging = producer('hanging', HANGING_TIMEOUT_MS);
    await hanging.connect();
    try {
      const txn = await hanging.transaction();
      await txn.send({ topic, acks: -1, messages: [{ value: 'never-committed' }] });
      const started = (await transaction('hanging')).transaction_start_time_ms;
      const stopped = await stopCoordinatorOf('hanging');
      const moved = await transaction('hanging');
      expect([moved.state, moved.transaction_start_time_ms]).toEqual(['Ongoing', started]);
      await waitFor('the hanging transaction aborted by its timeout', async () => (await transaction('hanging')).state === 'CompleteAbort', HANGING_TIMEOUT_MS + 30_000, 100);
      const end = await settled(topic);
      expect((await readTopic(runningBootstrap(), topic, 'read_committed', [end])).map((r) => r.value)).toEqual([]);
      await fixture.gw.cluster.startBroker(stopped);
    } finally {
      await hanging.disconnect();
    }
  }, 120_000);
});
