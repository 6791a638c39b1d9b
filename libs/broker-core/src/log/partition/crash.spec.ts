import { fileURLToPath } from 'node:url';
import { iterateBatches } from '../batch/record-batch-decoder.js';
import { runUntilKilled } from '../producer/testing/kill-child.js';
import { offsetsIn, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { PartitionLog } from './partition-log.js';

const CHILD = fileURLToPath(new URL('../testing/crash-writer.child.ts', import.meta.url));
const RUNS = 20;

/** Deterministic pseudo-random kill points, so a failure can be replayed. */
function killPoints(seed: number): number[] {
  const points: number[] = [];
  let x = seed;
  for (let i = 0; i < RUNS; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    points.push(i % 5 === 0 ? 0 : x % 60); // every fifth run dies right after opening
  }
  return points;
}

/** Each epoch change in the log's batches and its first offset: what the epoch cache must hold. */
function epochsInBatches(log: PartitionLog): { epoch: number; startOffset: bigint }[] {
  const found: { epoch: number; startOffset: bigint }[] = [];
  for (let next = 0n; next < log.logEndOffset; ) {
    for (const batch of iterateBatches(log.read(next, 1 << 20).records)) {
      if (batch.partitionLeaderEpoch !== found[found.length - 1]?.epoch) found.push({ epoch: batch.partitionLeaderEpoch, startOffset: batch.baseOffset });
      next = batch.lastOffset + 1n;
    }
  }
  return found;
}

describe('crash safety (SIGKILL during fsync-per-batch appends)', () => {
  it(`keeps every batch reported flushed across ${RUNS} kills, and an epoch cache matching the batches`, async () => {
    const tmp = tempDir('weir-crash-');
    const dir = partitionDir(tmp.dir);
    try {
      let highestFlushed = -1n;
      const points = killPoints(20260101);
      for (let run = 0; run < RUNS; run++) {
        const result = await runUntilKilled(CHILD, [dir, String(run + 1)], points[run]!);
        // Recovery in the child must have kept everything flushed before.
        expect(result.openedAt).toBeGreaterThan(highestFlushed);
        for (const offset of result.flushed) if (offset > highestFlushed) highestFlushed = offset;
      }
      const log = PartitionLog.open(dir);
      expect(log.logEndOffset).toBeGreaterThan(highestFlushed);
      // Walk the whole log: every batch CRC-valid (offsetsIn decodes with CRC checks), offsets contiguous.
      let expected = 0n;
      while (expected < log.logEndOffset) {
        const offsets = offsetsIn(log.read(expected, 1 << 20).records);
        expect(offsets.length).toBeGreaterThan(0);
        for (const offset of offsets) expect(offset).toBe(expected++);
      }
      // Each run led its own epoch; runs killed before their first batch left an entry
      // at the log end that opening removed.
      const epochs = epochsInBatches(log);
      expect(epochs.length).toBeGreaterThan(1);
      expect(log.leaderEpochEntries()).toEqual(epochs);
      await log.close();
    } finally {
      tmp.cleanup();
    }
  }, 90_000);
});
