import { MockTime } from '../../time.js';
import { CompressionType } from '../batch/batch-header.js';
import { encodeControlBatch } from '../batch/control-record.js';
import { iterateBatches } from '../batch/record-batch-decoder.js';
import { compressionName } from '../compression/codecs.js';
import { logConfig, type LogConfig } from '../config/log-config.js';
import { PartitionLog } from '../partition/partition-log.js';
import { cleanOnce, keyedBatch, latestByKey, readAll } from '../testing/compaction-fixtures.js';
import { RecordingLogger, partitionDir, tempDir } from '../testing/log-fixtures.js';
import { OffsetMap, OFFSET_MAP_SLOT_BYTES } from './offset-map.js';

const T0 = 1_700_000_000_000;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
let time: MockTime;
const COMPACT: Partial<LogConfig> = { cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0, indexIntervalBytes: 0 };
const open = (fields: Partial<LogConfig> = {}) => PartitionLog.open(dir, { config: logConfig({ ...COMPACT, ...fields }), time, logger: new RecordingLogger() });

beforeEach(() => {
  tmp = tempDir();
  dir = partitionDir(tmp.dir);
  time = new MockTime(T0);
});
afterEach(() => tmp.cleanup());

function commitAll(log: PartitionLog): void {
  log.roll();
  log.updateHighWatermark(log.logEndOffset);
}

describe('compaction of batch contents', () => {
  it.each([CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD].map((c) => [compressionName(c), c] as const))(
    'rebuilds a partly superseded %s batch with its own codec, keeping offsets, timestamps and headers',
    async (_name, codec) => {
      const log = open();
      const headers = [{ key: 'trace', value: Buffer.from('t-1') }, { key: 'empty', value: null }];
      log.append(keyedBatch([
        { key: 'a', value: '1', timestamp: T0 + 5 },
        { key: 'b', value: '1', timestamp: T0 + 9, headers },
        { key: 'c', value: '1', timestamp: T0 + 1 },
      ], T0, codec));
      log.append(keyedBatch([{ key: 'a', value: '2' }], T0 + 20, codec));
      commitAll(log);
      const before = readAll(log);
      const stats = await cleanOnce(log, new OffsetMap(4096));
      expect(stats).toMatchObject({ recordsRemoved: 1, batchesRebuilt: 1 });
      const after = readAll(log);
      expect(after).toEqual(before.filter((r) => r.offset !== 0n));
      expect(after.map((r) => r.compression)).toEqual([codec, codec, codec]);
      expect(after[0]!.headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual([['trace', 't-1'], ['empty', null]]);
      // The rebuilt batch keeps its base offset, last offset and producer fields; its max timestamp is the largest kept.
      const [rebuilt] = iterateBatches(log.read(1n, 1 << 20).records);
      expect(rebuilt).toMatchObject({ baseOffset: 0n, lastOffsetDelta: 2, recordsCount: 2, baseTimestamp: BigInt(T0 + 5), maxTimestamp: BigInt(T0 + 9) });
      await log.close();
    },
  );

  it('keeps control batches whole', async () => {
    const log = open();
    log.append(keyedBatch([{ key: 'a', value: '1' }], T0));
    log.append(encodeControlBatch({ type: 'COMMIT', coordinatorEpoch: 3, producerId: 42n, producerEpoch: 1, timestamp: T0 }), { origin: 'coordinator' });
    log.append(keyedBatch([{ key: 'a', value: '2' }], T0));
    commitAll(log);
    await cleanOnce(log, new OffsetMap(4096));
    const records = readAll(log);
    expect(records.map((r) => [r.offset, r.isControl])).toEqual([[1n, true], [2n, false]]);
    const [control] = iterateBatches(log.read(0n, 1 << 20).records);
    expect(control).toMatchObject({ isControl: true, isTransactional: true, producerId: 42n, producerEpoch: 1 });
    await log.close();
  });

  it('converges over several passes when the offset map holds only a few keys', async () => {
    const log = open({ segmentBytes: 600 });
    const model = new Map<string, string>();
    for (let i = 0; i < 120; i++) {
      const key = `k${(i * 7) % 23}`;
      log.append(keyedBatch([{ key, value: `v${i}` }], T0));
      model.set(key, `v${i}`);
    }
    commitAll(log);
    const map = new OffsetMap(6 * OFFSET_MAP_SLOT_BYTES, 0.9); // room for 5 keys per pass
    let passes = 0;
    while (log.cleanability().cleanableBytes > 0) {
      const stats = await cleanOnce(log, map);
      expect(stats!.mapKeys).toBeLessThanOrEqual(5);
      passes++;
      expect(passes).toBeLessThan(60);
    }
    expect(passes).toBeGreaterThan(10);
    const records = readAll(log);
    expect(latestByKey(records)).toEqual(model);
    expect(records).toHaveLength(model.size);
    await log.close();
  });
});
