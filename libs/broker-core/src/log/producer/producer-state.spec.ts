import { logConfig } from '../config/log-config.js';
import { PartitionLog } from '../partition/partition-log.js';
import { expectKafkaError } from '../batch/testing/expect-kafka-error.js';
import { makeBatch, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { T0, markerBatch, producerBatch } from './testing/producer-batches.js';

const INT32_MAX = 0x7fffffff;

describe('producer state on append (idempotence, epochs, transactions)', () => {
  let tmp: ReturnType<typeof tempDir>;
  const logs: PartitionLog[] = [];
  beforeEach(() => {
    tmp = tempDir('weir-producer-');
  });
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    tmp.cleanup();
  });
  function open(options: Parameters<typeof PartitionLog.open>[1] = {}): PartitionLog {
    const log = PartitionLog.open(partitionDir(tmp.dir), options);
    logs.push(log);
    return log;
  }
  /** Appends and moves the high watermark to the log end, as a single-replica leader does. */
  function commit(log: PartitionLog): void {
    log.updateHighWatermark(log.logEndOffset);
  }

  it('accepts sequences in order, any first sequence from an unknown producer, and wraps past int32 max', () => {
    const log = open();
    expect(log.append(producerBatch(7, 0, 100, { count: 3 })).firstOffset).toBe(0n);
    log.append(producerBatch(7, 0, 103, { count: 2 }));
    expectKafkaError(() => log.append(producerBatch(7, 0, 106)), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    expectKafkaError(() => log.append(producerBatch(7, 0, 104)), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    // Wraparound: a batch ending at int32 max, then sequence 0.
    log.append(producerBatch(8, 0, INT32_MAX - 1, { count: 2 }));
    log.append(producerBatch(8, 0, 0, { count: 1 }));
    // A batch whose sequences themselves wrap.
    log.append(producerBatch(9, 0, INT32_MAX - 1, { count: 4 }));
    log.append(producerBatch(9, 0, 2));
    expect(log.activeProducers().map((p) => [p.producerId, p.lastSequence]).sort()).toEqual([[7n, 104], [8n, 0], [9n, 2]]);
    expect(log.logEndOffset).toBe(13n);
  });

  it('answers a retry of any of the last five batches with the original offsets and writes nothing', () => {
    const log = open();
    const firsts: bigint[] = [];
    for (let i = 0; i < 6; i++) firsts.push(log.append(producerBatch(1, 0, i * 2, { count: 2 })).firstOffset);
    const end = log.logEndOffset;
    for (let i = 1; i < 6; i++) {
      const retry = log.append(producerBatch(1, 0, i * 2, { count: 2 }));
      expect(retry).toMatchObject({ duplicate: true, firstOffset: firsts[i], lastOffset: firsts[i]! + 1n, recordCount: 0 });
    }
    expect(log.logEndOffset).toBe(end);
    // The sixth-newest is no longer retained: it is out of order now.
    expectKafkaError(() => log.append(producerBatch(1, 0, 0, { count: 2 })), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    // In a request with other batches, a duplicate is an error and nothing is written.
    expectKafkaError(() => log.append(Buffer.concat([producerBatch(1, 0, 10, { count: 2 }), producerBatch(2, 0, 0)])), 'DUPLICATE_SEQUENCE_NUMBER');
    expect(log.logEndOffset).toBe(end);
  });

  it('fences older epochs and requires a new epoch to start at sequence 0', () => {
    const log = open();
    log.append(producerBatch(3, 1, 0, { count: 5 }));
    expectKafkaError(() => log.append(producerBatch(3, 0, 5)), 'INVALID_PRODUCER_EPOCH');
    expectKafkaError(() => log.append(producerBatch(3, 2, 5)), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    log.append(producerBatch(3, 2, 0));
    expect(log.activeProducers()[0]).toMatchObject({ producerId: 3n, producerEpoch: 2, lastSequence: 0 });
    // Markers are fenced by producer epoch and by coordinator epoch.
    log.append(producerBatch(3, 2, 1, { transactional: true }));
    expectKafkaError(() => log.append(markerBatch('COMMIT', 3, 1, 5), { origin: 'coordinator' }), 'INVALID_PRODUCER_EPOCH');
    log.append(markerBatch('COMMIT', 3, 2, 5), { origin: 'coordinator' });
    log.append(producerBatch(3, 2, 2, { transactional: true }));
    expectKafkaError(() => log.append(markerBatch('ABORT', 3, 2, 4), { origin: 'coordinator' }), 'TRANSACTION_COORDINATOR_FENCED');
  });

  it('refuses control batches from clients and a plain write inside an open transaction, leaving the log unchanged', () => {
    const log = open();
    expectKafkaError(() => log.append(markerBatch('COMMIT', 1, 0)), 'INVALID_RECORD');
    log.append(producerBatch(1, 0, 0, { transactional: true }));
    expectKafkaError(() => log.append(producerBatch(1, 0, 1)), 'INVALID_TXN_STATE');
    expect(log.logEndOffset).toBe(1n);
    // The failed append changed nothing: the next sequence is still 1.
    log.append(producerBatch(1, 0, 1, { transactional: true }));
  });

  it('holds the LSO at the oldest open transaction until its marker is below the high watermark', () => {
    const log = open();
    log.append(makeBatch(2, T0)); // 0-1
    commit(log);
    expect(log.lastStableOffset).toBe(2n);
    log.append(producerBatch(1, 0, 0, { transactional: true, count: 2 })); // 2-3
    log.append(producerBatch(2, 0, 0, { transactional: true })); // 4
    log.append(makeBatch(1, T0)); // 5
    commit(log);
    expect(log.firstUnstableOffset).toBe(2n);
    expect(log.lastStableOffset).toBe(2n);
    log.append(markerBatch('ABORT', 1, 0), { origin: 'coordinator' }); // 6
    // The marker is not yet replicated: the transaction stays unstable.
    expect(log.lastStableOffset).toBe(2n);
    commit(log);
    expect(log.firstUnstableOffset).toBe(4n);
    expect(log.lastStableOffset).toBe(4n);
    expect(log.collectAbortedTransactions(0n, 10n)).toEqual([{ producerId: 1n, firstOffset: 2n, lastOffset: 6n, lastStableOffset: 4n }]);
    log.append(markerBatch('COMMIT', 2, 0), { origin: 'coordinator' }); // 7
    commit(log);
    expect(log.firstUnstableOffset).toBeUndefined();
    expect(log.lastStableOffset).toBe(8n);
    // A marker for a producer without an open transaction is written and changes nothing else.
    log.append(markerBatch('ABORT', 2, 0), { origin: 'coordinator' }); // 8
    commit(log);
    expect(log.collectAbortedTransactions(0n, 10n)).toHaveLength(1);
    expect(log.controlRecordsBetween(0n, 9n)).toBe(3);
    expect(log.controlRecordsBetween(7n, 8n)).toBe(1);
    expect(log.controlRecordsBetween(0n, 6n)).toBe(0);
  });

  it('finds aborted transactions across segments, only those overlapping the range', () => {
    const log = open({ config: logConfig({ segmentBytes: 400 }) });
    const aborted: { first: bigint; last: bigint }[] = [];
    for (let round = 0; round < 8; round++) {
      const first = log.append(producerBatch(1, 0, round, { transactional: true })).firstOffset;
      log.append(makeBatch(1, T0, 150));
      const last = log.append(markerBatch(round % 2 === 0 ? 'ABORT' : 'COMMIT', 1, 0), { origin: 'coordinator' }).firstOffset;
      if (round % 2 === 0) aborted.push({ first, last });
    }
    commit(log);
    expect(log.segmentCount).toBeGreaterThan(3);
    const all = log.collectAbortedTransactions(0n, log.logEndOffset);
    expect(all.map((a) => [a.firstOffset, a.lastOffset])).toEqual(aborted.map((a) => [a.first, a.last]));
    const middle = log.collectAbortedTransactions(aborted[1]!.last, aborted[2]!.first + 1n);
    expect(middle.map((a) => a.firstOffset)).toEqual([aborted[1]!.first, aborted[2]!.first]);
    expect(log.collectAbortedTransactions(aborted[3]!.last + 1n, log.logEndOffset)).toEqual([]);
  });

  it('expires idle producers without an open transaction after producer.id.expiration.ms', () => {
    const log = open({ producerIdExpirationMs: 1000 });
    log.append(producerBatch(1, 0, 0, { timestamp: T0 }));
    log.append(producerBatch(2, 0, 0, { timestamp: T0, transactional: true }));
    log.append(producerBatch(3, 0, 0, { timestamp: T0 + 900 }));
    expect(log.removeExpiredProducers(T0 + 999)).toBe(0);
    expect(log.removeExpiredProducers(T0 + 1000)).toBe(1);
    expect(log.activeProducers().map((p) => p.producerId).sort()).toEqual([2n, 3n]);
    // Once forgotten, a producer is unknown: any sequence is accepted.
    log.append(producerBatch(1, 0, 42));
  });

  it('follower appends update state and the txn index without checks', async () => {
    const leader = open();
    leader.append(producerBatch(5, 3, 0, { transactional: true, count: 2 }));
    leader.append(markerBatch('ABORT', 5, 3, 2), { origin: 'coordinator' });
    leader.append(producerBatch(5, 3, 2, { transactional: true }));
    const followerDir = tempDir('weir-follower-');
    try {
      const follower = PartitionLog.open(partitionDir(followerDir.dir));
      follower.appendAsFollower(leader.read(0n, 1 << 20).records);
      follower.updateHighWatermark(follower.logEndOffset);
      expect(follower.firstUnstableOffset).toBe(3n);
      expect(follower.collectAbortedTransactions(0n, 4n)).toEqual([{ producerId: 5n, firstOffset: 0n, lastOffset: 2n, lastStableOffset: 3n }]);
      expect(follower.activeProducers()).toEqual([{ producerId: 5n, producerEpoch: 3, lastSequence: 2, lastTimestamp: BigInt(T0), coordinatorEpoch: 2, currentTxnStartOffset: 3n }]);
      // As the new leader it checks the next sequence.
      expectKafkaError(() => follower.append(producerBatch(5, 3, 5, { transactional: true })), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
      follower.append(producerBatch(5, 3, 3, { transactional: true }));
      await follower.close();
    } finally {
      followerDir.cleanup();
    }
  });
});
