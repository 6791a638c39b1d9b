import { readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MockTime } from '../../time.js';
import { iterateBatches } from '../batch/record-batch-decoder.js';
import { logConfig, type LogConfig } from '../config/log-config.js';
import { LEADER_EPOCH_CHECKPOINT_FILE } from '../epoch/leader-epoch-cache.js';
import { offsetFileName } from '../segment/file-names.js';
import { RecordingLogger, makeBatch, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { PartitionLog } from './partition-log.js';
import type { LeaderEpochEntry } from './types.js';

const T0 = 1_700_000_000_000;
const batchBytes = makeBatch(2, T0, 100).length;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
let time: MockTime;
let logger: RecordingLogger;
const open = (fields: Partial<LogConfig> = {}, at = dir) => PartitionLog.open(at, { config: logConfig(fields), time, logger });
const epochFile = (at = dir) => join(at, LEADER_EPOCH_CHECKPOINT_FILE);
const inode = () => statSync(epochFile()).ino;
const entries = (...pairs: [number, number][]): LeaderEpochEntry[] => pairs.map(([epoch, start]) => ({ epoch, startOffset: BigInt(start) }));

beforeEach(() => {
  tmp = tempDir('weir-log-epochs-');
  dir = partitionDir(tmp.dir);
  time = new MockTime(T0);
  logger = new RecordingLogger();
});
afterEach(() => tmp.cleanup());

/** Appends batches of 2 records as leader, one per epoch given (-1: no epoch). */
function appendEpochs(log: PartitionLog, ...epochs: number[]): void {
  for (const epoch of epochs) log.append(makeBatch(2, T0), epoch < 0 ? undefined : { leaderEpoch: epoch });
}

/** What the batch headers say: each epoch (>= 0) change and the base offset where it happened. */
function epochsInBatches(log: PartitionLog): LeaderEpochEntry[] {
  const found: LeaderEpochEntry[] = [];
  if (log.logEndOffset === log.logStartOffset) return found;
  for (const batch of iterateBatches(log.read(log.logStartOffset, 1 << 30).records)) {
    if (batch.partitionLeaderEpoch >= 0 && batch.partitionLeaderEpoch !== found[found.length - 1]?.epoch) {
      const start = batch.baseOffset > log.logStartOffset ? batch.baseOffset : log.logStartOffset;
      found.push({ epoch: batch.partitionLeaderEpoch, startOffset: start });
    }
  }
  return found;
}

describe('PartitionLog leader epochs', () => {
  it('records each new leader epoch at the first offset of its append, without writing again for the same epoch', async () => {
    const log = open();
    expect(readFileSync(epochFile(), 'utf8')).toBe('0\n0\n'); // a new log gets an empty cache file
    expect(log.latestEpoch).toBe(-1);
    appendEpochs(log, 3);
    const written = inode();
    appendEpochs(log, 3, 3, -1);
    expect(inode()).toBe(written);
    appendEpochs(log, 5, 5);
    expect(log.leaderEpochEntries()).toEqual(entries([3, 0], [5, 8]));
    expect(readFileSync(epochFile(), 'utf8')).toBe('0\n2\n3 0\n5 8\n');
    expect(log.latestEpoch).toBe(5);
    expect(log.endOffsetForEpoch(3)).toEqual({ leaderEpoch: 3, endOffset: 8n });
    expect(log.endOffsetForEpoch(4)).toEqual({ leaderEpoch: 3, endOffset: 8n });
    expect(log.endOffsetForEpoch(5)).toEqual({ leaderEpoch: 5, endOffset: 12n });
    expect(log.endOffsetForEpoch(2)).toEqual({ leaderEpoch: 2, endOffset: 0n });
    expect(log.endOffsetForEpoch(6)).toEqual({ leaderEpoch: -1, endOffset: -1n });
    await log.close();
    const reopened = open();
    expect(reopened.hadCleanShutdown).toBe(true);
    expect(reopened.leaderEpochEntries()).toEqual(entries([3, 0], [5, 8]));
    expect(logger.warnings).toEqual([]);
    await reopened.close();
  });

  it('starts a new leader epoch at the log end offset before anything is written in it', async () => {
    const log = open();
    appendEpochs(log, 1, 1);
    log.assignLeaderEpoch(2);
    expect(log.leaderEpochStartOffset(2)).toBe(4n);
    expect(log.leaderEpochStartOffset(7)).toBeUndefined();
    // A follower still in epoch 1 learns that it ended at 4, though epoch 2 wrote nothing yet.
    expect(log.endOffsetForEpoch(1)).toEqual({ leaderEpoch: 1, endOffset: 4n });
    appendEpochs(log, 2);
    expect(log.leaderEpochEntries()).toEqual(entries([1, 0], [2, 4]));
    await log.close();
  });

  it('refuses an impossible leader epoch before writing anything', async () => {
    const log = open();
    expect(() => log.append(makeBatch(2, T0), { leaderEpoch: 2 ** 31 })).toThrow(RangeError);
    expect(log.logEndOffset).toBe(0n);
    expect(log.leaderEpochEntries()).toEqual([]);
    await log.close();
  });
});

describe('PartitionLog follower epochs', () => {
  it('takes the epochs of fetched batches, several per fetch and across fetches, skipping batches without one', async () => {
    const leader = open({}, join(tmp.dir, 'leader-0'));
    appendEpochs(leader, 1, 1, -1, 2, 4, 4, 7);
    const bytes = leader.read(0n, 1 << 20).records;
    const follower = open();
    const cut = batchBytes * 5; // after the first batch of epoch 4
    follower.appendAsFollower(Buffer.from(bytes.subarray(0, cut)));
    expect(follower.leaderEpochEntries()).toEqual(entries([1, 0], [2, 6], [4, 8]));
    const written = inode();
    follower.appendAsFollower(Buffer.from(bytes.subarray(cut, cut + batchBytes)));
    expect(inode()).toBe(written); // epoch 4 again: nothing to write
    follower.appendAsFollower(Buffer.from(bytes.subarray(cut + batchBytes)));
    expect(follower.leaderEpochEntries()).toEqual(leader.leaderEpochEntries());
    expect(follower.leaderEpochEntries()).toEqual(entries([1, 0], [2, 6], [4, 8], [7, 12]));
    await Promise.all([leader.close(), follower.close()]);
  });

  it('leaves the cache alone when a follower append is refused', async () => {
    const leader = open({}, join(tmp.dir, 'leader-0'));
    appendEpochs(leader, 1, 2);
    const bytes = Buffer.from(leader.read(0n, 1 << 20).records);
    const follower = open();
    follower.appendAsFollower(bytes);
    bytes[bytes.length - 1]! ^= 0xff; // the second batch's CRC no longer matches
    follower.truncateTo(0n);
    expect(() => follower.appendAsFollower(bytes)).toThrow();
    expect(follower.leaderEpochEntries()).toEqual([]);
    await Promise.all([leader.close(), follower.close()]);
  });
});

describe('PartitionLog epochs follow truncation and the log start', () => {
  /** Epoch 1 at [0, 4), 2 at [4, 8), 4 at [8, 12): batches of 2 records. */
  function threeEpochs(fields: Partial<LogConfig> = {}): PartitionLog {
    const log = open(fields);
    appendEpochs(log, 1, 1, 2, 2, 4, 4);
    return log;
  }

  it('truncateTo cuts the cache at the new log end, then a new epoch follows', async () => {
    const log = threeEpochs();
    log.truncateTo(8n);
    expect(log.leaderEpochEntries()).toEqual(entries([1, 0], [2, 4]));
    log.truncateTo(5n); // inside the batch [4, 5]: the log ends at 4
    expect(log.logEndOffset).toBe(4n);
    expect(log.leaderEpochEntries()).toEqual(entries([1, 0]));
    appendEpochs(log, 3);
    expect(log.leaderEpochEntries()).toEqual(entries([1, 0], [3, 4]));
    await log.close();
    const reopened = open();
    expect(reopened.leaderEpochEntries()).toEqual(entries([1, 0], [3, 4]));
    await reopened.close();
  });

  it('truncateFullyAndStartAt empties the cache', async () => {
    const log = threeEpochs();
    log.truncateFullyAndStartAt(100n);
    expect(log.leaderEpochEntries()).toEqual([]);
    expect(readFileSync(epochFile(), 'utf8')).toBe('0\n0\n');
    appendEpochs(log, 6);
    expect(log.leaderEpochEntries()).toEqual(entries([6, 100]));
    await log.close();
  });

  it('deleteRecordsBefore moves the first remaining epoch up to the new log start', async () => {
    const log = threeEpochs();
    log.updateHighWatermark(12n);
    log.deleteRecordsBefore(3n);
    expect(log.leaderEpochEntries()).toEqual(entries([1, 3], [2, 4], [4, 8]));
    log.deleteRecordsBefore(9n);
    expect(log.leaderEpochEntries()).toEqual(entries([4, 9]));
    expect(log.endOffsetForEpoch(2)).toEqual({ leaderEpoch: 2, endOffset: 9n });
    await log.close();
    const reopened = open();
    expect(reopened.leaderEpochEntries()).toEqual(entries([4, 9]));
    await reopened.close();
  });

  it('retention deleting segments moves the cache start with the log start', async () => {
    const log = threeEpochs({ segmentBytes: batchBytes * 3, retentionBytes: batchBytes * 3 });
    log.updateHighWatermark(12n);
    expect(log.deleteOldSegments()).toBe(1);
    expect(log.logStartOffset).toBe(6n);
    expect(log.leaderEpochEntries()).toEqual(entries([2, 6], [4, 8]));
    await log.close();
  });
});

describe('PartitionLog epoch cache on open', () => {
  it('rebuilds a missing cache from the batch headers once, after a clean or an unclean shutdown', async () => {
    const log = open({ segmentBytes: batchBytes * 2 });
    appendEpochs(log, 1, 1, 2, -1, 4, 4, 4);
    log.updateHighWatermark(14n);
    log.deleteRecordsBefore(1n);
    const expected = entries([1, 1], [2, 4], [4, 8]);
    expect(log.leaderEpochEntries()).toEqual(expected);
    await log.close();
    unlinkSync(epochFile());
    const clean = open();
    expect(clean.hadCleanShutdown).toBe(true);
    expect(clean.leaderEpochEntries()).toEqual(expected);
    expect(readFileSync(epochFile(), 'utf8')).toBe('0\n3\n1 1\n2 4\n4 8\n');
    // Unclean this time (no close), and the file gone again.
    await clean.flush();
    unlinkSync(epochFile());
    const unclean = open();
    expect(unclean.hadCleanShutdown).toBe(false);
    expect(unclean.leaderEpochEntries()).toEqual(expected);
    // A missing file is expected (an older data dir), not worth a warning.
    expect(logger.warnings.filter((w) => w.includes('leader epoch'))).toEqual([]);
    await unclean.close();
  });

  it('rebuilds an unreadable cache file, with a warning', async () => {
    const log = open();
    appendEpochs(log, 1, 3);
    await log.close();
    writeFileSync(epochFile(), '0\n2\n1 0\n3 ');
    const reopened = open();
    expect(reopened.leaderEpochEntries()).toEqual(entries([1, 0], [3, 2]));
    expect(logger.warnings.join('\n')).toMatch(/leader-epoch-checkpoint is unreadable: .*no newline.*rebuilding the leader epoch cache/);
    await reopened.close();
  });

  it('after a crash that lost the tail of the log, drops the epochs the log no longer has', async () => {
    const log = open({ segmentBytes: batchBytes * 10 });
    appendEpochs(log, 1, 1, 2, 3);
    // The new leader epoch 5 was recorded (the file is written first) but its batch never was.
    log.assignLeaderEpoch(5);
    expect(log.leaderEpochEntries()).toEqual(entries([1, 0], [2, 4], [3, 6], [5, 8]));
    await log.flush();
    // Power loss: the last batch (epoch 3) is torn.
    const segment = join(dir, offsetFileName(0n, '.log'));
    truncateSync(segment, statSync(segment).size - 10);
    const reopened = open();
    expect(reopened.hadCleanShutdown).toBe(false);
    expect(reopened.logEndOffset).toBe(6n);
    expect(reopened.leaderEpochEntries()).toEqual(entries([1, 0], [2, 4]));
    expect(readFileSync(epochFile(), 'utf8')).toBe('0\n2\n1 0\n2 4\n');
    expect(reopened.leaderEpochEntries()).toEqual(epochsInBatches(reopened));
    await reopened.close();
  });
});
