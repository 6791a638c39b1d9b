import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeControlBatch } from '../log/batch/control-record.js';
import { logConfig } from '../log/config/log-config.js';
import { PartitionLog } from '../log/partition/partition-log.js';
import { makeBatch, partitionDir, tempDir } from '../log/testing/log-fixtures.js';
import { readPartitionRecords } from './record-reader.js';

describe('readPartitionRecords', () => {
  let dir: { dir: string; cleanup: () => void };
  let log: PartitionLog;
  beforeEach(() => {
    dir = tempDir('weir-reader-');
    log = PartitionLog.open(partitionDir(dir.dir));
  });
  afterEach(async () => {
    await log.close();
    dir.cleanup();
  });

  it('skips transaction markers both ways and reads nothing past the HW', () => {
    log.append(makeBatch(3, 1000, 10, 0)); // offsets 0-2
    log.append(encodeControlBatch({ producerId: 7n, producerEpoch: 0, type: 'COMMIT', coordinatorEpoch: 0, timestamp: 1000n }), { origin: 'coordinator' }); // 3
    log.append(makeBatch(2, 1001, 10, 10)); // 4-5
    log.updateHighWatermark(6n);
    const forward = readPartitionRecords(log, 0, 6n, { start: { offset: 0n } });
    expect(forward.result.records.map((r) => r.offset)).toEqual([0n, 1n, 2n, 4n, 5n]);
    expect(forward.result.nextOffset).toBe(6n);
    const backward = readPartitionRecords(log, 0, 6n, { start: { position: 'newest' }, direction: 'backward' });
    expect(backward.result.records.map((r) => r.offset)).toEqual([5n, 4n, 2n, 1n, 0n]);
    // Whole batches only: a bound inside the last batch hides all of it.
    const bounded = readPartitionRecords(log, 0, 5n, { start: { offset: 0n } });
    expect(bounded.result.records.map((r) => r.offset)).toEqual([0n, 1n, 2n]);
    expect(bounded.result.nextOffset).toBe(4n);
    expect(forward.bytes).toBeGreaterThan(0);
  });

  it('reads the newest records through the segment list and offset index, never the older segments', async () => {
    await log.close();
    const dirPath = partitionDir(dir.dir);
    log = PartitionLog.open(dirPath, { config: logConfig({ segmentBytes: 64 * 1024, indexIntervalBytes: 4096 }) });
    for (let i = 0; i < 400; i++) log.append(makeBatch(10, 1000 + i, 100, i)); // 4,000 records, ~1.2 KiB a batch
    log.updateHighWatermark(4000n);
    const segments = readdirSync(dirPath).filter((f) => f.endsWith('.log')).sort();
    expect(segments.length).toBeGreaterThan(5);
    // Zero every segment but the newest: a read that walked the log from its start would find no batch there.
    for (const file of segments.slice(0, -1)) writeFileSync(join(dirPath, file), Buffer.alloc(statSync(join(dirPath, file)).size));
    const newest = readPartitionRecords(log, 0, 4000n, { start: { position: 'newest' }, direction: 'backward', maxRecords: 50 });
    expect(newest.result.records.map((r) => r.offset)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(3999 - i)));
    expect(newest.result.nextOffset).toBe(3949n);
    // ...as a read of them shows.
    expect(() => readPartitionRecords(log, 0, 4000n, { start: { offset: 0n }, maxRecords: 5 })).toThrow(/CORRUPT_MESSAGE/);
  });
});
