import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterDataList, ProducerData, ProducerDataList, TransactionData } from '@weir/contracts';
import type { Kafka, Producer, Transaction } from 'kafkajs';
import { encodeRecordBatch } from '../../libs/broker-core/src/log/batch/record-batch-encoder.js';
import { waitFor } from '../support/cluster-rest.js';
import { kafkaClient } from '../support/kafkajs.js';
import { call } from '../rest/v3/v3-client.js';
import type { GatewayChild } from '../support/gateway-child.js';
import { startTxnGateway } from './txn-gateway.js';
import { readTopic } from './topic-reader.js';
import { type AbortedRange, type PartitionEnds, WireProbe } from './wire-probe.js';

// A broker SIGKILLed with transactions behind it and one still open, then restarted on
// its data dir: what it recovers from its logs (producer state snapshots, the replayed
// tail, the .txnindex) must equal what it had. Compared before and after: each
// partition's LSO and HW, the aborted transactions a read_committed Fetch lists, the
// producers DescribeProducers reports. Then the producer state is put to use: an old batch
// of the idempotent producer replayed byte for byte is answered as the duplicate it is,
// with its original offset; a gap in its sequence is refused; its next batch is accepted.
// The open transaction is still Ongoing after the restart and is aborted by its timeout.

const TOPIC = 'recovery';
const RETRY = { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 };
const READY_MS = 90_000;
/** Long enough for the kill and the restart (compiling the gateway again) to happen inside it on a loaded machine, short enough to wait out. */
const OPEN_TIMEOUT_MS = 60_000;
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;

interface Snapshot {
  readonly ends: PartitionEnds[];
  readonly aborted: AbortedRange[][];
  readonly producers: ProducerData[][];
}

describe('transactional state across a broker crash', () => {
  let dir: string;
  let gateway: GatewayChild;
  let clusterId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weir-txn-crash-'));
    gateway = await startTxnGateway(dir, READY_MS);
    clusterId = (await call<ClusterDataList>(gateway.baseUrl, 'GET', '/v3/clusters')).body.data[0]!.cluster_id;
  }, READY_MS + 10_000);

  afterAll(async () => {
    await gateway?.kill();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  async function producers(partition: number): Promise<ProducerData[]> {
    const res = await call<ProducerDataList>(gateway.baseUrl, 'GET', `/v3/clusters/${clusterId}/topics/${TOPIC}/partitions/${partition}/producers`);
    if (res.status !== 200) throw new Error(`producers of ${TOPIC}-${partition}: ${res.status} ${JSON.stringify(res.body)}`);
    return [...res.body.data].sort((a, b) => a.producer_id - b.producer_id);
  }

  async function snapshot(): Promise<Snapshot> {
    const probe = await WireProbe.connect(gateway.bootstrap);
    try {
      return {
        ends: [await probe.ends(TOPIC, 0), await probe.ends(TOPIC, 1)],
        aborted: [await probe.abortedTransactions(TOPIC, 0), await probe.abortedTransactions(TOPIC, 1)],
        producers: [await producers(0), await producers(1)],
      };
    } finally {
      probe.close();
    }
  }

  async function transactionState(transactionalId: string): Promise<string> {
    const res = await call<TransactionData>(gateway.baseUrl, 'GET', `/v3/clusters/${clusterId}/transactions/${transactionalId}`);
    if (res.status !== 200) throw new Error(`transaction ${transactionalId}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.state;
  }

  async function inTransaction(kafka: Kafka, transactionalId: string, timeoutMs: number | undefined, body: (txn: Transaction) => Promise<void>): Promise<Producer> {
    const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, transactionTimeout: timeoutMs, retry: RETRY });
    await producer.connect();
    await body(await producer.transaction());
    return producer;
  }

  it('LSO, aborted transactions and producer state are recovered; the open transaction times out afterwards', () => gatewayLogOnFailure(async () => {
    const kafka = kafkaClient(gateway.bootstrap, RETRY);
    const admin = kafka.admin();
    await admin.connect();
    // Segments of a batch or two: recovery then starts from a producer state snapshot taken
    // at a roll and reads the aborted transactions from several segments' .txnindex files.
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2, configEntries: [{ name: 'segment.bytes', value: '200' }] }] });
    await admin.disconnect();
    const send = (txn: Transaction, values: [number, string][]) => txn.send({ topic: TOPIC, acks: -1, messages: values.map(([partition, value]) => ({ partition, value })) });

    // Partition 0: c0 c1 COMMIT a0 a1 ABORT i0 i1 i2 o0   (offsets 0-9)
    // Partition 1: c2 COMMIT a2 ABORT o1                  (offsets 0-4)
    const committing = await inTransaction(kafka, 'rec-commit', undefined, async (txn) => {
      await send(txn, [[0, 'c0'], [0, 'c1'], [1, 'c2']]);
      await txn.commit();
    });
    const aborting = await inTransaction(kafka, 'rec-abort', undefined, async (txn) => {
      await send(txn, [[0, 'a0'], [0, 'a1'], [1, 'a2']]);
      await txn.abort();
    });
    await waitFor('the markers of both transactions written', async () => {
      const probe = await WireProbe.connect(gateway.bootstrap);
      try {
        return (await probe.ends(TOPIC, 0)).lastStableOffset === 6n && (await probe.ends(TOPIC, 1)).lastStableOffset === 4n;
      } finally {
        probe.close();
      }
    }, 10_000, 50);
    const idempotent = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: RETRY });
    await idempotent.connect();
    for (const value of ['i0', 'i1', 'i2']) await idempotent.send({ topic: TOPIC, acks: -1, messages: [{ partition: 0, value }] });
    const open = await inTransaction(kafka, 'rec-open', OPEN_TIMEOUT_MS, async (txn) => {
      await send(txn, [[0, 'o0'], [1, 'o1']]);
    });
    const openedAt = Date.now();

    const before = await snapshot();
    expect(before.ends).toEqual([{ highWatermark: 10n, lastStableOffset: 9n }, { highWatermark: 5n, lastStableOffset: 4n }]);
    expect(before.aborted.map((a) => a.map((r) => r.firstOffset))).toEqual([[3n], [2n]]);
    expect(await transactionState('rec-open')).toBe('Ongoing');
    const [idempotentState] = before.producers[0]!.filter((p) => p.last_sequence === 2 && p.current_transaction_start_offset === null);
    expect(idempotentState).toBeDefined();

    const snapshots = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /recovery-0\/\d{20}\.snapshot$/.test(f));
    expect(snapshots.length).toBeGreaterThan(0);
    const killedAt = Date.now();
    await gateway.kill();
    await gateway.restart(READY_MS);
    console.log(`crash recovery: restarted ${Date.now() - killedAt} ms after the SIGKILL, ${snapshots.length} producer state snapshots of ${TOPIC}-0 on disk`);
    const after = await snapshot();
    expect(Date.now() - openedAt).toBeLessThan(OPEN_TIMEOUT_MS);
    expect(after).toEqual(before);
    expect(await transactionState('rec-open')).toBe('Ongoing');

    // An old batch replayed exactly (producer id, epoch, sequence 1): the duplicate's original offset, nothing written.
    const replay = (baseSequence: number, value: string) => encodeRecordBatch({
      records: [{ value: Buffer.from(value) }], producerId: BigInt(idempotentState!.producer_id), producerEpoch: idempotentState!.producer_epoch, baseSequence, defaultTimestamp: Date.now(),
    });
    const probe = await WireProbe.connect(gateway.bootstrap);
    try {
      expect(await probe.produce(TOPIC, 0, replay(1, 'i1'))).toEqual({ errorCode: 0, baseOffset: 7n });
      expect(await probe.produce(TOPIC, 0, replay(5, 'gap'))).toEqual(expect.objectContaining({ errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER }));
      expect(await probe.ends(TOPIC, 0)).toEqual(before.ends[0]);
    } finally {
      probe.close();
    }
    // The same producer's next batch (sequence 3, over a new connection) is accepted.
    const [next] = await idempotent.send({ topic: TOPIC, acks: -1, messages: [{ partition: 0, value: 'i3' }] });
    expect(next!.baseOffset).toBe('10');

    // The open transaction, reloaded with its start time, is aborted by its timeout: markers at 11 and 5.
    await waitFor('rec-open aborted by its timeout', async () => (await transactionState('rec-open')) === 'CompleteAbort', OPEN_TIMEOUT_MS + 30_000, 200);
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(OPEN_TIMEOUT_MS - 1000);
    const final = await waitFor('the ABORT markers written', async () => {
      const s = await snapshot();
      return s.ends[0]!.lastStableOffset === 12n && s.ends[1]!.lastStableOffset === 6n ? s : undefined;
    }, 10_000, 100);
    expect(final.ends).toEqual([{ highWatermark: 12n, lastStableOffset: 12n }, { highWatermark: 6n, lastStableOffset: 6n }]);
    expect(final.aborted.map((a) => a.map((r) => r.firstOffset))).toEqual([[3n, 9n], [2n, 4n]]);
    for (const producer of [committing, aborting, open, idempotent]) await producer.disconnect();

    const committed = await readTopic(gateway.bootstrap, TOPIC, 'read_committed', [12n, 6n]);
    expect(committed.map((r) => [r.partition, r.value])).toEqual([[0, 'c0'], [0, 'c1'], [0, 'i0'], [0, 'i1'], [0, 'i2'], [0, 'i3'], [1, 'c2']]);
  }), 180_000);

  async function gatewayLogOnFailure(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      throw new Error(`${(err as Error).message}\n\ngateway output (end):\n${gateway.log}`, { cause: err });
    }
  }
});
