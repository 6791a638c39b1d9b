import { MockTime } from '../../time.js';
import { logConfig, type LogConfig } from '../config/log-config.js';
import { expectKafkaError } from '../batch/testing/expect-kafka-error.js';
import { PartitionLog } from '../partition/partition-log.js';
import { cleanOnce, keyedBatch, readAll } from '../testing/compaction-fixtures.js';
import { RecordingLogger, offsetsIn, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { LogCleaner } from './log-cleaner.js';
import { OffsetMap } from './offset-map.js';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
let time: MockTime;
let map: OffsetMap;
const COMPACT: Partial<LogConfig> = { cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0, indexIntervalBytes: 0 };
const open = (fields: Partial<LogConfig> = {}) => PartitionLog.open(dir, { config: logConfig({ ...COMPACT, ...fields }), time, logger: new RecordingLogger() });
const one = (key: string | null, value: string | null, ts = T0) => keyedBatch([{ key, value }], ts);
const view = (log: PartitionLog) => readAll(log).map((r) => `${r.offset}:${r.key}=${r.value ?? 'null'}`);

beforeEach(() => {
  tmp = tempDir();
  dir = partitionDir(tmp.dir);
  time = new MockTime(T0);
  map = new OffsetMap(64 * 1024);
});
afterEach(() => tmp.cleanup());

/** Appends, rolls, and commits everything (the high watermark at the log end). */
function appendRolled(log: PartitionLog, batches: Buffer[]): void {
  for (const b of batches) log.append(b);
  log.roll();
  log.updateHighWatermark(log.logEndOffset);
}

describe('compaction', () => {
  it('keeps the latest record per key at its offset; a read at a removed offset starts at the next kept record', async () => {
    const log = open();
    time.advance(MINUTE); // the roll below is the segment's last modification
    appendRolled(log, [one('a', '1'), one('b', '1'), one('a', '2'), one('c', '1'), one('b', '2'), one('a', '3')]);
    time.advance(MINUTE);
    const stats = await cleanOnce(log, map);
    expect(stats).toMatchObject({ logsCleaned: 1, recordsRead: 6, recordsRemoved: 3, segmentsCleaned: 1, segmentsWritten: 1 });
    expect(stats!.bytesWritten).toBeLessThan(stats!.bytesRead);
    expect(view(log)).toEqual(['3:c=1', '4:b=2', '5:a=3']);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([0n, 6n]);
    expect(offsetsIn(log.read(1n, 1 << 20).records)[0]).toBe(3n);
    expect(log.cleanability()).toMatchObject({ firstDirtyOffset: 6n, cleanableBytes: 0, needsCleaning: false });
    expect(log.append(one('d', '1')).firstOffset).toBe(6n);
    await log.close();

    // The checkpoint and the cleaned segment survive a clean restart.
    const reopened = open();
    expect(reopened.hadCleanShutdown).toBe(true);
    expect(view(reopened)).toEqual(['3:c=1', '4:b=2', '5:a=3', '6:d=1']);
    expect(reopened.cleanability().firstDirtyOffset).toBe(6n);
    // The cleaned segment kept the last-modified time of the one it replaced (its roll), across the restart.
    expect(reopened.segmentInfos().map((s) => s.lastModifiedMs)).toEqual([T0 + MINUTE, T0 + MINUTE]);
    await reopened.close();
  });

  it('leaves the offsets of removed records unused: a truncation into such a gap ends the log there', async () => {
    const log = open({ segmentBytes: 150 }); // two batches: segments are cleaned one by one
    appendRolled(log, [one('a', '1'), one('x', '1')]);
    appendRolled(log, [one('a', '2'), one('x', '2')]);
    await cleanOnce(log, map);
    expect(log.segmentInfos().map((s) => [s.baseOffset, s.nextOffset, s.sizeInBytes === 0])).toEqual([[0n, 2n, true], [2n, 4n, false], [4n, 4n, true]]);
    expect(log.offsetForTimestamp(-3n)).toEqual({ timestamp: BigInt(T0), offset: 2n }); // the emptied segment has no timestamp
    log.truncateTo(1n);
    expect(log.logEndOffset).toBe(1n);
    expect(log.append(one('b', '1')).firstOffset).toBe(1n);
    await log.close();
  });

  it('removes a tombstone only once a clean segment was modified delete.retention.ms after its own', async () => {
    const segmentBytes = 2 * one('a', '1').length;
    const log = open({ segmentBytes, deleteRetentionMs: HOUR });
    const pass = async () => void (await cleanOnce(log, map));
    appendRolled(log, [one('a', '1'), one('a', null)]); // segment last modified at T0
    await pass(); // nothing clean yet: every tombstone stays
    expect(view(log)).toEqual(['1:a=null']);
    time.advance(59 * MINUTE);
    appendRolled(log, [one('b', '1'), one('c', '1')]);
    await pass();
    appendRolled(log, [one('d', '1'), one('e', '1')]);
    await pass(); // the last clean segment is 59 minutes younger than the tombstone's
    expect(view(log)[0]).toBe('1:a=null');
    time.advance(2 * MINUTE);
    appendRolled(log, [one('f', '1'), one('g', '1')]);
    await pass();
    expect(view(log)[0]).toBe('1:a=null');
    appendRolled(log, [one('h', '1'), one('i', '1')]);
    const stats = await cleanOnce(log, map); // now the last clean segment is 61 minutes younger
    expect(stats?.tombstonesRemoved).toBe(1);
    expect(view(log).slice(0, 2)).toEqual(['2:b=1', '3:c=1']);
    await log.close();
  });

  it('never touches the active segment nor records at or above the high watermark', async () => {
    const log = open();
    appendRolled(log, [one('a', '1'), one('a', '2')]);
    appendRolled(log, [one('a', '3'), one('b', '1'), one('b', '2')]);
    log.append(one('a', '5')); // active
    log.updateHighWatermark(3n); // b=1 at 3 and later are not committed
    expect(log.cleanability().firstUncleanableOffset).toBe(3n);
    const aboveBefore = log.read(3n, 1 << 20).records;
    await cleanOnce(log, map);
    // a=3 (below the HW) supersedes a=1 and a=2; b=1 is above it, so b=2 does not count.
    expect(view(log)).toEqual(['2:a=3', '3:b=1', '4:b=2', '5:a=5']);
    expect(log.read(3n, 1 << 20).records.equals(aboveBefore)).toBe(true);
    expect(log.cleanability().firstDirtyOffset).toBe(3n);
    log.updateHighWatermark(log.logEndOffset);
    await cleanOnce(log, map);
    expect(view(log)).toEqual(['2:a=3', '4:b=2', '5:a=5']); // the active segment's a=5 still does not count
    await log.close();
  });

  it('leaves segments holding records younger than min.compaction.lag.ms dirty', async () => {
    const log = open({ minCompactionLagMs: HOUR });
    appendRolled(log, [one('a', '1', T0 - 2 * HOUR), one('a', '2', T0 - 2 * HOUR)]);
    appendRolled(log, [one('a', '3', T0 - 10 * MINUTE)]);
    expect(log.cleanability()).toMatchObject({ firstDirtyOffset: 0n, firstUncleanableOffset: 2n });
    await cleanOnce(log, map);
    expect(view(log)).toEqual(['1:a=2', '2:a=3']);
    time.advance(51 * MINUTE);
    expect(log.cleanability().firstUncleanableOffset).toBe(3n);
    await cleanOnce(log, map);
    expect(view(log)).toEqual(['2:a=3']);
    await log.close();
  });

  it('takes a log when its dirty ratio reaches min.cleanable.dirty.ratio', async () => {
    const log = open({ minCleanableDirtyRatio: 0.5 });
    const cleaner = new LogCleaner();
    const candidates = [{ name: 'topic-0', log }];
    appendRolled(log, [one('a', '1'), one('b', '1'), one('c', '1'), one('d', '1')]);
    expect(log.cleanability()).toMatchObject({ dirtyRatio: 1, needsCleaning: true });
    expect((await cleaner.cleanLogs(candidates)).logsCleaned).toBe(1);
    expect(log.cleanability()).toMatchObject({ dirtyRatio: 0, needsCleaning: false });
    appendRolled(log, [one('a', '2'), one('b', '2'), one('c', '2')]); // 3 dirty batches over 7
    expect(log.cleanability().dirtyRatio).toBeCloseTo(3 / 7);
    expect((await cleaner.cleanLogs(candidates)).logsCleaned).toBe(0);
    appendRolled(log, [one('d', '2')]);
    expect(log.cleanability()).toMatchObject({ dirtyRatio: 0.5, needsCleaning: true });
    const stats = await cleaner.cleanLogs(candidates);
    expect(stats).toMatchObject({ logsCleaned: 1, recordsRemoved: 4 });
    expect(view(log)).toEqual(['4:a=2', '5:b=2', '6:c=2', '7:d=2']);
    cleaner.close();
    await log.close();
  });

  it('cleans a log past max.compaction.lag.ms whatever its ratio, rolling the active segment for it', async () => {
    const log = open({ minCleanableDirtyRatio: 0.9, maxCompactionLagMs: HOUR });
    appendRolled(log, [one('a', '1'), one('b', '1'), one('c', '1')]);
    await cleanOnce(log, map);
    log.append(one('a', '2'));
    log.append(one('a', '3', T0 + HOUR + 1)); // an hour after the segment's first batch: rolls
    expect(log.segmentInfos().map((s) => s.baseOffset)).toEqual([0n, 3n, 4n]);
    log.updateHighWatermark(log.logEndOffset);
    expect(log.cleanability()).toMatchObject({ maxCompactionDelayMs: 0, needsCleaning: false });
    time.advance(HOUR + 5);
    expect(log.cleanability()).toMatchObject({ maxCompactionDelayMs: 5, needsCleaning: true });
    expect((await new LogCleaner().cleanLogs([{ name: 'topic-0', log }])).logsCleaned).toBe(1);
    expect(view(log)).toEqual(['1:b=1', '2:c=1', '3:a=2', '4:a=3']);
    await log.close();
  });

  it('refuses records without a key in a compacted topic, and drops those written before it was one', async () => {
    const log = open({ cleanupPolicy: ['delete'] });
    log.append(one(null, 'before'));
    log.append(one('a', '1'));
    log.updateConfig(logConfig({ ...COMPACT }));
    expectKafkaError(() => log.append(keyedBatch([{ key: 'b', value: '1' }, { key: null, value: 'x' }], T0)), 'INVALID_RECORD', /Compacted topic cannot accept message without key/);
    expect(log.logEndOffset).toBe(2n);
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
    expect((await cleanOnce(log, map))?.keylessRecordsRemoved).toBe(1);
    expect(view(log)).toEqual(['1:a=1']);
    await log.close();
  });
});
