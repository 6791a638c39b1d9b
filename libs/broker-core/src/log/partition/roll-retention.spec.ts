import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isKafkaError } from '../../errors.js';
import { MockTime } from '../../time.js';
import { logConfig, type LogConfig } from '../config/log-config.js';
import { offsetFileName } from '../segment/file-names.js';
import { RecordingLogger, makeBatch, offsetsIn, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { PartitionLog } from './partition-log.js';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
let time: MockTime;
const open = (fields: Partial<LogConfig> = {}) => PartitionLog.open(dir, { config: logConfig(fields), time, logger: new RecordingLogger() });
const bases = (log: PartitionLog) => log.segmentInfos().map((s) => s.baseOffset);
const batchBytes = makeBatch(2, T0, 100).length;

beforeEach(() => {
  tmp = tempDir();
  dir = partitionDir(tmp.dir);
  time = new MockTime(T0);
});
afterEach(() => tmp.cleanup());

describe('segment roll', () => {
  it('rolls when the next append would pass segment.bytes', async () => {
    const log = open({ segmentBytes: batchBytes * 3 });
    for (let i = 0; i < 7; i++) log.append(makeBatch(2, T0, 100));
    expect(bases(log)).toEqual([0n, 6n, 12n]);
    expect(existsSync(join(dir, offsetFileName(6n, '.log')))).toBe(true);
    expect(offsetsIn(log.read(5n, 1 << 20).records)).toEqual([4n, 5n]);
    expect(offsetsIn(log.read(6n, 1 << 20).records)).toEqual([6n, 7n, 8n, 9n, 10n, 11n]);
    await log.close();
  });

  it('rolls on segment.ms measured from the first batch timestamp, never an empty segment', async () => {
    const log = open({ segmentMs: HOUR });
    log.append(makeBatch(1, T0));
    time.advance(HOUR + 1);
    log.append(makeBatch(1, T0 + HOUR)); // exactly segment.ms after the first batch: no roll
    expect(bases(log)).toEqual([0n]);
    log.append(makeBatch(1, T0 + HOUR + 1));
    expect(bases(log)).toEqual([0n, 2n]);
    await log.close();
  });

  it('rolls when the offset index is full', async () => {
    // 24 bytes hold 3 offset entries but only 2 time index entries (12 bytes each).
    const log = open({ segmentIndexBytes: 24, indexIntervalBytes: 0 });
    for (let i = 0; i < 4; i++) log.append(makeBatch(1, T0 + i));
    // Entries go to the 2nd and 3rd batch; then the time index is full and the 4th batch rolls.
    expect(bases(log)).toEqual([0n, 3n]);
    await log.close();
  });
});

describe('retention', () => {
  it('deletes segments past retention.ms, oldest first, never the active one and never past the high watermark', async () => {
    const log = open({ segmentBytes: batchBytes, retentionMs: 10 * HOUR });
    for (let i = 0; i < 5; i++) log.append(makeBatch(2, T0 + i * HOUR));
    expect(bases(log)).toEqual([0n, 2n, 4n, 6n, 8n]);
    time.advance(13 * HOUR + 1); // segments with timestamps T0..T0+3h are older than 10 h
    expect(log.deleteOldSegments()).toBe(0); // high watermark still 0
    log.updateHighWatermark(4n);
    expect(log.deleteOldSegments()).toBe(2);
    expect(bases(log)).toEqual([4n, 6n, 8n]);
    expect(log.logStartOffset).toBe(4n);
    log.updateHighWatermark(log.logEndOffset);
    time.advance(100 * HOUR);
    expect(log.deleteOldSegments()).toBe(2);
    expect(bases(log)).toEqual([8n]); // the active segment stays
    expect(existsSync(join(dir, offsetFileName(0n, '.log')))).toBe(false);
    expect(existsSync(join(dir, offsetFileName(0n, '.index')))).toBe(false);
    await log.close();
    const reopened = open();
    expect(reopened.logStartOffset).toBe(8n);
    await reopened.close();
  });

  it('deletes the oldest segments beyond retention.bytes', async () => {
    const log = open({ segmentBytes: batchBytes, retentionBytes: batchBytes * 2 });
    for (let i = 0; i < 5; i++) log.append(makeBatch(2, T0));
    log.updateHighWatermark(log.logEndOffset);
    expect(log.deleteOldSegments()).toBe(3);
    expect(bases(log)).toEqual([6n, 8n]);
    expect(log.size).toBe(batchBytes * 2);
    await log.close();
  });

  it('with cleanup.policy=compact deletes only below the log start offset', async () => {
    const log = open({ segmentBytes: batchBytes, retentionMs: 1, cleanupPolicy: ['compact'] });
    for (let i = 0; i < 3; i++) log.append(makeBatch(2, T0));
    log.updateHighWatermark(log.logEndOffset);
    time.advance(HOUR);
    expect(log.deleteOldSegments()).toBe(0);
    log.deleteRecordsBefore(3n);
    expect(bases(log)).toEqual([2n, 4n]);
    await log.close();
  });
});

describe('deleteRecordsBefore and truncation', () => {
  it('moves the log start offset, persists it and hides older offsets', async () => {
    const log = open({ segmentBytes: batchBytes * 2 });
    for (let i = 0; i < 6; i++) log.append(makeBatch(2, T0));
    let thrown: unknown;
    try {
      log.deleteRecordsBefore(5n);
    } catch (err) {
      thrown = err;
    }
    expect(isKafkaError(thrown, 'OFFSET_OUT_OF_RANGE')).toBe(true);
    log.updateHighWatermark(12n);
    expect(log.deleteRecordsBefore(5n)).toBe(5n);
    expect(bases(log)).toEqual([4n, 8n]);
    expect(() => log.read(4n, 100)).toThrow(/OFFSET_OUT_OF_RANGE/);
    expect(offsetsIn(log.read(5n, 1 << 20).records)[0]).toBe(4n); // the whole batch holding 5
    // A crash (no close) must keep the new start offset: it was synced at once.
    const crashed = open({ segmentBytes: batchBytes * 2 });
    expect(crashed.logStartOffset).toBe(5n);
    expect(crashed.hadCleanShutdown).toBe(false);
    await crashed.close();
  });

  it('truncateTo cuts at the batch holding the offset, across segments, and survives reopen', async () => {
    const log = open({ segmentBytes: batchBytes * 2, indexIntervalBytes: 0 });
    for (let i = 0; i < 6; i++) log.append(makeBatch(2, T0 + i));
    log.updateHighWatermark(12n);
    log.truncateTo(7n);
    expect(log.logEndOffset).toBe(6n);
    expect(log.highWatermark).toBe(6n);
    expect(bases(log)).toEqual([0n, 4n]);
    expect(offsetsIn(log.read(0n, 1 << 20).records)).toEqual([0n, 1n, 2n, 3n]);
    expect(log.segmentInfos()[1]!.largestTimestamp).toBe(BigInt(T0 + 2));
    log.append(makeBatch(2, T0 + 9));
    expect(offsetsIn(log.read(4n, 1 << 20).records)).toEqual([4n, 5n, 6n, 7n]);
    await log.close();
    const reopened = open({ segmentBytes: batchBytes * 2, indexIntervalBytes: 0 });
    expect(reopened.logEndOffset).toBe(8n);
    expect(offsetsIn(reopened.read(6n, 1 << 20).records)).toEqual([6n, 7n]);
    await reopened.close();
  });

  it('truncateFullyAndStartAt empties the log at a new offset', async () => {
    const log = open();
    log.append(makeBatch(3, T0));
    log.truncateFullyAndStartAt(100n);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([100n, 100n]);
    expect(log.append(makeBatch(1, T0)).firstOffset).toBe(100n);
    await log.close();
    const reopened = open();
    expect([reopened.logStartOffset, reopened.logEndOffset, bases(reopened)]).toEqual([100n, 101n, [100n]]);
    await reopened.close();
  });
});
