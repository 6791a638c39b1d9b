import fc from 'fast-check';
import { KafkaError } from '../../errors.js';
import { CompressionType, TimestampType, writeCrcAt } from './batch-header.js';
import { decodeRecordBatch, iterateBatches } from './record-batch-decoder.js';
import { encodeRecordBatch, type RecordBatchInput, type RecordInput } from './record-batch-encoder.js';

/** Property tests: random batches round-trip, and random damage only ever raises KafkaError. */

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

const bytes = (maxLength: number): fc.Arbitrary<Buffer> => fc.uint8Array({ maxLength }).map((a) => Buffer.from(a));

// Timestamps within ±2^61 so that every delta between two of them fits int64; some as
// plain numbers, as callers holding Date.now() pass them.
const timestamp: fc.Arbitrary<bigint | number> = fc.oneof(
  fc.bigInt({ min: -(2n ** 61n), max: 2n ** 61n }),
  fc.integer({ min: 0, max: 2 ** 45 }),
);

const record: fc.Arbitrary<RecordInput> = fc.record({
  key: fc.option(bytes(40), { nil: null }),
  value: fc.option(bytes(200), { nil: null }),
  headers: fc.array(
    fc.record({ key: fc.string({ unit: 'grapheme', maxLength: 12 }), value: fc.option(bytes(20), { nil: null }) }),
    { maxLength: 4 },
  ),
  timestamp,
});

const batchInput: fc.Arbitrary<RecordBatchInput> = fc.record({
  records: fc.array(record, { maxLength: 12 }),
  baseOffset: fc.bigInt({ min: 0n, max: 2n ** 62n }),
  partitionLeaderEpoch: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  compression: fc.constantFrom(
    CompressionType.NONE,
    CompressionType.GZIP,
    CompressionType.SNAPPY,
    CompressionType.LZ4,
    CompressionType.ZSTD,
  ),
  timestampType: fc.constantFrom(TimestampType.CREATE_TIME, TimestampType.LOG_APPEND_TIME),
  logAppendTime: fc.bigInt({ min: 0n, max: 2n ** 50n }),
  isTransactional: fc.boolean(),
  producerId: fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  producerEpoch: fc.integer({ min: -1, max: 32767 }),
  baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
});

function expectOnlyKafkaErrors(run: () => void): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
  }
}

describe('RecordBatch v2 properties', () => {
  it('decodes what it encodes, for any records, headers, timestamps and codec', () => {
    fc.assert(
      fc.property(batchInput, (input) => {
        const encoded = encodeRecordBatch(input);
        const batch = decodeRecordBatch(encoded);
        const logAppend = input.timestampType === TimestampType.LOG_APPEND_TIME;
        const times = input.records.map((r) => BigInt(logAppend ? input.logAppendTime! : r.timestamp!));
        const expectedMax = times.length === 0 ? (logAppend ? input.logAppendTime! : -1n) : times.reduce((a, b) => (b > a ? b : a));

        expect(batch).toMatchObject({
          baseOffset: input.baseOffset,
          partitionLeaderEpoch: input.partitionLeaderEpoch,
          compression: input.compression,
          timestampType: input.timestampType,
          isTransactional: input.isTransactional,
          isControl: false,
          producerId: input.producerId,
          producerEpoch: input.producerEpoch,
          baseSequence: input.baseSequence,
          recordsCount: input.records.length,
          lastOffsetDelta: Math.max(0, input.records.length - 1),
          maxTimestamp: expectedMax,
          sizeInBytes: encoded.length,
        });
        expect(batch.records.map((r) => ({ ...r }))).toEqual(
          input.records.map((r, i) => ({
            offset: input.baseOffset! + BigInt(i),
            timestamp: times[i],
            key: r.key,
            value: r.value,
            headers: r.headers,
            attributes: 0,
            offsetDelta: i,
            timestampDelta: logAppend ? 0n : times[i]! - times[0]!,
          })),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('walks any sequence of batches laid end to end', () => {
    fc.assert(
      fc.property(fc.array(batchInput, { minLength: 1, maxLength: 4 }), (inputs) => {
        const walked = [...iterateBatches(Buffer.concat(inputs.map(encodeRecordBatch)))];
        expect(walked.map((b) => [b.baseOffset, b.recordsCount])).toEqual(
          inputs.map((i) => [i.baseOffset, i.records.length]),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('raises only KafkaError for batches with random bytes changed, cut or appended', () => {
    const damage = fc.record({
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
      tail: bytes(8),
    });
    fc.assert(
      fc.property(batchInput, damage, (input, { edits, cut, tail }) => {
        const encoded = encodeRecordBatch(input);
        let damaged = Buffer.from(encoded);
        for (const [at, byte] of edits) damaged[at % damaged.length] = byte;
        if (cut !== undefined) damaged = damaged.subarray(0, cut % damaged.length);
        damaged = Buffer.concat([damaged, tail]);
        expectOnlyKafkaErrors(() => decodeRecordBatch(damaged));
        expectOnlyKafkaErrors(() => [...iterateBatches(damaged)]);
      }),
      { numRuns: 300 },
    );
  });

  it('raises only KafkaError when damaged records carry a recomputed, valid CRC', () => {
    // The CRC check stops most damage at the door; fixing the CRC up sends the damage
    // through record parsing and decompression instead.
    fc.assert(
      fc.property(
        batchInput.filter((i) => i.records.length > 0),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (input, edits) => {
          const damaged = encodeRecordBatch(input);
          const span = damaged.length - 21;
          for (const [at, byte] of edits) damaged[21 + (at % span)] = byte;
          writeCrcAt(damaged, 0);
          expectOnlyKafkaErrors(() => decodeRecordBatch(damaged));
        },
      ),
      { numRuns: 400 },
    );
  });
});
