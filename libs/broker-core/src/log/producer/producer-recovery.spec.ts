import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectKafkaError } from '../batch/testing/expect-kafka-error.js';
import { logConfig } from '../config/log-config.js';
import { MockTime } from '../../time.js';
import { PartitionLog } from '../partition/partition-log.js';
import type { PartitionLogOptions } from '../partition/types.js';
import { RecordingLogger, makeBatch, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { runUntilKilled } from './testing/kill-child.js';
import { T0, markerBatch, producerBatch } from './testing/producer-batches.js';
import { expectStateMatchesModel } from './testing/producer-model.js';

const TXN_WRITER = fileURLToPath(new URL('./testing/txn-writer.child.ts', import.meta.url));

const snapshotsIn = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.snapshot')).sort();

/**
 * Appends a mix across several small segments: idempotent producer 1, transactions of
 * producers 2 and 3 (some aborted), plain batches; leaves producer 3's last one open.
 */
function writeMix(log: PartitionLog, rounds: number): void {
  let seq1 = 0;
  let seq2 = 0;
  let seq3 = 0;
  for (let round = 0; round < rounds; round++) {
    log.append(producerBatch(1, 0, seq1, { count: 2 }));
    seq1 += 2;
    log.append(producerBatch(2, 0, seq2++, { transactional: true }));
    log.append(producerBatch(3, 0, seq3++, { transactional: true }));
    log.append(makeBatch(2, T0, 120));
    log.append(markerBatch(round % 3 === 0 ? 'ABORT' : 'COMMIT', 2, 0), { origin: 'coordinator' });
    if (round < rounds - 1) log.append(markerBatch(round % 2 === 0 ? 'ABORT' : 'COMMIT', 3, 0), { origin: 'coordinator' });
  }
  log.updateHighWatermark(log.logEndOffset);
}

describe('producer state snapshots and recovery', () => {
  let tmp: ReturnType<typeof tempDir>;
  let dir: string;
  const logs: PartitionLog[] = [];
  beforeEach(() => {
    tmp = tempDir('weir-producer-recovery-');
    dir = partitionDir(tmp.dir);
  });
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    tmp.cleanup();
  });
  function open(options: PartitionLogOptions = {}, at = dir): PartitionLog {
    // The batches' timestamps are T0: a clock there keeps their producers from expiring.
    const log = PartitionLog.open(at, { config: logConfig({ segmentBytes: 700 }), time: new MockTime(T0 + 1000), ...options });
    logs.push(log);
    return log;
  }
  async function reopen(log: PartitionLog, options: PartitionLogOptions = {}): Promise<PartitionLog> {
    await log.close();
    logs.splice(logs.indexOf(log), 1);
    return open(options);
  }

  it('snapshots at each roll (keeping the newest two) and at close, and a clean open restores the state from the last', async () => {
    const log = open();
    writeMix(log, 6);
    expect(log.segmentCount).toBeGreaterThan(4);
    expect(snapshotsIn(dir)).toHaveLength(2);
    const before = { producers: log.activeProducers(), fuo: log.firstUnstableOffset, aborted: log.collectAbortedTransactions(0n, log.logEndOffset) };
    const end = log.logEndOffset;
    const reopened = await reopen(log);
    expect(snapshotsIn(dir)).toContain(`${end.toString().padStart(20, '0')}.snapshot`);
    expect(reopened.hadCleanShutdown).toBe(true);
    reopened.updateHighWatermark(reopened.logEndOffset);
    // A snapshot keeps only each producer's last batch; everything DescribeProducers shows is equal.
    expect(reopened.activeProducers()).toEqual(before.producers);
    expect(reopened.firstUnstableOffset).toBe(before.fuo);
    expect(reopened.collectAbortedTransactions(0n, reopened.logEndOffset)).toEqual(before.aborted);
    expectStateMatchesModel(reopened);
    // Sequences go on from the snapshot, and its last batch is still recognised as a retry.
    expect(reopened.append(producerBatch(1, 0, 10, { count: 2 }))).toMatchObject({ duplicate: true });
    expectKafkaError(() => reopened.append(producerBatch(1, 0, 13)), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    reopened.append(producerBatch(1, 0, 12));
  });

  it('rebuilds from an older snapshot or the log when the newest is corrupt', async () => {
    const log = open();
    writeMix(log, 5);
    const end = log.logEndOffset;
    await log.close();
    logs.splice(0);
    const newest = join(dir, `${end.toString().padStart(20, '0')}.snapshot`);
    const bytes = readFileSync(newest);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(newest, bytes);
    const logger = new RecordingLogger();
    const reopened = open({ logger });
    expect(logger.warnings.join('\n')).toMatch(/CRC/);
    expectStateMatchesModel(reopened);
    // With no snapshot at all, a full replay gives the same.
    await reopened.close();
    logs.splice(0);
    for (const name of snapshotsIn(dir)) rmSync(join(dir, name));
    expectStateMatchesModel(open());
  });

  it('recovers state and rebuilds the txn indexes of the rescanned segments after an unclean shutdown', () => {
    const log = open();
    writeMix(log, 7);
    // The directory as a crash would leave it: no manifest, no close-time snapshot.
    const crashed = join(tmp.dir, 'crashed-0');
    cpSync(dir, crashed, { recursive: true });
    const active = readdirSync(crashed).filter((n) => n.endsWith('.txnindex')).sort().pop();
    if (active !== undefined) rmSync(join(crashed, active));
    const recovered = open({}, crashed);
    expect(recovered.hadCleanShutdown).toBe(false);
    expectStateMatchesModel(recovered);
    expect(recovered.collectAbortedTransactions(0n, recovered.logEndOffset)).toEqual(log.collectAbortedTransactions(0n, log.logEndOffset));
  });

  it('truncation removes txn index entries and snapshots past the cut and reloads state to the new end', () => {
    const log = open();
    writeMix(log, 6);
    // Cut at the second ABORT marker: its transaction is open again.
    const cut = log.collectAbortedTransactions(0n, log.logEndOffset)[1]!.lastOffset;
    const reference = open({}, join(tmp.dir, 'reference-0'));
    while (reference.logEndOffset < cut) reference.appendAsFollower(log.read(reference.logEndOffset, 1 << 20, { maxOffset: cut, minOneMessage: true }).records);
    expect(reference.logEndOffset).toBe(cut);
    log.truncateTo(cut);
    expect(log.logEndOffset).toBe(cut);
    for (const name of snapshotsIn(dir)) expect(BigInt(name.slice(0, 20))).toBeLessThanOrEqual(cut);
    expect(log.activeProducers()).toEqual(reference.activeProducers());
    expectStateMatchesModel(log);
    // Producer 1 continues where the shorter log left it.
    const next = reference.activeProducers().find((p) => p.producerId === 1n)!.lastSequence + 1;
    expectKafkaError(() => log.append(producerBatch(1, 0, next + 2)), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    log.append(producerBatch(1, 0, next));
    log.truncateFullyAndStartAt(100n);
    expect(log.activeProducers()).toEqual([]);
    expect(log.firstUnstableOffset).toBeUndefined();
    expect(snapshotsIn(dir)).toEqual([]);
  });

  it('moving the log start removes snapshots below it and keeps producer state', () => {
    const log = open();
    writeMix(log, 6);
    const producers = log.activeProducers();
    const start = log.segmentInfos()[3]!.baseOffset + 1n;
    log.deleteRecordsBefore(start);
    for (const name of snapshotsIn(dir)) expect(BigInt(name.slice(0, 20))).toBeGreaterThanOrEqual(start);
    expect(log.activeProducers()).toEqual(producers);
  });

  it('the cleaner stops at the first unstable offset and keeps aborted transactions indexed', async () => {
    const log = open({ config: logConfig({ segmentBytes: 700, cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0 }) });
    writeMix(log, 6);
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
    expect(log.cleanability().firstUncleanableOffset).toBe(log.firstUnstableOffset);
    const aborted = log.collectAbortedTransactions(0n, log.logEndOffset);
    const { OffsetMap } = await import('../cleaner/offset-map.js');
    const cleaning = log.beginCleaning(new OffsetMap(1 << 16));
    expect(cleaning).toBeDefined();
    while (!(await cleaning!.step())) { /* slices until done */ }
    expect(log.collectAbortedTransactions(0n, log.logEndOffset)).toEqual(aborted);
    const reopened = await reopen(log, { config: log.config });
    expect(reopened.collectAbortedTransactions(0n, reopened.logEndOffset)).toEqual(aborted);
  });

  it(`keeps producer state, open transactions and the aborted index exact across SIGKILLs`, async () => {
    let highestFlushed = -1n;
    for (let run = 0; run < 10; run++) {
      const result = await runUntilKilled(TXN_WRITER, [dir, String(run + 1)], run % 4 === 0 ? 0 : 5 + ((run * 37) % 50));
      expect(result.openedAt).toBeGreaterThan(highestFlushed);
      for (const offset of result.flushed) if (offset > highestFlushed) highestFlushed = offset;
    }
    const log = open({ config: logConfig({ segmentBytes: 6 * 1024 }), time: new MockTime(Date.now()) });
    expect(log.hadCleanShutdown).toBe(false);
    expect(log.segmentCount).toBeGreaterThan(2);
    expect(log.collectAbortedTransactions(0n, log.logEndOffset).length).toBeGreaterThan(2);
    expectStateMatchesModel(log);
  }, 90_000);
});
