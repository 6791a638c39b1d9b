import fc from 'fast-check';
import { MockTime } from '../../time.js';
import { CompressionType } from '../batch/batch-header.js';
import { logConfig } from '../config/log-config.js';
import { PartitionLog } from '../partition/partition-log.js';
import { cleanOnce, keyedBatch, readAll, type ReadRecord } from '../testing/compaction-fixtures.js';
import { RecordingLogger, tempDir } from '../testing/log-fixtures.js';
import { OFFSET_MAP_SLOT_BYTES, OffsetMap } from './offset-map.js';

const T0 = 1_700_000_000_000;
const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];

type Op =
  | { kind: 'append'; records: { key: string; value: string | null }[]; compression: CompressionType }
  | { kind: 'roll' }
  | { kind: 'commit' }
  | { kind: 'advance'; ms: number }
  | { kind: 'clean'; mapKeys: number; sliceBytes: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    kind: fc.constant('append' as const),
    records: fc.array(fc.record({ key: fc.constantFrom(...KEYS), value: fc.option(fc.string({ maxLength: 6 }), { freq: 4, nil: null }) }), { minLength: 1, maxLength: 3 }),
    compression: fc.constantFrom(CompressionType.NONE, CompressionType.NONE, CompressionType.ZSTD),
  }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'roll' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'commit' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 90_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('clean' as const), mapKeys: fc.integer({ min: 3, max: 50 }), sliceBytes: fc.integer({ min: 1, max: 2000 }) }) },
);

interface Appended {
  readonly key: string;
  readonly value: string | null;
}

/** The last record per key in `records`, by offset order. */
function lastPerKey(records: readonly ReadRecord[]): Map<string, ReadRecord> {
  const last = new Map<string, ReadRecord>();
  for (const r of records) last.set(r.key!, r);
  return last;
}

describe('compaction against a model', () => {
  it('keeps every record it does not remove intact, and each key\'s latest value (or its deletion)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
        const tmp = tempDir();
        const time = new MockTime(T0);
        const config = logConfig({ cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0, segmentBytes: 300, indexIntervalBytes: 50, deleteRetentionMs: 60_000 });
        const log = PartitionLog.open(`${tmp.dir}/t-0`, { config, time, logger: new RecordingLogger() });
        const appended = new Map<bigint, Appended>();
        const latest = new Map<string, { offset: bigint; value: string | null }>();
        try {
          for (const op of ops) {
            if (op.kind === 'append') {
              const { firstOffset } = log.append(keyedBatch(op.records, time.milliseconds(), op.compression));
              op.records.forEach((r, i) => {
                appended.set(firstOffset + BigInt(i), r);
                latest.set(r.key, { offset: firstOffset + BigInt(i), value: r.value });
              });
            } else if (op.kind === 'roll') log.roll();
            else if (op.kind === 'commit') log.updateHighWatermark(log.logEndOffset);
            else if (op.kind === 'advance') time.advance(op.ms);
            else {
              // Uncommitted records, and the active segment, are not the cleaner's.
              const activeBase = log.segmentInfos().at(-1)!.baseOffset;
              const protectedFrom = log.highWatermark < activeBase ? log.highWatermark : activeBase;
              const before = readAll(log).filter((r) => r.offset >= protectedFrom);
              await cleanOnce(log, new OffsetMap((op.mapKeys + 1) * OFFSET_MAP_SLOT_BYTES), op.sliceBytes);
              expect(readAll(log).filter((r) => r.offset >= protectedFrom)).toEqual(before);
            }
            const records = readAll(log);
            for (const r of records) expect({ key: r.key, value: r.value }).toEqual(appended.get(r.offset));
            const last = lastPerKey(records);
            for (const [key, model] of latest) {
              const found = last.get(key);
              if (model.value === null && found === undefined) continue; // the deletion itself is gone
              expect({ key, offset: found?.offset, value: found?.value }).toEqual({ key, offset: model.offset, value: model.value });
            }
          }
          // Committed and cleaned to the end, with room for every key: one record per key is left.
          log.roll();
          log.updateHighWatermark(log.logEndOffset);
          await cleanOnce(log, new OffsetMap(4096));
          const keys = readAll(log).map((r) => r.key);
          expect(new Set(keys).size).toBe(keys.length);
        } finally {
          await log.close();
          tmp.cleanup();
        }
      }),
      { numRuns: 60 },
    );
    // 60 runs of fsync-bound opens, cleanings and closes: seconds on a shared machine.
  }, 60_000);
});
