import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isKafkaError } from '../../errors.js';
import { MockTime } from '../../time.js';
import { CRC_OFFSET, MAGIC_OFFSET, TIMESTAMP_TYPE_MASK, attributesAt, computeCrcAt, storedCrcAt } from '../batch/batch-header.js';
import { decodeRecordBatch } from '../batch/record-batch-decoder.js';
import { logConfig } from '../config/log-config.js';
import { RecordingLogger, makeBatch, offsetsIn, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, PartitionLog } from './partition-log.js';

const T0 = 1_700_000_000_000;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
let time: MockTime;
const open = (fields = {}, logger = new RecordingLogger()) => PartitionLog.open(dir, { config: logConfig(fields), time, logger });

beforeEach(() => {
  tmp = tempDir();
  dir = partitionDir(tmp.dir);
  time = new MockTime(T0);
});
afterEach(() => tmp.cleanup());

function fileSizes(): Record<string, number> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).size]));
}

function expectKafkaError(fn: () => unknown, name: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(isKafkaError(thrown) ? thrown.errorName : thrown).toBe(name);
}

describe('PartitionLog append and read', () => {
  it('assigns contiguous offsets, stamps the leader epoch and reads stored bytes back', async () => {
    const log = open();
    const a = log.append(makeBatch(3, T0), { leaderEpoch: 7 });
    const b = log.append(Buffer.concat([makeBatch(2, T0), makeBatch(4, T0)]), { leaderEpoch: 7 });
    expect([a.firstOffset, a.lastOffset, b.firstOffset, b.lastOffset]).toEqual([0n, 2n, 3n, 8n]);
    expect(log.logEndOffset).toBe(9n);
    const fetched = log.read(0n, 1 << 20);
    expect(offsetsIn(fetched.records)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    expect(decodeRecordBatch(fetched.records).partitionLeaderEpoch).toBe(7);
    expect(fetched.logEndOffset).toBe(9n);
    // Reading from the middle of a batch returns that whole batch.
    expect(offsetsIn(log.read(4n, 1 << 20).records)[0]).toBe(3n);
    await log.close();
  });

  it('returns whole batches only, the first one whole under minOneMessage, and stops at maxOffset', async () => {
    const log = open();
    for (let i = 0; i < 5; i++) log.append(makeBatch(2, T0, 200));
    const oneBatch = log.read(0n, 0, { minOneMessage: true }).records;
    expect(offsetsIn(oneBatch)).toEqual([0n, 1n]);
    expect(log.read(0n, 10, { minOneMessage: false }).records.length).toBe(0);
    const twoBatches = log.read(0n, oneBatch.length * 2 + 10, { minOneMessage: true }).records;
    expect(offsetsIn(twoBatches)).toEqual([0n, 1n, 2n, 3n]);
    expect(offsetsIn(log.read(2n, 1 << 20, { minOneMessage: true, maxOffset: 6n }).records)).toEqual([2n, 3n, 4n, 5n]);
    expect(log.read(6n, 1 << 20, { minOneMessage: true, maxOffset: 6n }).records.length).toBe(0);
    expect(log.read(10n, 1 << 20).records.length).toBe(0);
    expectKafkaError(() => log.read(11n, 100), 'OFFSET_OUT_OF_RANGE');
    expectKafkaError(() => log.read(-1n, 100), 'OFFSET_OUT_OF_RANGE');
    await log.close();
  });

  it('stamps LogAppendTime with a fresh CRC', async () => {
    const log = open({ messageTimestampType: 'LogAppendTime' });
    time.advance(5000);
    const info = log.append(makeBatch(2, 123));
    expect(info.logAppendTime).toBe(BigInt(T0 + 5000));
    const stored = log.read(0n, 1 << 20).records;
    expect(attributesAt(stored, 0) & TIMESTAMP_TYPE_MASK).not.toBe(0);
    expect(storedCrcAt(stored, 0)).toBe(computeCrcAt(stored, 0));
    expect(decodeRecordBatch(stored).records.map((r) => r.timestamp)).toEqual([BigInt(T0 + 5000), BigInt(T0 + 5000)]);
    await log.close();
  });

  it('finds offsets by timestamp through the time index', async () => {
    const log = open({ indexIntervalBytes: 1, segmentBytes: 1500 });
    for (let i = 0; i < 40; i++) log.append(makeBatch(2, T0 + i * 1000, 50));
    expect(log.segmentCount).toBeGreaterThan(2);
    expect(log.offsetForTimestamp(BigInt(T0 + 10_000))).toEqual({ timestamp: BigInt(T0 + 10_000), offset: 20n });
    expect(log.offsetForTimestamp(BigInt(T0 + 10_500))).toEqual({ timestamp: BigInt(T0 + 11_000), offset: 22n });
    expect(log.offsetForTimestamp(BigInt(T0 - 1))?.offset).toBe(0n);
    expect(log.offsetForTimestamp(BigInt(T0 + 100_000))).toBeUndefined();
    expect(log.offsetForTimestamp(LATEST_TIMESTAMP)?.offset).toBe(80n);
    expect(log.offsetForTimestamp(EARLIEST_TIMESTAMP)?.offset).toBe(0n);
    await log.close();
    const reopened = open({ indexIntervalBytes: 1, segmentBytes: 1500 });
    expect(reopened.offsetForTimestamp(BigInt(T0 + 30_000))?.offset).toBe(60n);
    await reopened.close();
  });

  it('keeps the leader offsets on follower appends and rejects going backwards', async () => {
    const leader = open();
    leader.append(makeBatch(3, T0), { leaderEpoch: 2 });
    leader.append(makeBatch(3, T0), { leaderEpoch: 2 });
    const bytes = Buffer.from(leader.read(0n, 1 << 20).records);
    await leader.close();
    dir = join(tmp.dir, 'follower-0');
    const follower = open();
    const info = follower.appendAsFollower(bytes);
    expect([info.firstOffset, info.lastOffset, follower.logEndOffset]).toEqual([0n, 5n, 6n]);
    expect(follower.read(0n, 1 << 20).records.equals(bytes)).toBe(true);
    expectKafkaError(() => follower.appendAsFollower(Buffer.from(bytes)), 'INVALID_RECORD');
    await follower.close();
  });

  it('reopens after a clean close without recovery and with the same content', async () => {
    const log = open({ segmentBytes: 2000 });
    for (let i = 0; i < 20; i++) log.append(makeBatch(2, T0 + i, 100));
    const before = log.read(0n, 1 << 20).records;
    const segments = log.segmentInfos();
    await log.close();
    const logger = new RecordingLogger();
    const reopened = open({ segmentBytes: 2000 }, logger);
    expect(reopened.hadCleanShutdown).toBe(true);
    expect(logger.warnings).toEqual([]);
    expect(reopened.segmentInfos()).toEqual(segments);
    expect(reopened.read(0n, 1 << 20).records.equals(before)).toBe(true);
    reopened.append(makeBatch(1, T0));
    expect(reopened.logEndOffset).toBe(41n);
    await reopened.close();
  });
});

describe('PartitionLog rejects bad input and stays unchanged', () => {
  const cases: [string, (good: Buffer) => Buffer, string][] = [
    ['a wrong CRC', (b) => { b.writeUInt32BE((b.readUInt32BE(CRC_OFFSET) + 1) >>> 0, CRC_OFFSET); return b; }, 'CORRUPT_MESSAGE'],
    ['a flipped record byte', (b) => { b[b.length - 3]! ^= 0xff; return b; }, 'CORRUPT_MESSAGE'],
    ['a wrong magic', (b) => { b.writeInt8(1, MAGIC_OFFSET); return b; }, 'INVALID_RECORD'],
    ['a length past the buffer', (b) => b.subarray(0, b.length - 10), 'CORRUPT_MESSAGE'],
    ['a batch above max.message.bytes', () => makeBatch(20, T0, 100), 'MESSAGE_TOO_LARGE'],
  ];
  it.each(cases)('rejects %s', async (_what, corrupt, errorName) => {
    const log = open({ maxMessageBytes: 1000 });
    log.append(makeBatch(2, T0));
    const sizes = fileSizes();
    // A good batch before the bad one must not be appended either.
    expectKafkaError(() => log.append(Buffer.concat([makeBatch(1, T0), corrupt(makeBatch(2, T0))])), errorName);
    expect(log.logEndOffset).toBe(2n);
    expect(fileSizes()).toEqual(sizes);
    await log.close();
  });
});

describe('PartitionLog flush policy', () => {
  it('resolves durable after the covering fsync with flush.messages=1 and advances the recovery point', async () => {
    const log = open({ flushMessages: 1 });
    const infos = [log.append(makeBatch(2, T0)), log.append(makeBatch(2, T0)), log.append(makeBatch(2, T0))];
    await Promise.all(infos.map((i) => i.durable));
    expect(log.recoveryPoint).toBe(6n);
    await log.close();
  });

  it('does not fsync per append by default but flushes on demand', async () => {
    const log = open();
    log.append(makeBatch(2, T0));
    await log.append(makeBatch(2, T0)).durable;
    expect(log.recoveryPoint).toBe(0n);
    await log.flush();
    expect(log.recoveryPoint).toBe(4n);
    await log.close();
  });

  it('flushes after flush.ms through the scheduler or flushIfDue', async () => {
    const tasks: { dueMs: number; task: () => void }[] = [];
    const scheduler = {
      schedule(delayMs: number, task: () => void) {
        const entry = { dueMs: time.hiResMilliseconds() + delayMs, task };
        tasks.push(entry);
        return { cancel: () => tasks.splice(tasks.indexOf(entry), 1) };
      },
    };
    const log = PartitionLog.open(dir, { config: logConfig({ flushMs: 1000 }), time, scheduler });
    log.append(makeBatch(2, T0));
    log.append(makeBatch(2, T0));
    expect(tasks.length).toBe(1); // one timer per log, not per append
    time.advance(1000);
    tasks.shift()!.task();
    await log.flush(); // waits for the scheduled flush, which was already running
    expect(log.recoveryPoint).toBe(4n);
    log.append(makeBatch(1, T0));
    expect(log.recoveryPoint).toBe(4n);
    time.advance(1000);
    await log.flushIfDue();
    expect(log.recoveryPoint).toBe(5n);
    await log.close();
  });
});
