import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { MockTime } from '../../time.js';
import { logConfig } from '../config/log-config.js';
import { PartitionLog } from '../partition/partition-log.js';
import { RecordingLogger, makeBatch, offsetsIn, tempDir } from '../testing/log-fixtures.js';
import { LogSegment } from './log-segment.js';
import { OpenFiles } from './open-files.js';

const T0 = 1_700_000_000_000;
const CAP = 8;
const PARTITIONS = 50;
const ROUNDS = 7;
const batchBytes = makeBatch(2, T0, 100).length;
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

/** Descriptors this process holds on files under the test's directory, from /proc/self/fd. */
function openUnderTmp(): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(tmp.dir)) count++;
    } catch {
      // Closed between the listing and the readlink (the listing's own descriptor).
    }
  }
  return count;
}

/** Every offset from `from` on, reading segment by segment as a consumer would. */
function offsetsFrom(log: PartitionLog, from: bigint): bigint[] {
  const all: bigint[] = [];
  for (let next = from; next < log.logEndOffset; ) {
    const offsets = offsetsIn(log.read(next, 1 << 20).records);
    all.push(...offsets);
    next = offsets[offsets.length - 1]! + 1n;
  }
  return all;
}

function openLogs(files: OpenFiles): PartitionLog[] {
  // Three batches a segment and an index entry for every batch: rolls and index files in play.
  const config = logConfig({ segmentBytes: batchBytes * 3, indexIntervalBytes: 0 });
  const time = new MockTime(T0);
  return Array.from({ length: PARTITIONS }, (_, p) => PartitionLog.open(join(tmp.dir, `t-${p}`), { config, time, logger: new RecordingLogger(), openFiles: files }));
}

describe('OpenFiles with a set of partition logs', () => {
  it('appends, reads, flushes and rolls 50 partitions through 8 descriptors, and reopens them intact', async () => {
    const files = new OpenFiles(CAP);
    const logs = openLogs(files);
    let most = openUnderTmp();
    for (let round = 0; round < ROUNDS; round++) {
      // A roll starts an fsync of the segment it closes (.log, .index, .timeindex), which
      // keeps those descriptors open until it ends; nothing else may pass the cap.
      let rolled = 0;
      for (const log of logs) {
        const segments = log.segmentCount;
        log.append(makeBatch(2, T0 + round, 100, round));
        if (log.segmentCount > segments) rolled++;
        expect(openUnderTmp()).toBeLessThanOrEqual(CAP + 3 * rolled);
      }
      await Promise.all(logs.map((log) => log.flush()));
      most = Math.max(most, openUnderTmp());
    }
    const expected = Array.from({ length: ROUNDS * 2 }, (_, i) => BigInt(i));
    for (const log of logs) {
      expect(log.segmentCount).toBe(3);
      expect(offsetsFrom(log, 0n)).toEqual(expected);
      expect(log.offsetForTimestamp(BigInt(T0 + 4))?.offset).toBe(8n);
      most = Math.max(most, openUnderTmp());
    }
    expect(most).toBeLessThanOrEqual(CAP);
    expect(files.size).toBeLessThanOrEqual(CAP);
    await Promise.all(logs.map((log) => log.close()));
    expect(files.size).toBe(0);
    expect(openUnderTmp()).toBe(0);

    const reopened = openLogs(new OpenFiles(CAP));
    for (const log of reopened) {
      expect(log.hadCleanShutdown).toBe(true);
      expect(offsetsFrom(log, 3n)).toEqual(expected.slice(2));
    }
    expect(openUnderTmp()).toBeLessThanOrEqual(CAP);
    await Promise.all(reopened.map((log) => log.close()));
  });

  it('never closes a descriptor under an fsync in flight, and comes back to its cap after it', async () => {
    const files = new OpenFiles(1);
    const settings = { indexIntervalBytes: 4096, segmentIndexBytes: 1 << 20, openFiles: files };
    const [a, b, c] = [0, 100, 200].map((base) => LogSegment.create(tmp.dir, base, settings, T0)) as [LogSegment, LogSegment, LogSegment];
    a.append(makeBatch(2, T0));
    const syncing = a.flush(false);
    b.append(makeBatch(2, T0));
    // b's open asked a to close, which it may not while its fdatasync runs.
    expect(files.size).toBe(2);
    expect(openUnderTmp()).toBe(2);
    await syncing;
    c.logFd();
    expect(files.size).toBe(1);
    expect(openUnderTmp()).toBe(1);
    expect(offsetsIn(a.read(0, 1 << 20, undefined, true, Buffer.alloc(64))!.records)).toEqual([0n, 1n]);
    for (const segment of [a, b, c]) segment.close();
    expect(openUnderTmp()).toBe(0);
  });
});
