import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { keyedBatch, readAll } from '../log/testing/compaction-fixtures.js';
import { RecordingLogger, tempDir } from '../log/testing/log-fixtures.js';
import { LogCleaner } from '../log/cleaner/log-cleaner.js';
import type { PartitionLog } from '../log/partition/partition-log.js';
import { MockTime } from '../time.js';
import { MockTimer } from '../timer/mock-timer.js';
import { DEFAULT_BROKER_DEFAULTS } from './broker-options.js';
import { runCleanerPass } from './log-maintenance.js';
import { LogDirs } from './log-dirs.js';
import { TopicTable } from './topic-table.js';

const BROKER = 1;
let tmp: ReturnType<typeof tempDir>;
let time: MockTime;
let timer: MockTimer;
let table: TopicTable;

beforeEach(() => {
  tmp = tempDir('weir-maintenance-');
  time = new MockTime();
  timer = new MockTimer(time);
  table = new TopicTable({ brokerId: BROKER, logDirs: new LogDirs(tmp.dir), time, timer, logger: new RecordingLogger(), highWatermarks: new Map(), producerIdExpirationMs: DEFAULT_BROKER_DEFAULTS.producerIdExpirationMs });
});
afterEach(async () => {
  for (const topic of table.all()) for (const p of topic.partitions) await p.log?.close();
  timer.close();
  tmp.cleanup();
});

/** A topic whose partitions are all led by this broker, as the registry would describe it. */
function addTopic(name: string, partitions: number, overrides: Record<string, string>): PartitionLog[] {
  const ids = Array.from({ length: partitions }, (_, p) => p);
  const state = { state: { controllerEpoch: 1, leader: BROKER, leaderEpoch: 0, isr: [BROKER] }, version: 0 };
  const { topic } = table.apply({
    name, topicId: '', assignment: new Map(ids.map((p) => [p, [BROKER]])), assignmentVersion: 0,
    addingReplicas: new Map(), removingReplicas: new Map(), states: new Map(ids.map((p) => [p, state])), overrides,
  }, time.milliseconds());
  return topic.partitions.map((p) => p.log!);
}

/** Three versions of each of `keys`, rolled and committed. */
function overwrite(log: PartitionLog, keys: string[]): void {
  for (let version = 1; version <= 3; version++) for (const key of keys) log.append(keyedBatch([{ key, value: `${key}${version}` }], time.milliseconds()));
  log.roll();
  log.updateHighWatermark(log.logEndOffset);
}

describe('runCleanerPass', () => {
  it('cleans every local log of a compacted topic that needs it, and leaves the others alone', async () => {
    const compacted = addTopic('state', 2, { 'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.5' });
    const [plain] = addTopic('events', 1, { 'cleanup.policy': 'delete' });
    overwrite(compacted[0]!, ['a', 'b']);
    overwrite(compacted[1]!, ['c']);
    overwrite(plain!, ['a']);
    const logger = new RecordingLogger();
    const cleaner = new LogCleaner({ logger });

    const stats = await runCleanerPass(table, cleaner);
    expect(stats).toMatchObject({ logsCleaned: 2, logsAborted: 0, recordsRead: 9, recordsRemoved: 6 });
    expect(stats.bytesWritten).toBeLessThan(stats.bytesRead);
    expect(readAll(compacted[0]!).map((r) => r.value)).toEqual(['a3', 'b3']);
    expect(readAll(compacted[1]!).map((r) => r.value)).toEqual(['c3']);
    expect(readAll(plain!)).toHaveLength(3);

    // Nothing dirty is left: the next pass does nothing.
    expect(await runCleanerPass(table, cleaner)).toMatchObject({ logsCleaned: 0, bytesRead: 0 });
    expect(logger.errors).toEqual([]);
    cleaner.close();
  });

  it('logs a log it cannot clean under its partition and goes on with the others', async () => {
    const [broken, healthy] = addTopic('state', 2, { 'cleanup.policy': 'compact' });
    overwrite(broken!, ['a']);
    overwrite(healthy!, ['b']);
    await broken!.close();
    const logger = new RecordingLogger();
    const stats = await runCleanerPass(table, new LogCleaner({ logger }));
    expect(stats.logsCleaned).toBe(1);
    expect(logger.errors).toEqual(['log cleaner: cannot assess state-0']);
  });
});
