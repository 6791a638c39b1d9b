import { type KafkaErrorName } from '../../errors.js';
import { expectKafkaError } from './testing/expect-kafka-error.js';
import { CompressionType, TimestampType } from './batch-header.js';
import { decodeRecordBatch } from './record-batch-decoder.js';
import { encodeRecordBatch, type RecordBatchInput } from './record-batch-encoder.js';


const one = [{ value: Buffer.from('v'), timestamp: 10 }];

describe('encodeRecordBatch', () => {
  it('keeps gaps in explicit offset deltas, as compacted batches have them', () => {
    const batch = decodeRecordBatch(
      encodeRecordBatch({
        baseOffset: 100n,
        records: [
          { value: Buffer.from('a'), offsetDelta: 0, timestamp: 1 },
          { value: Buffer.from('b'), offsetDelta: 4, timestamp: 2 },
        ],
      }),
    );
    expect(batch.lastOffsetDelta).toBe(4);
    expect(batch.lastOffset).toBe(104n);
    expect(batch.records.map((r) => r.offset)).toEqual([100n, 104n]);
  });

  it('writes empty batches, with the last offset delta they are given', () => {
    const batch = decodeRecordBatch(encodeRecordBatch({ baseOffset: 7n, records: [], lastOffsetDelta: 3 }));
    expect(batch).toMatchObject({ recordsCount: 0, lastOffsetDelta: 3, baseTimestamp: -1n, maxTimestamp: -1n, records: [] });
  });

  it('stamps every record with the append time under LOG_APPEND_TIME', () => {
    const batch = decodeRecordBatch(
      encodeRecordBatch({
        timestampType: TimestampType.LOG_APPEND_TIME,
        logAppendTime: 5000n,
        records: [
          { value: null, timestamp: 1 },
          { value: null, timestamp: 9999 },
        ],
      }),
    );
    expect(batch).toMatchObject({ timestampType: TimestampType.LOG_APPEND_TIME, baseTimestamp: 5000n, maxTimestamp: 5000n });
    expect(batch.records.map((r) => [r.timestamp, r.timestampDelta])).toEqual([
      [5000n, 0n],
      [5000n, 0n],
    ]);
  });

  it('uses defaultTimestamp, else NO_TIMESTAMP, for records without one', () => {
    const given = decodeRecordBatch(encodeRecordBatch({ defaultTimestamp: 42, records: [{ value: null }] }));
    expect(given.records[0]!.timestamp).toBe(42n);
    const absent = decodeRecordBatch(encodeRecordBatch({ records: [{ value: null }] }));
    expect(absent.records[0]!.timestamp).toBe(-1n);
  });

  it('compresses large batches and still decodes them exactly', () => {
    const records = Array.from({ length: 500 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(300, i), timestamp: 1000 + i }));
    for (const compression of [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD]) {
      const bytes = encodeRecordBatch({ compression, records });
      expect(bytes.length).toBeLessThan(500 * 300);
      const batch = decodeRecordBatch(bytes);
      expect(batch.records[499]!.value).toEqual(Buffer.alloc(300, 499));
      expect(batch.maxTimestamp).toBe(1499n);
    }
  });

  it.each<[string, Partial<RecordBatchInput>, KafkaErrorName]>([
    ['a producer epoch beyond int16', { producerEpoch: 40_000 }, 'INVALID_RECORD'],
    ['a base sequence beyond int32', { baseSequence: 2 ** 31 }, 'INVALID_RECORD'],
    ['a base offset beyond int64', { baseOffset: 2n ** 63n }, 'INVALID_RECORD'],
    ['a producer id beyond int64', { producerId: -(2n ** 63n) - 1n }, 'INVALID_RECORD'],
    ['an unknown codec', { compression: 9 as CompressionType }, 'UNSUPPORTED_COMPRESSION_TYPE'],
    ['LOG_APPEND_TIME without a time', { timestampType: TimestampType.LOG_APPEND_TIME }, 'INVALID_TIMESTAMP'],
    ['a fractional timestamp', { records: [{ value: null, timestamp: 1.5 }] }, 'INVALID_TIMESTAMP'],
    [
      'offset deltas that do not increase',
      { records: [{ value: null, offsetDelta: 2 }, { value: null, offsetDelta: 2 }] },
      'INVALID_RECORD',
    ],
    ['a negative offset delta', { records: [{ value: null, offsetDelta: -1 }] }, 'INVALID_RECORD'],
    [
      'timestamps whose delta overflows int64',
      { records: [{ value: null, timestamp: -(2n ** 62n) - 5n }, { value: null, timestamp: 2n ** 62n }] },
      'INVALID_RECORD',
    ],
  ])('refuses %s', (_what, override, name) => {
    expectKafkaError(() => encodeRecordBatch({ records: one, ...override }), name);
  });
});
