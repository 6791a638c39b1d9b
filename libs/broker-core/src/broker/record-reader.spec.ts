import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeControlBatch } from '../log/batch/control-record.js';
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
});
