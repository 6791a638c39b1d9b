import { afterEach, describe, expect, it } from '@jest/globals';
import { KAFKA_ERRORS as E } from '../errors.js';
import { TRANSACTION_STATE_TOPIC } from './transaction-log-record.js';
import { TxnHarness } from './testing/txn-harness.js';

/**
 * The coordinator's state machine against a real broker (temp dir, in-memory registry,
 * mock clock): requests as a transactional producer makes them, the records persisted in
 * `__transaction_state`, and the markers handed to the marker channel.
 */
let t: TxnHarness;

afterEach(async () => {
  await t?.close();
});

const ID = 'txn-a';
const TIMEOUT_MS = 60_000;

async function init(transactionalId = ID, fields: { producerId?: bigint; producerEpoch?: number; transactionTimeoutMs?: number } = {}) {
  return t.coordinator.initProducerId({ transactionalId, transactionTimeoutMs: TIMEOUT_MS, producerId: -1n, producerEpoch: -1, ...fields });
}

const parts = (...ps: number[]) => ps.map((partition) => ({ topic: 't', partition }));

describe('InitProducerId', () => {
  it('hands idempotent producers distinct ids at epoch 0', async () => {
    t = await TxnHarness.start();
    const a = await t.coordinator.initProducerId({ transactionalId: null, transactionTimeoutMs: 0, producerId: -1n, producerEpoch: -1 });
    const b = await t.coordinator.initProducerId({ transactionalId: null, transactionTimeoutMs: 0, producerId: -1n, producerEpoch: -1 });
    expect(a).toEqual({ errorCode: 0, producerId: a.producerId, producerEpoch: 0 });
    expect(b.errorCode).toBe(0);
    expect(b.producerId).not.toBe(a.producerId);
  });

  it('gives a transactional id a producer id at epoch 0, then bumps the epoch on each call, persisting Empty', async () => {
    t = await TxnHarness.start();
    const first = await init();
    const second = await init();
    expect(first.errorCode).toBe(0);
    expect(first.producerEpoch).toBe(0);
    expect(second).toEqual({ errorCode: 0, producerId: first.producerId, producerEpoch: 1 });
    const records = t.stateRecords(ID);
    expect(records.map((r) => [r?.state, r?.producerEpoch])).toEqual([['Empty', 0], ['Empty', 1]]);
    expect(records[0]).toMatchObject({ producerId: first.producerId, transactionTimeoutMs: TIMEOUT_MS, partitions: [], startTimestampMs: -1 });
  });

  it('refuses an empty id, a timeout above transaction.max.timeout.ms, and half a producer identity', async () => {
    t = await TxnHarness.start();
    expect((await init('')).errorCode).toBe(E.INVALID_REQUEST.code);
    expect((await init(ID, { transactionTimeoutMs: 900_001 })).errorCode).toBe(E.INVALID_TRANSACTION_TIMEOUT.code);
    expect((await init(ID, { transactionTimeoutMs: 0 })).errorCode).toBe(E.INVALID_TRANSACTION_TIMEOUT.code);
    expect((await init(ID, { producerId: 5n })).errorCode).toBe(E.INVALID_REQUEST.code);
  });

  it('lets a producer that holds the current id recover (KIP-360) and fences one that holds an unknown id', async () => {
    t = await TxnHarness.start();
    const first = await init();
    const recovered = await init(ID, { producerId: first.producerId, producerEpoch: 0 });
    expect(recovered).toEqual({ errorCode: 0, producerId: first.producerId, producerEpoch: 1 });
    // A retry of that same call (its answer lost) gets the same epoch again.
    expect(await init(ID, { producerId: first.producerId, producerEpoch: 0 })).toEqual(recovered);
    expect((await init(ID, { producerId: first.producerId + 1000n, producerEpoch: 3 })).errorCode).toBe(E.PRODUCER_FENCED.code);
  });
});

describe('a transaction', () => {
  it('goes Ongoing, PrepareCommit, markers, CompleteCommit', async () => {
    t = await TxnHarness.start();
    expect((await t.broker.groups.findCoordinator('g', 0)).errorCode).toBe(0);
    const p = await init();
    const producer = { transactionalId: ID, producerId: p.producerId, producerEpoch: p.producerEpoch };
    expect(await t.coordinator.addPartitionsToTxn({ ...producer, partitions: parts(0, 1) })).toBe(0);
    // Adding partitions already in the transaction writes nothing.
    expect(await t.coordinator.addPartitionsToTxn({ ...producer, partitions: parts(1) })).toBe(0);
    expect(await t.coordinator.addOffsetsToTxn({ ...producer, groupId: 'g' })).toBe(0);
    const open = t.coordinator.describeTransaction(ID);
    expect(open.state).toBe('Ongoing');
    expect(open.transactionStartTimeMs).toBe(t.time.milliseconds());
    expect(open.partitions).toEqual(expect.arrayContaining([...parts(0, 1), { topic: '__consumer_offsets', partition: expect.any(Number) }]));

    expect(await t.coordinator.endTxn({ ...producer, committed: true })).toBe(0);
    await t.until('the commit to complete', () => t.coordinator.describeTransaction(ID).state === 'CompleteCommit');
    const coordinatorEpoch = t.broker.describeTopic(TRANSACTION_STATE_TOPIC).partitions[t.coordinator.partitionFor(ID)]!.leaderEpoch;
    expect(t.markers.entries).toEqual([{
      producerId: p.producerId, producerEpoch: 0, coordinatorEpoch, result: 'COMMIT', partitions: expect.arrayContaining(parts(0, 1)),
    }]);
    expect(t.markers.entries[0]!.partitions).toHaveLength(3);
    expect(t.stateRecords(ID).map((r) => r?.state)).toEqual(['Empty', 'Ongoing', 'Ongoing', 'PrepareCommit', 'CompleteCommit']);
    expect(t.stateRecords(ID)[3]!.partitions).toHaveLength(3);
    expect(t.coordinator.describeTransaction(ID).partitions).toEqual([]);
    // A retried EndTxn (its answer lost) succeeds again; the opposite decision is refused.
    expect(await t.coordinator.endTxn({ ...producer, committed: true })).toBe(0);
    expect(await t.coordinator.endTxn({ ...producer, committed: false })).toBe(E.INVALID_TXN_STATE.code);
  });

  it('answers CONCURRENT_TRANSACTIONS while the previous end is completing', async () => {
    t = await TxnHarness.start();
    const p = await init();
    const producer = { transactionalId: ID, producerId: p.producerId, producerEpoch: p.producerEpoch };
    await t.coordinator.addPartitionsToTxn({ ...producer, partitions: parts(0) });
    t.markers.hold();
    expect(await t.coordinator.endTxn({ ...producer, committed: false })).toBe(0);
    expect(t.coordinator.describeTransaction(ID).state).toBe('PrepareAbort');
    expect(await t.coordinator.addPartitionsToTxn({ ...producer, partitions: parts(1) })).toBe(E.CONCURRENT_TRANSACTIONS.code);
    expect(await t.coordinator.endTxn({ ...producer, committed: false })).toBe(E.CONCURRENT_TRANSACTIONS.code);
    expect((await init()).errorCode).toBe(E.CONCURRENT_TRANSACTIONS.code);
    t.markers.release();
    await t.until('the abort to complete', () => t.coordinator.describeTransaction(ID).state === 'CompleteAbort');
    expect(await t.coordinator.addPartitionsToTxn({ ...producer, partitions: parts(1) })).toBe(0);
  });

  it('refuses requests of a producer that does not own the id, and ends that do not match the state', async () => {
    t = await TxnHarness.start();
    const p = await init();
    const producer = { transactionalId: ID, producerId: p.producerId, producerEpoch: p.producerEpoch };
    expect(await t.coordinator.addPartitionsToTxn({ ...producer, transactionalId: 'unknown', partitions: parts(0) })).toBe(E.INVALID_PRODUCER_ID_MAPPING.code);
    expect(await t.coordinator.addPartitionsToTxn({ ...producer, producerId: p.producerId + 1n, partitions: parts(0) })).toBe(E.INVALID_PRODUCER_ID_MAPPING.code);
    expect(await t.coordinator.addPartitionsToTxn({ ...producer, producerEpoch: 7, partitions: parts(0) })).toBe(E.PRODUCER_FENCED.code);
    expect(await t.coordinator.endTxn({ ...producer, committed: true })).toBe(E.INVALID_TXN_STATE.code);
    expect(await t.coordinator.addPartitionsToTxn({ ...producer, transactionalId: '', partitions: parts(0) })).toBe(E.INVALID_REQUEST.code);
  });
});

describe('fencing', () => {
  it('a second InitProducerId aborts the open transaction under a bumped epoch; the old producer is fenced', async () => {
    t = await TxnHarness.start();
    const old = await init();
    const zombie = { transactionalId: ID, producerId: old.producerId, producerEpoch: old.producerEpoch };
    await t.coordinator.addPartitionsToTxn({ ...zombie, partitions: parts(0, 2) });

    expect((await init()).errorCode).toBe(E.CONCURRENT_TRANSACTIONS.code);
    // From here on the old epoch is refused, before the abort even completes.
    expect(await t.coordinator.addPartitionsToTxn({ ...zombie, partitions: parts(1) })).toBe(E.PRODUCER_FENCED.code);
    expect(await t.coordinator.endTxn({ ...zombie, committed: true })).toBe(E.PRODUCER_FENCED.code);
    await t.until('the abort to complete', () => t.coordinator.describeTransaction(ID).state === 'CompleteAbort');
    expect(t.markers.entries).toEqual([expect.objectContaining({ producerId: old.producerId, producerEpoch: 1, result: 'ABORT' })]);

    const fresh = await init();
    expect(fresh).toEqual({ errorCode: 0, producerId: old.producerId, producerEpoch: 2 });
    expect(t.stateRecords(ID).map((r) => [r?.state, r?.producerEpoch])).toEqual([
      ['Empty', 0], ['Ongoing', 0], ['PrepareAbort', 1], ['CompleteAbort', 1], ['Empty', 2],
    ]);
  });
});

describe('timeouts and admin aborts', () => {
  it('aborts a transaction open longer than its timeout, fencing its producer', async () => {
    t = await TxnHarness.start();
    const p = await init(ID, { transactionTimeoutMs: 5000 });
    const producer = { transactionalId: ID, producerId: p.producerId, producerEpoch: p.producerEpoch };
    await t.coordinator.addPartitionsToTxn({ ...producer, partitions: parts(1) });
    await t.advance(4000);
    expect(t.coordinator.describeTransaction(ID).state).toBe('Ongoing');
    await t.advance(2500);
    await t.until('the timed-out transaction to be aborted', () => t.coordinator.describeTransaction(ID).state === 'CompleteAbort');
    expect(t.coordinator.describeTransaction(ID).producerEpoch).toBe(1);
    expect(t.markers.entries).toEqual([expect.objectContaining({ result: 'ABORT', producerEpoch: 1, partitions: parts(1) })]);
    expect(await t.coordinator.endTxn({ ...producer, committed: true })).toBe(E.PRODUCER_FENCED.code);
  });

  it('aborts on an admin request, and refuses when nothing is open', async () => {
    t = await TxnHarness.start();
    const p = await init();
    await expect(t.coordinator.abortTransaction(ID)).rejects.toMatchObject({ errorName: 'INVALID_TXN_STATE' });
    await t.coordinator.addPartitionsToTxn({ transactionalId: ID, producerId: p.producerId, producerEpoch: 0, partitions: parts(0) });
    const aborted = await t.coordinator.abortTransaction(ID);
    expect(aborted).toMatchObject({ state: 'PrepareAbort', producerEpoch: 1 });
    await t.until('the abort to complete', () => t.coordinator.describeTransaction(ID).state === 'CompleteAbort');
    await expect(t.coordinator.abortTransaction('nobody')).rejects.toMatchObject({ errorName: 'TRANSACTIONAL_ID_NOT_FOUND' });
  });
});

describe('markers', () => {
  it('sends again to partitions that answered a retriable error, after the backoff', async () => {
    t = await TxnHarness.start();
    const p = await init();
    const producer = { transactionalId: ID, producerId: p.producerId, producerEpoch: p.producerEpoch };
    await t.coordinator.addPartitionsToTxn({ ...producer, partitions: parts(0, 1) });
    t.markers.failNext('t', 1, E.NOT_LEADER_OR_FOLLOWER.code, 2);
    await t.coordinator.endTxn({ ...producer, committed: true });
    await t.until('the first attempt', () => t.markers.entries.length === 1);
    expect(t.coordinator.describeTransaction(ID).partitions).toEqual(parts(1));
    await t.advance(300, 50);
    await t.until('the commit to complete', () => t.coordinator.describeTransaction(ID).state === 'CompleteCommit');
    expect(t.markers.entries.map((e) => e.partitions)).toEqual([parts(0, 1), parts(1), parts(1)]);
  });

  it('sends again, after the backoff, to a partition the channel gave no answer for', async () => {
    t = await TxnHarness.start();
    const p = await init();
    const producer = { transactionalId: ID, producerId: p.producerId, producerEpoch: p.producerEpoch };
    await t.coordinator.addPartitionsToTxn({ ...producer, partitions: parts(0, 1) });
    t.markers.omitNext('t', 0, 1);
    await t.coordinator.endTxn({ ...producer, committed: false });
    await t.until('the first attempt', () => t.markers.entries.length === 1);
    for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(t.markers.entries).toHaveLength(1);
    await t.advance(200, 50);
    await t.until('the abort to complete', () => t.coordinator.describeTransaction(ID).state === 'CompleteAbort');
    expect(t.markers.entries.map((e) => e.partitions)).toEqual([parts(0, 1), parts(0)]);
  });

  it('drops partitions of a deleted topic', async () => {
    t = await TxnHarness.start();
    await t.broker.createTopic({ name: 'gone', partitions: 1 });
    const p = await init();
    const producer = { transactionalId: ID, producerId: p.producerId, producerEpoch: p.producerEpoch };
    await t.coordinator.addPartitionsToTxn({ ...producer, partitions: [...parts(0), { topic: 'gone', partition: 0 }] });
    await t.broker.deleteTopic('gone');
    await t.until('the topic to be gone', () => !t.broker.listTopics().some((topic) => topic.name === 'gone'));
    await t.coordinator.endTxn({ ...producer, committed: true });
    await t.until('the commit to complete', () => t.coordinator.describeTransaction(ID).state === 'CompleteCommit');
    expect(t.markers.entries.map((e) => e.partitions)).toEqual([parts(0)]);
  });
});

describe('views', () => {
  it('lists ids filtered by state and producer id, reporting unknown state names', async () => {
    t = await TxnHarness.start();
    const a = await init('a');
    await init('b');
    await t.coordinator.addPartitionsToTxn({ transactionalId: 'a', producerId: a.producerId, producerEpoch: 0, partitions: parts(0) });
    const all = t.coordinator.listTransactions();
    expect(all.transactions.map((x) => [x.transactionalId, x.state]).sort()).toEqual([['a', 'Ongoing'], ['b', 'Empty']]);
    expect(t.coordinator.listTransactions({ states: ['Ongoing', 'Bogus'] })).toEqual({
      errorCode: 0, unknownStates: ['Bogus'], transactions: [{ transactionalId: 'a', producerId: a.producerId, state: 'Ongoing', coordinatorId: 1 }],
    });
    expect(t.coordinator.listTransactions({ producerIds: [a.producerId] }).transactions.map((x) => x.transactionalId)).toEqual(['a']);
    await t.advance(2000, 1000);
    expect(t.coordinator.listTransactions({ minDurationMs: 1000 }).transactions.map((x) => x.transactionalId)).toEqual(['a']);
  });
});
