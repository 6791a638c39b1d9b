import type { Admin, Kafka, Producer, Transaction } from 'kafkajs';
import {
  consumerGroupLagSummaryDataSchema, consumerLagDataListSchema, partitionDataSchema, producerDataListSchema, type TransactionData, transactionDataListSchema,
  transactionDataSchema,
} from '@weir/contracts';
import { LiveClient } from '../../live/live-client.js';
import { waitFor } from '../../support/cluster-rest.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { kafkaClient, kafkaErrors } from '../../support/kafkajs.js';
import { call, type ErrorBody } from './v3-client.js';

const until = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000) => waitFor(what, check, timeoutMs, 50);

/**
 * The transactions resources through the real gateway, with a kafkajs transactional
 * producer holding a transaction open on `txn-out` (partition 0: three plain records,
 * then the transaction's first record at offset 3, so its LSO stays at 3 below a HW of 4).
 */
describe('REST v3 transactions: list, describe, producers, LSO, lag isolation, admin abort', () => {
  let gw: TestGateway;
  let base: string;
  let kafka: Kafka;
  let admin: Admin;
  let plain: Producer;
  let transactional: Producer;
  let txn: Transaction;
  let live: LiveClient;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gw.baseUrl, method, path, body);
  const describeTxn = async (id: string) => transactionDataSchema.parse((await api('GET', `${base}/transactions/${id}`)).body);

  beforeAll(async () => {
    gw = await startTestGateway({ env: { WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS: '0' } });
    base = `/v3/clusters/${gw.cluster.clusterId}`;
    kafka = kafkaClient(gw.bootstrap);
    admin = kafka.admin();
    plain = kafka.producer();
    transactional = kafka.producer({ transactionalId: 'rest-txn', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60_000 });
    await Promise.all([admin.connect(), plain.connect(), transactional.connect()]);
    await admin.createTopics({ topics: [{ topic: 'txn-out', numPartitions: 2 }] });
    await plain.send({ topic: 'txn-out', messages: [0, 1, 2].map((i) => ({ partition: 0, value: `plain-${i}` })) });
    txn = await transactional.transaction();
    await txn.send({ topic: 'txn-out', messages: [{ partition: 0, value: 'in-txn-0' }, { partition: 1, value: 'in-txn-1' }] });
    live = await LiveClient.connect(gw.baseUrl);
  }, 60_000);

  afterAll(async () => {
    await live?.close();
    await Promise.all([admin?.disconnect(), plain?.disconnect(), transactional?.disconnect()]);
    await gw?.close();
  }, 30_000);

  it('lists the open transaction, described, and filters by state and producer id', async () => {
    const list = transactionDataListSchema.parse((await api('GET', `${base}/transactions`)).body);
    const open = list.data.find((t) => t.transactional_id === 'rest-txn');
    expect(open).toMatchObject({ state: 'Ongoing', partitions_count: 2, transaction_timeout_ms: 60_000, coordinator_id: 1 });
    expect(open!.age_ms).toBeGreaterThanOrEqual(0);

    const ongoing = transactionDataListSchema.parse((await api('GET', `${base}/transactions?state=Ongoing,PrepareAbort`)).body);
    expect(ongoing.data.map((t) => t.transactional_id)).toContain('rest-txn');
    expect(ongoing.metadata.self).toBe(`${gw.baseUrl}${base}/transactions?state=Ongoing%2CPrepareAbort`);
    const committed = transactionDataListSchema.parse((await api('GET', `${base}/transactions?state=CompleteCommit`)).body);
    expect(committed.data.map((t) => t.transactional_id)).not.toContain('rest-txn');
    const byProducer = transactionDataListSchema.parse((await api('GET', `${base}/transactions?producer_id=${open!.producer_id}`)).body);
    expect(byProducer.data.map((t) => t.transactional_id)).toEqual(['rest-txn']);
    const longOpen = transactionDataListSchema.parse((await api('GET', `${base}/transactions?min_duration_ms=3600000`)).body);
    expect(longOpen.data.map((t) => t.transactional_id)).not.toContain('rest-txn');
  });

  it('describes one transactional id: producer, epoch, timeout, start time, partitions, coordinator', async () => {
    const t = await describeTxn('rest-txn');
    expect([...t.partitions].sort((a, b) => a.partition_id - b.partition_id)).toEqual([{ topic_name: 'txn-out', partition_id: 0 }, { topic_name: 'txn-out', partition_id: 1 }]);
    expect(t.transaction_start_time).toBe(new Date(t.transaction_start_time_ms).toISOString());
    expect(Date.now() - t.transaction_start_time_ms).toBeLessThan(120_000);
    expect(t.producer_id).toBeGreaterThanOrEqual(0);
    expect(t.producer_epoch).toBeGreaterThanOrEqual(0);
    expect(t.coordinator.related).toBe(`${gw.baseUrl}${base}/brokers/1`);
    expect(t.abort.related).toBe(`${gw.baseUrl}${base}/transactions/rest-txn:abort`);
    expect(t.metadata.resource_name).toBe(`crn:///kafka=${gw.cluster.clusterId}/transaction=rest-txn`);
  });

  it('shows the LSO held back by the open transaction, in partition data and read metadata', async () => {
    const p0 = partitionDataSchema.parse((await api('GET', `${base}/topics/txn-out/partitions/0`)).body);
    expect({ hw: p0.high_watermark, lso: p0.last_stable_offset }).toEqual({ hw: 4, lso: 3 });
    const read = await api<{ high_watermark: number; last_stable_offset: number }>('GET', `${base}/topics/txn-out/partitions/0/records?from=oldest`);
    expect({ hw: read.body.high_watermark, lso: read.body.last_stable_offset }).toEqual({ hw: 4, lso: 3 });
  });

  it('lists the partition\'s producers with the open transaction\'s first offset', async () => {
    const t = await describeTxn('rest-txn');
    const producers = producerDataListSchema.parse((await api('GET', `${base}/topics/txn-out/partitions/0/producers`)).body).data;
    const mine = producers.find((p) => p.producer_id === t.producer_id);
    expect(mine).toMatchObject({ producer_epoch: t.producer_epoch, current_transaction_start_offset: 3, last_sequence: 0 });
    const other = producers.filter((p) => p.producer_id !== t.producer_id);
    expect(other.every((p) => p.current_transaction_start_offset === null)).toBe(true);
    expect((await api<ErrorBody>('GET', `${base}/topics/txn-out/partitions/9/producers`)).body.error_code).toBe(40403);
    expect((await api<ErrorBody>('GET', `${base}/topics/nope/partitions/0/producers`)).status).toBe(404);
  });

  it('measures lag to the HW or the LSO as isolation_level asks, and says which', async () => {
    const reset = await api('POST', `${base}/consumer-groups/txn-reader/offsets:reset`, {
      mode: 'offset', offset: 0, partitions: [{ topic_name: 'txn-out', partition_id: 0 }], dry_run: false,
    });
    expect(reset.status).toBe(200);
    const lags = (isolation: string) => api(`GET`, `${base}/consumer-groups/txn-reader/lags?isolation_level=${isolation}`);
    const uncommitted = consumerLagDataListSchema.parse((await lags('read_uncommitted')).body).data;
    expect(uncommitted.map((l) => [l.partition_id, l.log_end_offset, l.lag, l.isolation_level])).toEqual([[0, 4, 4, 'read_uncommitted']]);
    const committed = consumerLagDataListSchema.parse((await lags('read_committed')).body).data;
    expect(committed.map((l) => [l.partition_id, l.log_end_offset, l.lag, l.isolation_level])).toEqual([[0, 3, 3, 'read_committed']]);
    const summary = consumerGroupLagSummaryDataSchema.parse((await api('GET', `${base}/consumer-groups/txn-reader/lag-summary?isolation_level=read_committed`)).body);
    expect(summary).toMatchObject({ total_lag: 3, isolation_level: 'read_committed' });

    const bad = await api<ErrorBody>('GET', `${base}/consumer-groups/txn-reader/lags?isolation_level=serializable`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('isolation_level');
  });

  it('pushes the transactional ids on the live transactions channel, and the LSO with the HW on the topic\'s', async () => {
    live.send({ op: 'subscribe', channel: 'transactions' });
    const frame = await live.waitFor((f) => f.type === 'transactions' && f.transactions.some((t) => t.transactional_id === 'rest-txn' && t.state === 'Ongoing'));
    expect(frame.type === 'transactions' && frame.transactions.find((t) => t.transactional_id === 'rest-txn')?.partitions_count).toBe(2);

    live.send({ op: 'subscribe', channel: 'topic:txn-out' });
    const snapshot = await live.waitFor((f) => f.type === 'partitions' && f.topic === 'txn-out');
    const p0 = snapshot.type === 'partitions' ? snapshot.partitions.find((p) => p.partition === 0) : undefined;
    expect(p0).toMatchObject({ high_watermark: 4, last_stable_offset: 3 });
  });

  it('aborts the open transaction as an admin: the producer is fenced, the LSO moves on, a second abort is 409', async () => {
    const before = await describeTxn('rest-txn');
    const aborted = await api<TransactionData>('POST', `${base}/transactions/rest-txn:abort`);
    expect(aborted.status).toBe(200);
    const answer = transactionDataSchema.parse(aborted.body);
    expect(['PrepareAbort', 'CompleteAbort']).toContain(answer.state);
    expect(answer.producer_epoch).toBeGreaterThan(before.producer_epoch);

    await until('the abort to complete', async () => (await describeTxn('rest-txn')).state === 'CompleteAbort');
    expect(await describeTxn('rest-txn')).toMatchObject({ age_ms: null, partitions_count: 0 });
    await until('the LSO to reach the HW', async () => {
      const p0 = partitionDataSchema.parse((await api('GET', `${base}/topics/txn-out/partitions/0`)).body);
      return p0.high_watermark === 5 && p0.last_stable_offset === 5;
    });
    await live.waitFor((f) => f.type === 'transactions' && f.transactions.some((t) => t.transactional_id === 'rest-txn' && t.state === 'CompleteAbort'));
    // The marker moved the HW; the frame that says so carries the LSO, caught up with it.
    await live.waitFor((f) => f.type === 'partitions' && f.topic === 'txn-out' && f.partitions.some((p) => p.partition === 0 && p.high_watermark === 5 && p.last_stable_offset === 5));

    const commit = await txn.commit().then(() => undefined, (err: unknown) => err);
    expect(commit).toBeDefined();
    expect(kafkaErrors(commit).map((e) => e.type)).toEqual(expect.arrayContaining([expect.stringMatching(/^(PRODUCER_FENCED|INVALID_PRODUCER_EPOCH)$/)]));

    const again = await api<ErrorBody>('POST', `${base}/transactions/rest-txn:abort`);
    expect(again.status).toBe(409);
    expect(again.body.error_code).toBe(40901);
  });
});
