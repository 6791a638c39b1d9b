import type { BrokerApi } from '@weir/broker-core';
import type { PartitionData, TransactionData, TransactionDataList } from '@weir/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { BROKER } from '../../apps/gateway/src/broker/broker.module.js';
import { waitFor } from '../support/cluster-rest.js';
import { kafkaClient, rejectionTypes } from '../support/kafkajs.js';
import { call } from '../rest/v3/v3-client.js';
import { txnGatewayFixture } from './txn-fixture.js';
import { readTopic } from './topic-reader.js';
import { WireProbe, type PartitionEnds } from './wire-probe.js';

// The Last Stable Offset of a partition through a transaction's life, as clients see it
// (ListOffsets read_committed vs read_uncommitted) and as the REST door shows it: it stays
// at the transaction's first offset while the transaction is open, however far other
// producers move the HW, and moves on once the marker is written: on commit, on abort, and
// when the coordinator aborts a transaction left open past its transaction.timeout.ms.
// Until then the hanging transaction is listed as Ongoing.

const TOPIC = 'lso';
const RETRY = { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 };
/** The hanging transaction's transaction.timeout.ms: room for a few requests on a loaded machine before it expires. */
const TIMEOUT_MS = 5000;

describe('last stable offset', () => {
  const fixture = txnGatewayFixture();
  let clusterId: string;
  let kafka: Kafka;
  let plain: Producer;
  let probe: WireProbe;
  const baseUrl = () => fixture.gw.baseUrl;

  beforeAll(async () => {
    const { gw, admin } = fixture;
    clusterId = gw.get<BrokerApi>(BROKER).clusterId;
    kafka = kafkaClient(gw.bootstrap, RETRY);
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
    plain = kafka.producer({ allowAutoTopicCreation: false });
    await plain.connect();
    probe = await WireProbe.connect(gw.bootstrap);
  }, 60_000);

  afterAll(async () => {
    probe?.close();
    await plain?.disconnect();
  }, 30_000);

  const transactional = (transactionalId: string, transactionTimeout?: number) =>
    kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, transactionTimeout, retry: RETRY });

  const write = (producer: Pick<Producer, 'send'>, ...values: string[]) => producer.send({ topic: TOPIC, acks: -1, messages: values.map((value) => ({ value })) });

  /** The partition's ends over the Kafka protocol, with REST's view of the same partition checked against them. */
  async function ends(): Promise<PartitionEnds> {
    const wire = await probe.ends(TOPIC, 0);
    const rest = await call<PartitionData>(baseUrl(), 'GET', `/v3/clusters/${clusterId}/topics/${TOPIC}/partitions/0`);
    expect(rest.status).toBe(200);
    expect([rest.body.last_stable_offset, rest.body.high_watermark]).toEqual([Number(wire.lastStableOffset), Number(wire.highWatermark)]);
    return wire;
  }

  /** Polls until the LSO reaches `lastStableOffset` (markers are written after EndTxn is answered). */
  const settlesAt = (lastStableOffset: bigint, highWatermark: bigint) =>
    waitFor(`LSO ${lastStableOffset}, HW ${highWatermark}`, async () => {
      const e = await ends();
      return e.lastStableOffset === lastStableOffset && e.highWatermark === highWatermark;
    }, 10_000, 50);

  async function transactionsInState(state: string): Promise<string[]> {
    const res = await call<TransactionDataList>(baseUrl(), 'GET', `/v3/clusters/${clusterId}/transactions`);
    expect(res.status).toBe(200);
    return res.body.data.filter((t) => t.state === state).map((t) => t.transactional_id);
  }

  it('stalls at the first offset of an open transaction while the HW moves on, and advances on commit', async () => {
    await write(plain, 'plain-0', 'plain-1');
    expect(await ends()).toEqual({ highWatermark: 2n, lastStableOffset: 2n });
    const producer = transactional('lso-commit');
    await producer.connect();
    try {
      const txn = await producer.transaction();
      await write(txn, 'committed-0', 'committed-1', 'committed-2');
      expect(await ends()).toEqual({ highWatermark: 5n, lastStableOffset: 2n });
      await write(plain, 'plain-2', 'plain-3');
      expect(await ends()).toEqual({ highWatermark: 7n, lastStableOffset: 2n });
      expect(await transactionsInState('Ongoing')).toContain('lso-commit');
      await txn.commit();
      // The COMMIT marker takes offset 7.
      await settlesAt(8n, 8n);
    } finally {
      await producer.disconnect();
    }
  }, 60_000);

  it('advances on abort; read_committed Fetch lists the aborted range', async () => {
    const producer = transactional('lso-abort');
    await producer.connect();
    try {
      const txn = await producer.transaction();
      await write(txn, 'aborted-0', 'aborted-1');
      await write(plain, 'plain-4');
      expect(await ends()).toEqual({ highWatermark: 11n, lastStableOffset: 8n });
      await txn.abort();
      await settlesAt(12n, 12n);
    } finally {
      await producer.disconnect();
    }
    expect((await probe.abortedTransactions(TOPIC, 0)).map((a) => a.firstOffset)).toEqual([8n]);
  }, 60_000);

  it('a transaction left open past its timeout is Ongoing until the coordinator aborts it; its producer is fenced', async () => {
    const producer = transactional('lso-hanging', TIMEOUT_MS);
    await producer.connect();
    try {
      const txn = await producer.transaction();
      await write(txn, 'hanging-0');
      const opened = Date.now();
      await write(plain, 'plain-5');
      expect(await ends()).toEqual({ highWatermark: 14n, lastStableOffset: 12n });
      expect(await transactionsInState('Ongoing')).toEqual(['lso-hanging']);
      // Aborted by the timeout: marker at 14.
      await waitFor('the hanging transaction aborted by its timeout', async () => (await ends()).lastStableOffset === 15n, 30_000, 50);
      expect(Date.now() - opened).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(await ends()).toEqual({ highWatermark: 15n, lastStableOffset: 15n });
      expect(await transactionsInState('Ongoing')).toEqual([]);
      const described = await call<TransactionData>(baseUrl(), 'GET', `/v3/clusters/${clusterId}/transactions/lso-hanging`);
      expect([described.status, described.body.state]).toEqual([200, 'CompleteAbort']);
      // The abort bumped the epoch: the producer that timed out cannot commit.
      expect((await rejectionTypes(txn.commit())).some((t) => t === 'PRODUCER_FENCED' || t === 'INVALID_PRODUCER_EPOCH')).toBe(true);
    } finally {
      await producer.disconnect();
    }
    expect((await probe.abortedTransactions(TOPIC, 0)).map((a) => a.firstOffset)).toEqual([8n, 12n]);
    const committedValues = (await readTopic(fixture.gw.bootstrap, TOPIC, 'read_committed', [15n])).map((r) => r.value);
    expect(committedValues).toEqual(['plain-0', 'plain-1', 'committed-0', 'committed-1', 'committed-2', 'plain-2', 'plain-3', 'plain-4', 'plain-5']);
  }, 60_000);
});
