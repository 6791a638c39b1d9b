import { readdirSync } from 'node:fs';
import { MockTime } from '../../time.js';
import { iterateBatches } from '../batch/record-batch-decoder.js';
import { logConfig, type LogConfig } from '../config/log-config.js';
import { PartitionLog } from '../partition/partition-log.js';
import { keyedBatch, readAll } from '../testing/compaction-fixtures.js';
import { RecordingLogger, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { LogCleaner } from './log-cleaner.js';
import { OffsetMap } from './offset-map.js';

const T0 = 1_700_000_000_000;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
let time: MockTime;
const COMPACT: Partial<LogConfig> = { cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0, indexIntervalBytes: 0, segmentBytes: 400 };
const open = (fields: Partial<LogConfig> = {}) => PartitionLog.open(dir, { config: logConfig({ ...COMPACT, ...fields }), time, logger: new RecordingLogger() });
const cleanerFiles = () => readdirSync(dir).filter((n) => /\.(cleaned|swap|deleted)$/.test(n));

beforeEach(() => {
  tmp = tempDir();
  dir = partitionDir(tmp.dir);
  time = new MockTime(T0);
});
afterEach(() => tmp.cleanup());

/** 40 single-record batches over 10 keys across several segments, all committed; returns what was appended by offset. */
function fill(log: PartitionLog): Map<bigint, string> {
  const appended = new Map<bigint, string>();
  for (let i = 0; i < 40; i++) {
    const key = `k${i % 10}`;
    const { firstOffset } = log.append(keyedBatch([{ key, value: `v${i}` }], T0));
    appended.set(firstOffset, `${key}=v${i}`);
  }
  log.roll();
  log.updateHighWatermark(log.logEndOffset);
  return appended;
}

describe('cleaning while the log serves', () => {
  it('goes on appending, rolling and reading between slices; every read returns records as appended', async () => {
    const log = open();
    const appended = fill(log);
    const before = log.read(0n, 1 << 20).records; // a fetch answered before any swap
    const copy = Buffer.from(before);
    const cleaning = log.beginCleaning(new OffsetMap(4096), { sliceBytes: 100 })!;
    let steps = 0;
    let next = 100;
    while (!(await cleaning.step())) {
      steps++;
      const { firstOffset } = log.append(keyedBatch([{ key: `new${next}`, value: `n${next}` }], T0));
      appended.set(firstOffset, `new${next}=n${next}`);
      next++;
      if (steps % 7 === 0) log.roll();
      for (const r of readAll(log)) expect(`${r.key}=${r.value}`).toBe(appended.get(r.offset));
    }
    expect(steps).toBeGreaterThan(10);
    expect(cleaning.stats).toMatchObject({ logsCleaned: 1, recordsRemoved: 30 });
    expect(before.equals(copy)).toBe(true);
    // Its bytes are its own: the swap of the segment they came from changed nothing in them.
    expect([...iterateBatches(before)].map((b) => b.records[0]!.value!.toString())).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    const records = readAll(log);
    expect(records.filter((r) => r.key!.startsWith('k')).map((r) => r.value)).toEqual(['v30', 'v31', 'v32', 'v33', 'v34', 'v35', 'v36', 'v37', 'v38', 'v39']);
    expect(records.filter((r) => r.key!.startsWith('new'))).toHaveLength(next - 100);
    expect(cleanerFiles()).toEqual([]);
    await log.close();
  });

  it('is aborted by a truncation between slices: nothing swapped in after it, no file left, the checkpoint unmoved', async () => {
    const log = open();
    fill(log);
    const cleaning = log.beginCleaning(new OffsetMap(4096), { sliceBytes: 100 })!;
    // Step into the clean phase, then a follower's truncation below the high watermark.
    while (cleanerFiles().length === 0) await cleaning.step();
    const before = readAll(log).filter((r) => r.offset < 30n);
    log.truncateTo(30n);
    expect(cleaning.isDone).toBe(true);
    expect(cleaning.stats.logsAborted).toBe(1);
    expect(await cleaning.step()).toBe(true);
    expect(cleanerFiles()).toEqual([]);
    expect(readAll(log)).toEqual(before);
    expect(log.cleanability().firstDirtyOffset).toBe(0n);
    await log.close();
  });

  it('is aborted by retention deleting segments, and by close', async () => {
    const log = open({ cleanupPolicy: ['compact', 'delete'], retentionMs: 1000 });
    fill(log);
    const first = log.beginCleaning(new OffsetMap(4096), { sliceBytes: 100 })!;
    await first.step();
    time.advance(2000);
    expect(log.deleteOldSegments()).toBeGreaterThan(0);
    expect(first.stats.logsAborted).toBe(1);

    log.append(keyedBatch([{ key: 'x', value: '1' }], T0 + 2000));
    log.roll();
    log.updateHighWatermark(log.logEndOffset);
    const second = log.beginCleaning(new OffsetMap(4096), { sliceBytes: 1 })!;
    await second.step();
    await log.close();
    expect(second.stats.logsAborted).toBe(1);
    expect(cleanerFiles()).toEqual([]);
  });

  it('LogCleaner.close aborts the pass under way', async () => {
    const log = open();
    fill(log);
    let turns = 0;
    const cleaner: LogCleaner = new LogCleaner({
      sliceBytes: 100,
      yieldToEventLoop: async () => {
        if (++turns === 3) cleaner.close();
      },
    });
    const stats = await cleaner.clean(log);
    expect(stats).toMatchObject({ logsCleaned: 0, logsAborted: 1 });
    expect(await cleaner.clean(log)).toBeUndefined();
    expect(cleanerFiles()).toEqual([]);
    await log.close();
  });
});
