import { appendFileSync, existsSync, openSync, closeSync, readSync, statSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { MockTime } from '../../time.js';
import { logConfig, type LogConfig } from '../config/log-config.js';
import { offsetFileName } from '../segment/file-names.js';
import { RecordingLogger, makeBatch, offsetsIn, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { CLEAN_SHUTDOWN_FILE } from './log-files.js';
import { PartitionLog } from './partition-log.js';

const T0 = 1_700_000_000_000;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
let time: MockTime;
const batchBytes = makeBatch(2, T0, 100).length;
const CONFIG: Partial<LogConfig> = { segmentBytes: batchBytes * 4, indexIntervalBytes: 0 };
const open = (logger: RecordingLogger) => PartitionLog.open(dir, { config: logConfig(CONFIG), time, logger });
const segmentFile = (base: bigint, suffix: string) => join(dir, offsetFileName(base, suffix));

beforeEach(() => {
  tmp = tempDir();
  dir = partitionDir(tmp.dir);
  time = new MockTime(T0);
});
afterEach(() => tmp.cleanup());

/** 10 batches of 2 records over segments [0, 8, 16]; then the process "dies" (no close). */
async function writeAndCrash(): Promise<void> {
  const log = open(new RecordingLogger());
  for (let i = 0; i < 10; i++) log.append(makeBatch(2, T0 + i, 100, i));
  await log.flush(); // nothing in flight when we pretend to crash
}

function flipByte(path: string, fromEnd: number): void {
  const fd = openSync(path, 'r+');
  const at = statSync(path).size - fromEnd;
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, at);
  b[0]! ^= 0x5a;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);
}

function reopenAndCheck(logger: RecordingLogger, expectedEnd: bigint): PartitionLog {
  let log: PartitionLog | undefined;
  expect(() => (log = open(logger))).not.toThrow();
  expect(log!.hadCleanShutdown).toBe(false);
  expect(log!.logEndOffset).toBe(expectedEnd);
  // Every returned batch decodes with a valid CRC and offsets are contiguous from 0.
  const offsets: bigint[] = [];
  for (let next = 0n; next < log!.logEndOffset; ) {
    const got = offsetsIn(log!.read(next, 1 << 20).records);
    offsets.push(...got);
    next = got[got.length - 1]! + 1n;
  }
  expect(offsets).toEqual(Array.from({ length: Number(expectedEnd) }, (_, i) => BigInt(i)));
  return log!;
}

describe('recovery after an unclean shutdown', () => {
  it('keeps everything when only the shutdown was unclean', async () => {
    await writeAndCrash();
    const logger = new RecordingLogger();
    const log = reopenAndCheck(logger, 20n);
    expect(logger.warnings).toEqual([]);
    await log.close();
  });

  it('drops a tail batch with flipped bytes, with a warning', async () => {
    await writeAndCrash();
    flipByte(segmentFile(16n, '.log'), 5);
    const logger = new RecordingLogger();
    const log = reopenAndCheck(logger, 18n);
    expect(logger.warnings.join('\n')).toMatch(/segment 16: dropped \d+ bytes at the tail after an invalid batch/);
    expect(log.append(makeBatch(2, T0)).firstOffset).toBe(18n);
    await log.close();
  });

  it('drops a batch cut mid-way and zero padding after it', async () => {
    await writeAndCrash();
    truncateSync(segmentFile(16n, '.log'), batchBytes + 30);
    appendFileSync(segmentFile(16n, '.log'), Buffer.alloc(500));
    const logger = new RecordingLogger();
    const log = reopenAndCheck(logger, 18n);
    expect(statSync(segmentFile(16n, '.log')).size).toBe(batchBytes);
    expect(logger.warnings.length).toBeGreaterThan(0);
    await log.close();
  });

  it('rebuilds a truncated offset index of an older segment', async () => {
    await writeAndCrash();
    const indexBytes = statSync(segmentFile(0n, '.index')).size;
    truncateSync(segmentFile(0n, '.index'), indexBytes - 3);
    const logger = new RecordingLogger();
    const log = reopenAndCheck(logger, 20n);
    expect(logger.warnings.join('\n')).toMatch(/segment 0: an index file is missing or has a partial entry; rebuilding/);
    expect(statSync(segmentFile(0n, '.index')).size).toBe(indexBytes);
    await log.close();
  });

  it('rebuilds an offset index whose entries point past the log', async () => {
    await writeAndCrash();
    writeFileSync(segmentFile(8n, '.index'), Buffer.from([0, 0, 0, 1, 0x7f, 0, 0, 0]));
    const logger = new RecordingLogger();
    const log = reopenAndCheck(logger, 20n);
    expect(logger.warnings.join('\n')).toMatch(/segment 8: entry 0 .* past the log/);
    await log.close();
  });

  it('rebuilds a missing time index', async () => {
    await writeAndCrash();
    const timeIndexBytes = statSync(segmentFile(8n, '.timeindex')).size;
    unlinkSync(segmentFile(8n, '.timeindex'));
    const logger = new RecordingLogger();
    const log = reopenAndCheck(logger, 20n);
    expect(logger.warnings.join('\n')).toMatch(/segment 8: an index file is missing/);
    expect(statSync(segmentFile(8n, '.timeindex')).size).toBe(timeIndexBytes);
    expect(log.offsetForTimestamp(BigInt(T0 + 5))?.offset).toBe(10n);
    await log.close();
  });

  it('drops the segments after a corrupt one', async () => {
    await writeAndCrash();
    unlinkSync(join(dir, 'log-offsets-checkpoint')); // forces a rescan of every segment
    flipByte(segmentFile(8n, '.log'), batchBytes + 5);
    const logger = new RecordingLogger();
    const log = reopenAndCheck(logger, 12n); // the third batch of segment 8 (offsets 12-13) is hit
    expect(existsSync(segmentFile(16n, '.log'))).toBe(false);
    expect(logger.warnings.join('\n')).toMatch(/removing 1 segment/);
    await log.close();
  });

  it('ignores a damaged clean-shutdown manifest and recovers', async () => {
    const log = open(new RecordingLogger());
    for (let i = 0; i < 10; i++) log.append(makeBatch(2, T0 + i));
    await log.close();
    flipByte(join(dir, CLEAN_SHUTDOWN_FILE), 10);
    const logger = new RecordingLogger();
    const reopened = reopenAndCheck(logger, 20n);
    expect(logger.warnings.join('\n')).toMatch(/ignoring the clean-shutdown manifest/);
    await reopened.close();
  });

  it('distrusts a manifest whose active segment size differs', async () => {
    const log = open(new RecordingLogger());
    for (let i = 0; i < 10; i++) log.append(makeBatch(2, T0 + i));
    await log.close();
    appendFileSync(segmentFile(16n, '.log'), Buffer.alloc(20, 1));
    const logger = new RecordingLogger();
    const reopened = reopenAndCheck(logger, 20n);
    expect(logger.warnings.join('\n')).toMatch(/the manifest says/);
    await reopened.close();
  });
});
