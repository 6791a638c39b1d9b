import { CompressionType, TimestampType } from './batch-header.js';
import { decodeEndTxnMarker, encodeControlBatch } from './control-record.js';
import type { RecordHeader } from './record.js';
import { decodeRecordBatch, iterateBatches } from './record-batch-decoder.js';
import { encodeRecordBatch, type RecordInput } from './record-batch-encoder.js';
import { kafkajsDecodeBatch, kafkajsEncodeBatch, type KafkajsRecordInput } from './testing/kafkajs-record-batch.js';

/**
 * Compatibility with kafkajs 2.2.4, an independent RecordBatch v2 implementation:
 * batches it encodes decode with ours, and ours decode with it, for every codec.
 */

const BASE_TIME = 1_700_000_000_000;

/** Deterministic bytes that compress, but not to nothing. */
function payload(size: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i % 7 === 0 ? x >>> 24 : 97 + ((i + seed) % 13);
  }
  return out;
}

interface Sample {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  timestampDelta: number;
}

// Null keys, null values, empty values, repeated header keys, a negative timestamp
// delta, and one value large enough to span several snappy (32 KiB) and lz4 (64 KiB) blocks.
const SAMPLES: Sample[] = [
  {
    key: Buffer.from('key-0'),
    value: Buffer.from('value-0'),
    headers: [
      { key: 'trace', value: Buffer.from('abc') },
      { key: 'multi', value: Buffer.from('1') },
      { key: 'multi', value: Buffer.from('2') },
    ],
    timestampDelta: 0,
  },
  { key: null, value: Buffer.from('no key'), headers: [], timestampDelta: 5 },
  { key: Buffer.from('tombstone'), value: null, headers: [{ key: 'ünïcødé', value: Buffer.alloc(0) }], timestampDelta: -3 },
  { key: Buffer.from('big'), value: payload(150_000, 7), headers: [], timestampDelta: 40 },
  { key: Buffer.alloc(0), value: Buffer.alloc(0), headers: [], timestampDelta: 41 },
];

function headersObject(headers: readonly RecordHeader[]): Record<string, Buffer | Buffer[]> {
  const out: Record<string, Buffer | Buffer[]> = {};
  for (const { key, value } of headers) {
    const v = value ?? Buffer.alloc(0);
    const existing = out[key];
    out[key] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  return out;
}

const CODECS: [string, CompressionType][] = [
  ['none', CompressionType.NONE],
  ['gzip', CompressionType.GZIP],
  ['snappy', CompressionType.SNAPPY],
  ['lz4', CompressionType.LZ4],
  ['zstd', CompressionType.ZSTD],
];

describe.each(CODECS)('kafkajs compatibility, %s', (_name, compression) => {
  it('decodes a transactional batch kafkajs encoded', async () => {
    const kafkajsRecords: KafkajsRecordInput[] = SAMPLES.map((s, i) => ({
      offsetDelta: i,
      timestampDelta: s.timestampDelta,
      key: s.key,
      value: s.value,
      headers: headersObject(s.headers),
    }));
    const bytes = await kafkajsEncodeBatch({
      compression,
      firstOffset: '1234567890123',
      firstTimestamp: BASE_TIME,
      maxTimestamp: BASE_TIME + 41,
      partitionLeaderEpoch: 7,
      lastOffsetDelta: SAMPLES.length - 1,
      transactional: true,
      producerId: '9007199254740993', // 2^53 + 1: only exact as int64
      producerEpoch: 3,
      firstSequence: 42,
      records: kafkajsRecords,
    });

    const batch = decodeRecordBatch(bytes);
    expect(batch).toMatchObject({
      baseOffset: 1234567890123n,
      partitionLeaderEpoch: 7,
      magic: 2,
      compression,
      timestampType: TimestampType.CREATE_TIME,
      isTransactional: true,
      isControl: false,
      lastOffsetDelta: SAMPLES.length - 1,
      baseTimestamp: BigInt(BASE_TIME),
      maxTimestamp: BigInt(BASE_TIME + 41),
      producerId: 9007199254740993n,
      producerEpoch: 3,
      baseSequence: 42,
      recordsCount: SAMPLES.length,
      sizeInBytes: bytes.length,
    });
    expect(batch.records).toHaveLength(SAMPLES.length);
    batch.records.forEach((record, i) => {
      const sample = SAMPLES[i]!;
      expect(record.offset).toBe(1234567890123n + BigInt(i));
      expect(record.timestamp).toBe(BigInt(BASE_TIME + sample.timestampDelta));
      expect(record.key).toEqual(sample.key);
      expect(record.value).toEqual(sample.value);
      // kafkajs has no null header values; it writes our samples' nulls as empty.
      expect(record.headers).toEqual(sample.headers.map((h) => ({ key: h.key, value: h.value ?? Buffer.alloc(0) })));
    });
  });

  it('encodes a batch kafkajs decodes, null header values included', async () => {
    const records: RecordInput[] = SAMPLES.map((s, i) => ({
      key: s.key,
      value: s.value,
      headers: i === 1 ? [{ key: 'nothing', value: null }] : s.headers,
      timestamp: BASE_TIME + s.timestampDelta,
    }));
    const bytes = encodeRecordBatch({
      compression,
      baseOffset: 77n,
      partitionLeaderEpoch: 12,
      isTransactional: true,
      producerId: 4000n,
      producerEpoch: 9,
      baseSequence: 100,
      records,
    });

    const batch = await kafkajsDecodeBatch(bytes);
    expect(batch).toMatchObject({
      firstOffset: '77',
      firstTimestamp: String(BASE_TIME),
      maxTimestamp: String(BASE_TIME + 41),
      partitionLeaderEpoch: 12,
      inTransaction: true,
      isControlBatch: false,
      lastOffsetDelta: SAMPLES.length - 1,
      producerId: '4000',
      producerEpoch: 9,
      firstSequence: 100,
    });
    expect(batch.records).toHaveLength(SAMPLES.length);
    batch.records.forEach((record, i) => {
      const sample = SAMPLES[i]!;
      expect(record.offset).toBe(String(77 + i));
      expect(record.timestamp).toBe(String(BASE_TIME + sample.timestampDelta));
      expect(record.key).toEqual(sample.key);
      expect(record.value).toEqual(sample.value);
      expect(record.headers).toEqual(i === 1 ? { nothing: null } : headersObject(sample.headers));
    });
  });
});

describe('kafkajs compatibility, batch sequences and control batches', () => {
  it('walks several kafkajs batches laid end to end', async () => {
    const batches = await Promise.all(
      CODECS.map(([, compression], n) =>
        kafkajsEncodeBatch({
          compression,
          firstOffset: String(n * 10),
          firstTimestamp: BASE_TIME,
          maxTimestamp: BASE_TIME,
          partitionLeaderEpoch: 0,
          lastOffsetDelta: 1,
          transactional: false,
          producerId: '-1',
          producerEpoch: -1,
          firstSequence: -1,
          records: [0, 1].map((i) => ({ offsetDelta: i, timestampDelta: 0, key: null, value: Buffer.from(`m${n}-${i}`) })),
        }),
      ),
    );
    const walked = [...iterateBatches(Buffer.concat(batches))];
    expect(walked.map((b) => b.compression)).toEqual(CODECS.map(([, c]) => c));
    expect(walked.flatMap((b) => b.records.map((r) => `${r.offset}:${r.value?.toString()}`))).toEqual(
      CODECS.flatMap((_, n) => [`${n * 10}:m${n}-0`, `${n * 10 + 1}:m${n}-1`]),
    );
  });

  it('encodes a LOG_APPEND_TIME batch whose records kafkajs stamps with the append time', async () => {
    const bytes = encodeRecordBatch({
      timestampType: TimestampType.LOG_APPEND_TIME,
      logAppendTime: BASE_TIME + 500,
      records: [
        { value: Buffer.from('a'), timestamp: BASE_TIME },
        { value: Buffer.from('b'), timestamp: BASE_TIME + 1 },
      ],
    });
    const batch = await kafkajsDecodeBatch(bytes);
    expect(batch.timestampType).toBe(1);
    expect(batch.records.map((r) => r.timestamp)).toEqual([String(BASE_TIME + 500), String(BASE_TIME + 500)]);
  });

  it.each(['COMMIT', 'ABORT'] as const)('encodes a %s marker batch kafkajs reads as a control batch', async (type) => {
    const bytes = encodeControlBatch({
      type,
      coordinatorEpoch: 17,
      producerId: 5000n,
      producerEpoch: 2,
      baseOffset: 300n,
      timestamp: BASE_TIME,
      partitionLeaderEpoch: 4,
    });
    const batch = await kafkajsDecodeBatch(bytes);
    expect(batch).toMatchObject({
      firstOffset: '300',
      inTransaction: true,
      isControlBatch: true,
      producerId: '5000',
      producerEpoch: 2,
      firstSequence: -1,
      partitionLeaderEpoch: 4,
      lastOffsetDelta: 0,
    });
    expect(batch.records).toHaveLength(1);
    const [record] = batch.records;
    expect(record!.isControlRecord).toBe(true);
    // Key: version 0, type (0 ABORT, 1 COMMIT); value: version 0, coordinator epoch.
    expect(record!.key!.toString('hex')).toBe(type === 'COMMIT' ? '00000001' : '00000000');
    expect(record!.value!.toString('hex')).toBe('000000000011');
    expect(decodeEndTxnMarker({ key: record!.key, value: record!.value })).toEqual({ type, version: 0, coordinatorEpoch: 17 });
  });
});
