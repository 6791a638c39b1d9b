import { afterEach, describe, expect, it } from '@jest/globals';
import { KAFKA_ERRORS as E } from '../errors.js';
import { encodeControlBatch } from '../log/batch/control-record.js';
import { iterateBatches } from '../log/batch/record-batch-decoder.js';
import { CONSUMER_OFFSETS_TOPIC, decodeConsumerOffsetsRecord } from './consumer-offsets-record.js';
import type { OffsetCommitEntry, TxnOffsetCommitInput } from './group-results.js';
import { partitionForGroup } from './partition-for-group.js';
import { assignmentOf, CoordinatorHarness } from './testing/coordinator-harness.js';

/**
 * Offsets committed inside transactions, through one broker's coordinator: pending until
 * the producer's marker reaches the group's offsets partition (markers appended as the
 * WriteTxnMarkers path appends them, then reported to the coordinator), invisible to
 * OffsetFetch meanwhile, applied on COMMIT with the later record winning, dropped on
 * ABORT, and read back from the log after a restart whatever state each transaction was in.
 */
let c: CoordinatorHarness;
afterEach(async () => c.close());

const PID = 4000n;
const EPOCH = 3;
/** A broker start with 50 offsets partitions (and for some a restart and a load): more than jest's 5 s on a busy machine. */
const SPEC_TIMEOUT_MS = 20_000;

function offset(partition: number, value: bigint): OffsetCommitEntry {
  return { topic: 't', partition, offset: value, leaderEpoch: -1, metadata: null, commitTimestampMs: -1 };
}

async function txnCommit(groupId: string, offsets: OffsetCommitEntry[], fields: Partial<TxnOffsetCommitInput> = {}): Promise<number[]> {
  const results = await c.groups.commitTransactionalOffsets({
    transactionalId: 'tx', groupId, producerId: PID, producerEpoch: EPOCH, generationId: -1, memberId: '', groupInstanceId: null, offsets, ...fields,
  });
  return results.map((r) => r.errorCode);
}

async function commit(groupId: string, offsets: OffsetCommitEntry[]): Promise<number[]> {
  const results = await c.groups.commitOffsets({ groupId, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, offsets });
  return results.map((r) => r.errorCode);
}

/** The transaction's marker in the group's offsets partition, then the completion the broker reports after writing it. */
async function endTxn(groupId: string, result: 'COMMIT' | 'ABORT', producerId = PID, report = true): Promise<void> {
  const partition = partitionForGroup(groupId, 50);
  const [appended] = await c.h.broker.appendRecords([{
    topic: CONSUMER_OFFSETS_TOPIC, partition,
    records: encodeControlBatch({ type: result, coordinatorEpoch: 0, producerId, producerEpoch: EPOCH, timestamp: c.time.milliseconds() }),
  }], { acks: -1, timeoutMs: 1000, internalTopicsAllowed: true, origin: 'coordinator' });
  expect(appended!.errorCode).toBe(0);
  if (report) c.groups.completeTransactionalOffsets(partition, producerId, result);
}

function fetched(groupId: string, requireStable = false): [number, bigint, number][] {
  const result = c.groups.fetchOffsets(groupId, [0, 1].map((partition) => ({ topic: 't', partition })), requireStable);
  expect(result.errorCode).toBe(0);
  return result.offsets.map((o) => [o.partition, o.offset, o.errorCode]);
}

describe('transactional offset commits', () => {
  it('stay invisible (unstable with require_stable) until the transaction commits', async () => {
    c = await CoordinatorHarness.start();
    expect(await commit('g', [offset(0, 1n)])).toEqual([0]);
    expect(await txnCommit('g', [offset(0, 10n), offset(1, 11n)])).toEqual([0, 0]);
    expect(fetched('g')).toEqual([[0, 1n, 0], [1, -1n, 0]]);
    expect(fetched('g', true)).toEqual([[0, -1n, E.UNSTABLE_OFFSET_COMMIT.code], [1, -1n, E.UNSTABLE_OFFSET_COMMIT.code]]);
    expect(c.groups.describeGroup('g').transactional).toBe(true);
    expect(c.groups.listGroups([]).groups).toEqual([{ groupId: 'g', protocolType: '', state: 'Empty', transactional: true }]);

    await endTxn('g', 'COMMIT');
    expect(fetched('g', true)).toEqual([[0, 10n, 0], [1, 11n, 0]]);
  }, SPEC_TIMEOUT_MS);

  it('are dropped when the transaction aborts, and another producer\'s stay pending', async () => {
    c = await CoordinatorHarness.start();
    expect(await commit('g', [offset(0, 1n)])).toEqual([0]);
    expect(await txnCommit('g', [offset(0, 10n)])).toEqual([0]);
    expect(await txnCommit('g', [offset(1, 20n)], { producerId: PID + 1n })).toEqual([0]);
    await endTxn('g', 'ABORT');
    expect(fetched('g', true)).toEqual([[0, 1n, 0], [1, -1n, E.UNSTABLE_OFFSET_COMMIT.code]]);
    await endTxn('g', 'COMMIT', PID + 1n);
    expect(fetched('g', true)).toEqual([[0, 1n, 0], [1, 20n, 0]]);
  }, SPEC_TIMEOUT_MS);

  it('lose to a plain commit written after them, and win over one written before', async () => {
    c = await CoordinatorHarness.start();
    expect(await commit('g', [offset(1, 5n)])).toEqual([0]);
    expect(await txnCommit('g', [offset(0, 10n), offset(1, 11n)])).toEqual([0, 0]);
    expect(await commit('g', [offset(0, 7n)])).toEqual([0]);
    await endTxn('g', 'COMMIT');
    expect(fetched('g')).toEqual([[0, 7n, 0], [1, 11n, 0]]);
  }, SPEC_TIMEOUT_MS);

  it('are written as one transactional batch of the producer in the group\'s offsets partition', async () => {
    c = await CoordinatorHarness.start();
    expect(await txnCommit('g', [offset(0, 10n), offset(1, 11n)])).toEqual([0, 0]);
    const partition = c.h.broker.describeTopic(CONSUMER_OFFSETS_TOPIC).partitions[partitionForGroup('g', 50)]!;
    const [fetchedData] = await c.h.broker.fetch([{ topic: CONSUMER_OFFSETS_TOPIC, partition: partitionForGroup('g', 50), fetchOffset: 0n, maxBytes: 1 << 20 }]);
    const batches = [...iterateBatches(fetchedData!.records)];
    expect(batches.map((b) => [b.isTransactional, b.isControl, b.producerId, b.producerEpoch, b.baseSequence, b.records.length])).toEqual([[true, false, PID, EPOCH, -1, 2]]);
    expect(decodeConsumerOffsetsRecord(batches[0]!.records[0]!.key!, batches[0]!.records[0]!.value)).toMatchObject({ type: 'offset', group: 'g', topic: 't', partition: 0, value: { offset: 10n } });
    // The open transaction holds the partition's LSO at its first offset.
    expect(partition.lastStableOffset).toBe(0n);
  }, SPEC_TIMEOUT_MS);

  it('keep the live producer\'s commit when a fenced epoch\'s write is refused by the log', async () => {
    c = await CoordinatorHarness.start();
    expect(await txnCommit('g', [offset(0, 10n)])).toEqual([0]);
    expect(await txnCommit('g', [offset(0, 99n)], { producerEpoch: EPOCH - 1 })).toEqual([E.INVALID_PRODUCER_EPOCH.code]);
    expect(fetched('g', true)).toEqual([[0, -1n, E.UNSTABLE_OFFSET_COMMIT.code], [1, -1n, 0]]);
    await endTxn('g', 'COMMIT');
    expect(fetched('g', true)).toEqual([[0, 10n, 0], [1, -1n, 0]]);
  }, SPEC_TIMEOUT_MS);

  it('are checked as Kafka checks them: partitions, metadata size, and member and generation only when named', async () => {
    c = await CoordinatorHarness.start({ offsetMetadataMaxBytes: 4 });
    expect(await txnCommit('g', [offset(0, 1n), offset(9, 1n), { ...offset(1, 1n), metadata: 'too long' }])).toEqual([0, E.UNKNOWN_TOPIC_OR_PARTITION.code, E.OFFSET_METADATA_TOO_LARGE.code]);
    // A member of the group (TxnOffsetCommit v3) must be current; producers without one (v0-v2) are taken in any state.
    const first = await c.joinNew('member-group');
    const [joined] = await c.answered(first.joined);
    await c.answered(c.sync('member-group', first.memberId, joined.generationId, new Map([[first.memberId, assignmentOf('t', [0, 1, 2])]])));
    const member = { memberId: first.memberId, generationId: joined.generationId };
    expect(await txnCommit('member-group', [offset(0, 1n)], member)).toEqual([0]);
    expect(await txnCommit('member-group', [offset(0, 1n)], { ...member, generationId: joined.generationId + 1 })).toEqual([E.ILLEGAL_GENERATION.code]);
    expect(await txnCommit('member-group', [offset(0, 1n)], { ...member, memberId: 'stranger' })).toEqual([E.UNKNOWN_MEMBER_ID.code]);
    expect(await txnCommit('member-group', [offset(0, 1n)])).toEqual([0]);
    // A generation for a group this coordinator does not know yet: the producer is ahead of the consumer's join.
    expect(await txnCommit('new-group', [offset(0, 1n)], { generationId: 1, memberId: 'm' })).toEqual([E.UNKNOWN_MEMBER_ID.code]);
  }, SPEC_TIMEOUT_MS);
});

describe('a coordinator that restarts with transactional offsets in its log', () => {
  it('applies committed transactions, drops aborted ones and keeps open ones pending until their marker', async () => {
    c = await CoordinatorHarness.start();
    expect(await commit('g', [offset(0, 1n), offset(1, 2n)])).toEqual([0, 0]);
    expect(await txnCommit('g', [offset(0, 10n)])).toEqual([0]);
    await endTxn('g', 'COMMIT', PID, false);
    expect(await txnCommit('g', [offset(1, 20n)], { producerId: PID + 1n })).toEqual([0]);
    await endTxn('g', 'ABORT', PID + 1n, false);
    expect(await txnCommit('g', [offset(1, 30n)], { producerId: PID + 2n })).toEqual([0]);
    // A group known only from a transaction still open.
    expect(await txnCommit('open-only', [offset(0, 40n)], { producerId: PID + 3n })).toEqual([0]);

    await c.h.restart();
    await c.answered();
    expect(fetched('g', true)).toEqual([[0, 10n, 0], [1, -1n, E.UNSTABLE_OFFSET_COMMIT.code]]);
    expect(fetched('g')).toEqual([[0, 10n, 0], [1, 2n, 0]]);
    expect(c.groups.describeGroup('g').transactional).toBe(true);
    expect(fetched('open-only')).toEqual([[0, -1n, 0], [1, -1n, 0]]);

    await endTxn('g', 'COMMIT', PID + 2n);
    await endTxn('open-only', 'COMMIT', PID + 3n);
    expect(fetched('g', true)).toEqual([[0, 10n, 0], [1, 30n, 0]]);
    expect(fetched('open-only', true)).toEqual([[0, 40n, 0], [1, -1n, 0]]);
  }, SPEC_TIMEOUT_MS);

  it('completes a transaction whose marker arrives while the partition loads, once loaded', async () => {
    c = await CoordinatorHarness.start({ offsetsLoadBufferSize: 100 });
    for (let i = 0; i < 10; i++) expect(await commit('g', [offset(0, BigInt(i))])).toEqual([0]);
    expect(await txnCommit('g', [offset(0, 50n)])).toEqual([0]);
    await c.h.restart();
    expect(c.groups.fetchOffsets('g', null, false).errorCode).toBe(E.COORDINATOR_LOAD_IN_PROGRESS.code);
    await endTxn('g', 'COMMIT');
    for (let i = 0; i < 40 && c.groups.fetchOffsets('g', null, false).errorCode !== 0; i++) c.time.advance(0);
    expect(fetched('g', true)).toEqual([[0, 50n, 0], [1, -1n, 0]]);
  }, SPEC_TIMEOUT_MS);
});
