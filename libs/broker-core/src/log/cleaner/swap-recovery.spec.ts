import { cpSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MockTime } from '../../time.js';
import { logConfig, type LogConfig } from '../config/log-config.js';
import { CLEAN_SHUTDOWN_FILE } from '../partition/log-files.js';
import { PartitionLog } from '../partition/partition-log.js';
import { offsetFileName } from '../segment/file-names.js';
import { cleanOnce, keyedBatch, readAll } from '../testing/compaction-fixtures.js';
import { RecordingLogger, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { OffsetMap } from './offset-map.js';

const T0 = 1_700_000_000_000;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
let cleanedDir: string;
let time: MockTime;
const COMPACT: Partial<LogConfig> = { cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0, indexIntervalBytes: 0 };
const openAt = (at: string, logger = new RecordingLogger()) => PartitionLog.open(at, { config: logConfig(COMPACT), time, logger });
const view = (log: PartitionLog) => readAll(log).map((r) => `${r.offset}:${r.key}=${r.value}`);
const file = (at: string, base: number, suffix: string) => join(at, offsetFileName(base, suffix));

beforeEach(() => {
  tmp = tempDir();
  dir = partitionDir(tmp.dir);
  cleanedDir = join(tmp.dir, 'cleaned-0');
  time = new MockTime(T0);
});
afterEach(() => tmp.cleanup());

/**
 * Segments [0, 3, 6] and the active one at 9, closed cleanly in `dir`; the same log
 * cleaned in `cleanedDir`, where the three segments became one cleaned segment at 0.
 * Returns what each reads.
 */
async function logAndItsCleanedCopy(): Promise<{ original: string[]; cleaned: string[] }> {
  const log = openAt(dir);
  for (const round of [['a', 'b', 'a'], ['c', 'a', 'b'], ['d', 'c', 'e']]) {
    for (const key of round) log.append(keyedBatch([{ key, value: `${key}${log.logEndOffset}` }], T0));
    log.roll();
  }
  log.append(keyedBatch([{ key: 'a', value: 'active' }], T0));
  log.updateHighWatermark(log.logEndOffset);
  const original = view(log);
  await log.close();
  cpSync(dir, cleanedDir, { recursive: true });
  const copy = openAt(cleanedDir);
  copy.updateHighWatermark(copy.logEndOffset);
  expect(await cleanOnce(copy, new OffsetMap(4096))).toMatchObject({ segmentsCleaned: 3, segmentsWritten: 1 });
  const cleaned = view(copy);
  expect(copy.segmentInfos().map((s) => s.baseOffset)).toEqual([0n, 9n]);
  await copy.close();
  return { original, cleaned };
}

/** Reopens `dir` as after a crash (no clean-shutdown manifest) and checks it reads `expected` with no cleaner file left. */
async function reopenAfterCrash(expected: string[]): Promise<RecordingLogger> {
  rmSync(join(dir, CLEAN_SHUTDOWN_FILE), { force: true });
  const logger = new RecordingLogger();
  const log = openAt(dir, logger);
  expect(log.hadCleanShutdown).toBe(false);
  expect(view(log)).toEqual(expected);
  expect(log.logEndOffset).toBe(10n);
  expect(readdirSync(dir).filter((n) => /\.(cleaned|swap|deleted)$/.test(n))).toEqual([]);
  // The log goes on: appends, and another pass, work.
  expect(log.append(keyedBatch([{ key: 'z', value: '1' }], T0)).firstOffset).toBe(10n);
  await log.close();
  return logger;
}

describe('a crash in the middle of a cleaner swap', () => {
  it('discards .cleaned files: the pass had not finished', async () => {
    const { original } = await logAndItsCleanedCopy();
    cpSync(file(cleanedDir, 0, '.log'), file(dir, 0, '.log.cleaned'));
    cpSync(file(cleanedDir, 0, '.index'), file(dir, 0, '.index.cleaned'));
    await reopenAfterCrash(original);
  });

  it('discards index .swap files whose log never became a swap', async () => {
    const { original } = await logAndItsCleanedCopy();
    cpSync(file(cleanedDir, 0, '.index'), file(dir, 0, '.index.swap'));
    cpSync(file(cleanedDir, 0, '.log'), file(dir, 0, '.log.cleaned'));
    await reopenAfterCrash(original);
  });

  it('completes a swap whose originals are all still there', async () => {
    const { cleaned } = await logAndItsCleanedCopy();
    for (const suffix of ['.log', '.index', '.timeindex']) cpSync(file(cleanedDir, 0, suffix), file(dir, 0, `${suffix}.swap`));
    const logger = await reopenAfterCrash(cleaned);
    expect(logger.warnings.join('\n')).toMatch(/completed an interrupted cleaner swap at offset 0, replacing 3 segment\(s\)/);
    expect(existsSync(file(dir, 3, '.log'))).toBe(false);
  });

  it('completes a swap when some originals were already renamed to .deleted', async () => {
    const { cleaned } = await logAndItsCleanedCopy();
    cpSync(file(cleanedDir, 0, '.log'), file(dir, 0, '.log.swap'));
    for (const suffix of ['.log', '.index', '.timeindex']) renameSync(file(dir, 0, suffix), file(dir, 0, `${suffix}.deleted`));
    renameSync(file(dir, 3, '.log'), file(dir, 3, '.log.deleted'));
    await reopenAfterCrash(cleaned);
    expect(existsSync(file(dir, 3, '.index'))).toBe(false);
  });

  it('removes .deleted leftovers of a swap that had finished', async () => {
    const { cleaned } = await logAndItsCleanedCopy();
    for (const base of [0, 3, 6]) cpSync(file(dir, base, '.log'), file(cleanedDir, base, '.log.deleted'), { force: false });
    rmSync(dir, { recursive: true });
    cpSync(cleanedDir, dir, { recursive: true });
    await reopenAfterCrash(cleaned);
  });

  it('leaves no cleaned file behind when a pass stops half-way, and the log reads as before', async () => {
    const { original } = await logAndItsCleanedCopy();
    const log = openAt(dir);
    log.updateHighWatermark(log.logEndOffset);
    const cleaning = log.beginCleaning(new OffsetMap(4096), { sliceBytes: 1 })!;
    while (!existsSync(file(dir, 0, '.log.cleaned'))) expect(await cleaning.step()).toBe(false);
    expect(await cleaning.step()).toBe(false); // a batch or more written, the group not finished
    // The process dies here: no close, the next open recovers.
    await reopenAfterCrash(original);
  });
});
