import { afterEach, describe, expect, it } from '@jest/globals';
import { KAFKA_ERRORS as E } from '../errors.js';
import { TRANSACTION_STATE_TOPIC } from './transaction-log-record.js';
import { TxnHarness } from './testing/txn-harness.js';

/**
 * What survives the coordinator: a new coordinator loading `__transaction_state` where
 * the old one stopped, leadership leaving and coming back, and ids expiring with
 * tombstones. Real broker, mock clock. (Brokers killed and restarted, with the broker's
 * own coordinator and marker router: transaction-cluster.spec.ts.)
 */
let t: TxnHarness;

afterEach(async () => {
  await t?.close();
});

const ID = 'txn-r';
const parts = (...ps: number[]) => ps.map((partition) => ({ topic: 't', partition }));

async function openTransaction(timeoutMs = 60_000) {
  const p = await t.coordinator.initProducerId({ transactionalId: ID, transactionTimeoutMs: timeoutMs, producerId: -1n, producerEpoch: -1 });
  const producer = { transactionalId: ID, producerId: p.producerId, producerEpoch: p.producerEpoch };
  expect(await t.coordinator.addPartitionsToTxn({ ...producer, partitions: parts(0, 2) })).toBe(0);
  return producer;
}

describe('loading', () => {
  it('a commit whose markers were not all written is completed by the next coordinator', async () => {
    t = await TxnHarness.start();
    const producer = await openTransaction();
    t.markers.hold();
    expect(await t.coordinator.endTxn({ ...producer, committed: true })).toBe(0);
    await t.moveCoordinator();
    expect(t.coordinator.describeTransaction(ID)).toMatchObject({ state: 'PrepareCommit', partitions: parts(0, 2) });
    t.markers.release();
    await t.until('the commit to complete', () => t.coordinator.describeTransaction(ID).state === 'CompleteCommit');
    const leaderEpoch = t.broker.describeTopic(TRANSACTION_STATE_TOPIC).partitions[t.coordinator.partitionFor(ID)]!.leaderEpoch;
    const resent = t.markers.entries.at(-1)!;
    expect(resent).toMatchObject({ producerId: producer.producerId, producerEpoch: 0, result: 'COMMIT', coordinatorEpoch: leaderEpoch, partitions: parts(0, 2) });
    expect(t.stateRecords(ID).map((r) => r?.state)).toEqual(['Empty', 'Ongoing', 'PrepareCommit', 'CompleteCommit']);
  });

  it('an open transaction keeps its start time across a coordinator move, so its timeout still applies', async () => {
    t = await TxnHarness.start();
    const timeoutMs = 120_000;
    const producer = await openTransaction(timeoutMs);
    const startedMs = t.time.milliseconds();
    await t.advance(60_000, 1000);
    await t.moveCoordinator();
    const deadlineMs = startedMs + timeoutMs;
    expect(t.coordinator.describeTransaction(ID)).toMatchObject({ state: 'Ongoing', transactionStartTimeMs: startedMs });
    await t.advance(deadlineMs - 1000 - t.time.milliseconds(), 1000);
    expect(t.coordinator.describeTransaction(ID).state).toBe('Ongoing');
    await t.advance(2500, 500);
    await t.until('the timed-out transaction to be aborted', () => t.coordinator.describeTransaction(ID).state === 'CompleteAbort');
    expect(await t.coordinator.endTxn({ ...producer, committed: true })).toBe(E.PRODUCER_FENCED.code);
  });

  it('answers NOT_COORDINATOR once leadership is gone, and reloads the same state when it is back', async () => {
    t = await TxnHarness.start();
    const producer = await openTransaction();
    t.lead(false);
    expect(await t.coordinator.endTxn({ ...producer, committed: false })).toBe(E.NOT_COORDINATOR.code);
    expect(() => t.coordinator.describeTransaction(ID)).toThrow(expect.objectContaining({ errorName: 'NOT_COORDINATOR' }) as unknown as Error);
    expect(t.coordinator.listTransactions().transactions).toEqual([]);
    t.lead(true);
    expect(t.coordinator.describeTransaction(ID)).toMatchObject({ state: 'Ongoing', producerId: producer.producerId, partitions: parts(0, 2) });
    expect(await t.coordinator.endTxn({ ...producer, committed: false })).toBe(0);
  });

  it('answers COORDINATOR_LOAD_IN_PROGRESS while a partition loads slice by slice on the timer', async () => {
    t = await TxnHarness.start({ transactionStateLogLoadBufferSize: 1 });
    for (let i = 0; i < 4; i++) await t.coordinator.initProducerId({ transactionalId: ID, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
    await t.moveCoordinator();
    expect(() => t.coordinator.describeTransaction(ID)).toThrow(expect.objectContaining({ errorName: 'COORDINATOR_LOAD_IN_PROGRESS' }) as unknown as Error);
    expect(t.coordinator.listTransactions().errorCode).toBe(E.COORDINATOR_LOAD_IN_PROGRESS.code);
    expect(await t.coordinator.endTxn({ transactionalId: ID, producerId: 0n, producerEpoch: 3, committed: true })).toBe(E.COORDINATOR_LOAD_IN_PROGRESS.code);
    await t.until('the load to finish', () => t.coordinator.listTransactions().errorCode === 0);
    expect(t.coordinator.describeTransaction(ID)).toMatchObject({ state: 'Empty', producerEpoch: 3 });
  });
});

describe('transactional id expiration', () => {
  it('removes ids idle past transactional.id.expiration.ms with a tombstone, but never one with an open transaction', async () => {
    t = await TxnHarness.start({ transactionalIdExpirationMs: 10_000, transactionRemoveExpiredTransactionCleanupIntervalMs: 1000 });
    await t.coordinator.initProducerId({ transactionalId: 'idle', transactionTimeoutMs: 600_000, producerId: -1n, producerEpoch: -1 });
    const producer = await openTransaction(600_000);
    await t.advance(12_000, 1000);
    await t.until('the idle id to go', () => t.coordinator.listTransactions().transactions.length === 1);
    expect(() => t.coordinator.describeTransaction('idle')).toThrow(expect.objectContaining({ errorName: 'TRANSACTIONAL_ID_NOT_FOUND' }) as unknown as Error);
    expect(t.stateRecords('idle')).toEqual([expect.objectContaining({ state: 'Empty' }), null]);
    expect(t.coordinator.describeTransaction(ID).state).toBe('Ongoing');
    await t.moveCoordinator();
    expect(t.coordinator.listTransactions().transactions.map((x) => x.transactionalId)).toEqual([ID]);
    expect(await t.coordinator.endTxn({ ...producer, committed: true })).toBe(0);
  });
});
