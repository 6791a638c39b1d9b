import { expectKafkaError } from './testing/expect-kafka-error.js';
import {
  ATTRIBUTES_OFFSET,
  BATCH_HEADER_SIZE,
  CompressionType,
  LENGTH_OFFSET,
  MAGIC_OFFSET,
  RECORDS_COUNT_OFFSET,
  writeCrcAt,
} from './batch-header.js';
import { decodeRecordBatch, iterateBatchHeaders, iterateBatches } from './record-batch-decoder.js';
import { encodeRecordBatch } from './record-batch-encoder.js';

/** Malformed batches fail with the Kafka error a client would be told, never a RangeError. */


function sampleBatch(compression = CompressionType.NONE): Buffer {
  return encodeRecordBatch({
    compression,
    baseOffset: 10n,
    records: [
      { key: Buffer.from('a'), value: Buffer.from('one'), timestamp: 1000 },
      { key: null, value: Buffer.from('two'), headers: [{ key: 'h', value: Buffer.from('x') }], timestamp: 1001 },
    ],
  });
}

/** Rewrites the records area of an uncompressed sample and fixes length and CRC to match. */
function withRecords(records: Buffer, count: number): Buffer {
  const batch = Buffer.concat([sampleBatch().subarray(0, BATCH_HEADER_SIZE), records]);
  batch.writeInt32BE(batch.length - 12, LENGTH_OFFSET);
  batch.writeInt32BE(count, RECORDS_COUNT_OFFSET);
  writeCrcAt(batch, 0);
  return batch;
}

describe('decodeRecordBatch on malformed input', () => {
  it('rejects a flipped bit anywhere the CRC covers with CORRUPT_MESSAGE', () => {
    const batch = sampleBatch();
    batch[batch.length - 2]! ^= 0x01;
    expectKafkaError(() => decodeRecordBatch(batch), 'CORRUPT_MESSAGE', /CRC/);
  });

  it('rejects a wrong magic with INVALID_RECORD', () => {
    const batch = sampleBatch();
    batch[MAGIC_OFFSET] = 1;
    expectKafkaError(() => decodeRecordBatch(batch), 'INVALID_RECORD', /magic/);
  });

  it('rejects a length past the buffer, or too short for a header, with CORRUPT_MESSAGE', () => {
    const batch = sampleBatch();
    expectKafkaError(() => decodeRecordBatch(batch.subarray(0, batch.length - 1)), 'CORRUPT_MESSAGE', /length/);
    expectKafkaError(() => decodeRecordBatch(batch.subarray(0, 30)), 'CORRUPT_MESSAGE', /header/);
    const lying = Buffer.from(batch);
    lying.writeInt32BE(0x7fffffff, LENGTH_OFFSET);
    expectKafkaError(() => decodeRecordBatch(lying), 'CORRUPT_MESSAGE');
    lying.writeInt32BE(-5, LENGTH_OFFSET);
    expectKafkaError(() => decodeRecordBatch(lying), 'CORRUPT_MESSAGE');
  });

  it('rejects a truncated last record with CORRUPT_MESSAGE, even under a valid CRC', () => {
    const records = sampleBatch().subarray(BATCH_HEADER_SIZE);
    expectKafkaError(() => decodeRecordBatch(withRecords(records.subarray(0, records.length - 3), 2)), 'CORRUPT_MESSAGE');
  });

  it('rejects a record count above what is there (CORRUPT_MESSAGE) or below it (INVALID_RECORD)', () => {
    const records = sampleBatch().subarray(BATCH_HEADER_SIZE);
    expectKafkaError(() => decodeRecordBatch(withRecords(records, 3)), 'CORRUPT_MESSAGE');
    expectKafkaError(() => decodeRecordBatch(withRecords(records, 1)), 'INVALID_RECORD', /left after/);
    expectKafkaError(() => decodeRecordBatch(withRecords(records, -1)), 'INVALID_RECORD');
    // A huge count is refused before anything is built for it.
    expectKafkaError(() => decodeRecordBatch(withRecords(records, 0x7fffffff)), 'CORRUPT_MESSAGE', /declares/);
  });

  it('rejects records whose fields disagree with their length, or carry negative lengths', () => {
    // length 8 · attrs · tsDelta · offDelta · key len 1 'k' · value -1 · 0 headers: 7 bytes, 1 spare
    expectKafkaError(() => decodeRecordBatch(withRecords(Buffer.from('10000000026b010000', 'hex'), 1)), 'INVALID_RECORD', /declares/);
    // key length -2 (zig-zag 3)
    expectKafkaError(() => decodeRecordBatch(withRecords(Buffer.from('0c0000000301010000', 'hex'), 1)), 'INVALID_RECORD', /negative/);
    // header count -1 (zig-zag 1)
    expectKafkaError(() => decodeRecordBatch(withRecords(Buffer.from('0c000000010101', 'hex'), 1)), 'INVALID_RECORD', /header count/);
    // header count 50 in a 6-byte record
    expectKafkaError(() => decodeRecordBatch(withRecords(Buffer.from('0c000000010164', 'hex'), 1)), 'CORRUPT_MESSAGE', /headers/);
    // an 11-byte varint as timestampDelta
    const longVarlong = Buffer.concat([Buffer.from('1a00', 'hex'), Buffer.alloc(11, 0xff), Buffer.from('0001010000', 'hex')]);
    expectKafkaError(() => decodeRecordBatch(withRecords(longVarlong, 1)), 'CORRUPT_MESSAGE', /varlong/);
  });

  it('rejects codec ids 5-7 with UNSUPPORTED_COMPRESSION_TYPE', () => {
    for (const id of [5, 6, 7]) {
      const batch = sampleBatch();
      batch.writeInt16BE(id, ATTRIBUTES_OFFSET);
      writeCrcAt(batch, 0);
      expectKafkaError(() => decodeRecordBatch(batch), 'UNSUPPORTED_COMPRESSION_TYPE');
    }
  });

  it.each([CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD])(
    'rejects undecompressable records (codec %i) with CORRUPT_MESSAGE',
    (compression) => {
      const batch = sampleBatch(compression);
      batch.fill(0x5a, BATCH_HEADER_SIZE, batch.length);
      writeCrcAt(batch, 0);
      expectKafkaError(() => decodeRecordBatch(batch), 'CORRUPT_MESSAGE');
    },
  );

  it('skips the CRC only when asked, for bytes already checked', () => {
    const batch = sampleBatch();
    batch[batch.length - 1] = 0x79; // inside the last header value, still well formed
    expectKafkaError(() => decodeRecordBatch(batch), 'CORRUPT_MESSAGE', /CRC/);
    expect(decodeRecordBatch(batch, 0, { verifyCrc: false }).records[1]!.headers[0]!.value).toEqual(Buffer.from('y'));
  });
});

describe('walking concatenated batches', () => {
  const first = sampleBatch();
  const second = encodeRecordBatch({ baseOffset: 12n, records: [{ value: Buffer.from('three'), timestamp: 1002 }] });

  it('yields each batch with its position, and the records in order', () => {
    const both = Buffer.concat([first, second]);
    expect([...iterateBatchHeaders(both)].map((h) => [h.position, h.sizeInBytes, h.baseOffset])).toEqual([
      [0, first.length, 10n],
      [first.length, second.length, 12n],
    ]);
    expect([...iterateBatches(both)].flatMap((b) => b.records.map((r) => r.value!.toString()))).toEqual(['one', 'two', 'three']);
  });

  it('throws on a cut-off last batch unless a partial tail is allowed', () => {
    for (const cut of [5, 20, second.length - 1]) {
      const partial = Buffer.concat([first, second.subarray(0, cut)]);
      expectKafkaError(() => [...iterateBatches(partial)], 'CORRUPT_MESSAGE');
      expect([...iterateBatches(partial, 0, { allowPartialTail: true })].map((b) => b.baseOffset)).toEqual([10n]);
      expect([...iterateBatchHeaders(partial, 0, { allowPartialTail: true })]).toHaveLength(1);
    }
  });
});
