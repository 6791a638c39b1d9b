import { appendFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isKafkaError } from '../../errors.js';
import { MockTime } from '../../time.js';
import { encodeRecordBatch } from '../batch/record-batch-encoder.js';
import { logConfig } from '../config/log-config.js';
import { offsetFileName } from '../segment/file-names.js';
import { RecordingLogger, makeBatch, offsetsIn, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { CLEAN_SHUTDOWN_FILE } from './log-files.js';
import { PartitionLog } from './partition-log.js';

// The log holds offsets and timestamps as numbers, exact up to 2^53 - 1: these tests pin
// the behaviour at that bound, which must never be a silent loss of precision.
const T0 = 1_700_000_000_000;
const LIMIT = 2n ** 53n - 1n;
const LAST = LIMIT - 1n; // the largest offset a record gets, so that the log end is exact
let tmp: ReturnType<typeof tempDir>;
let dir: string;
const time = new MockTime(T0);
const open = (logger = new RecordingLogger()) => PartitionLog.open(dir, { config: logConfig(), time, logger });

beforeEach(() => {
  tmp = tempDir();
  dir = partitionDir(tmp.dir);
});
afterEach(() => tmp.cleanup());

function errorName(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isKafkaError(err) ? err.errorName : String(err);
  }
  return undefined;
}

function batchAt(timestamp: bigint, count = 1): Buffer {
  return encodeRecordBatch({ records: Array.from({ length: count }, () => ({ key: null, value: Buffer.from('v') })), defaultTimestamp: timestamp });
}

describe('offsets and timestamps at 2^53 - 1', () => {
  it('assigns offsets exactly up to 2^53 - 2, keeps them across a clean reopen, and refuses to pass it', async () => {
    const log = open();
    log.truncateFullyAndStartAt(LIMIT - 4n);
    const info = log.append(makeBatch(3, T0));
    expect([info.firstOffset, info.lastOffset, log.logEndOffset]).toEqual([LIMIT - 4n, LIMIT - 2n, LIMIT - 1n]);
    expect(errorName(() => log.append(makeBatch(3, T0)))).toBe('OFFSET_OUT_OF_RANGE');
    expect(errorName(() => log.append(makeBatch(2, T0)))).toBe('OFFSET_OUT_OF_RANGE');
    expect(log.logEndOffset).toBe(LIMIT - 1n);
    expect(log.append(makeBatch(1, T0)).lastOffset).toBe(LAST);
    expect(log.logEndOffset).toBe(LIMIT);
    expect(errorName(() => log.append(makeBatch(1, T0)))).toBe('OFFSET_OUT_OF_RANGE');
    log.updateHighWatermark(log.logEndOffset);
    expect(offsetsIn(log.read(LIMIT - 2n, 1 << 20).records)).toEqual([LIMIT - 4n, LIMIT - 3n, LIMIT - 2n, LAST]);
    expect(log.offsetForTimestamp(BigInt(T0))?.offset).toBe(LIMIT - 4n);
    await log.close();
    const reopened = open();
    expect(reopened.hadCleanShutdown).toBe(true);
    expect(reopened.logEndOffset).toBe(LIMIT);
    expect(offsetsIn(reopened.read(LAST, 1 << 20).records)).toEqual([LAST]);
    expect(reopened.read(LIMIT, 1 << 20).records.length).toBe(0);
    // Past the end is out of range, also where Number() rounds (2^53 + 1 becomes 2^53).
    expect(errorName(() => reopened.read(LIMIT + 2n, 1 << 20))).toBe('OFFSET_OUT_OF_RANGE');
    expect(errorName(() => reopened.truncateFullyAndStartAt(LIMIT + 1n))).toBe('OFFSET_OUT_OF_RANGE');
    expect(errorName(() => reopened.truncateFullyAndStartAt(-1n))).toBe('OFFSET_OUT_OF_RANGE');
    await reopened.close();
  });

  it('rejects a batch whose max timestamp is beyond +-(2^53 - 1) and leaves the log unchanged', async () => {
    const log = open();
    log.append(makeBatch(1, T0));
    for (const ts of [LIMIT + 1n, 2n ** 62n, -LIMIT - 1n]) expect(errorName(() => log.append(batchAt(ts)))).toBe('INVALID_TIMESTAMP');
    expect(errorName(() => log.appendAsFollower(batchAt(2n ** 62n)))).toBe('INVALID_TIMESTAMP');
    const ok = log.append(batchAt(LIMIT)); // the largest timestamp the log holds
    expect(ok.firstOffset).toBe(1n);
    expect(log.offsetForTimestamp(LIMIT)).toEqual({ timestamp: LIMIT, offset: 1n });
    expect(log.offsetForTimestamp(LIMIT + 1n)).toBeUndefined();
    await log.close();
  });

  it('rejects follower batches with offsets beyond 2^53 - 2', async () => {
    const log = open();
    const batch = batchAt(BigInt(T0), 3);
    batch.writeBigInt64BE(LAST - 1n, 0); // last offset LAST + 1
    expect(errorName(() => log.appendAsFollower(batch))).toBe('INVALID_RECORD');
    batch.writeBigInt64BE(-5n, 0);
    expect(errorName(() => log.appendAsFollower(batch))).toBe('INVALID_RECORD');
    batch.writeBigInt64BE(LAST - 2n, 0); // last offset exactly LAST
    expect(log.appendAsFollower(batch).lastOffset).toBe(LAST);
    expect(log.logEndOffset).toBe(LIMIT);
    await log.close();
  });

  it('recovery cuts a stored batch whose timestamp is beyond 2^53 - 1, like a corrupt one', async () => {
    const log = open();
    log.append(makeBatch(2, T0));
    await log.close();
    unlinkSync(join(dir, CLEAN_SHUTDOWN_FILE)); // as if the process had died
    const bad = batchAt(2n ** 60n);
    bad.writeBigInt64BE(2n, 0); // the next offset, valid CRC: only the timestamp is wrong
    appendFileSync(join(dir, offsetFileName(0n, '.log')), bad);
    const logger = new RecordingLogger();
    const reopened = open(logger);
    expect(reopened.logEndOffset).toBe(2n);
    expect(logger.warnings.join('\n')).toMatch(/beyond/);
    await reopened.close();
  });
});
