import { CompressionType, TimestampType } from './batch-header.js';
import { decodeRecordBatch } from './record-batch-decoder.js';
import { encodeRecordBatch } from './record-batch-encoder.js';

/**
 * Byte fixtures derived by hand from the RecordBatch v2 grammar (see batch-header.ts and
 * record.ts), with the CRC computed by a bit-at-a-time CRC-32C written here, independent
 * of the table-driven one the codec uses.
 */

function crc32cBitwise(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

describe('RecordBatch v2 byte fixtures', () => {
  it('encodes one record with key "k", value "v" at offset 5, time 1000 exactly as the spec says', () => {
    // Record body (after its length varint):
    //   00          attributes
    //   00          timestampDelta 0 (zig-zag 0)
    //   00          offsetDelta 0
    //   02 6b       key length 1 (zig-zag 2), "k"
    //   02 76       value length 1, "v"
    //   00          header count 0
    // = 8 bytes, so the length prefix is zig-zag(8) = 16 = 0x10: the record is 9 bytes.
    const record = hex('10 00 00 00 02 6b 02 76 00');
    // Header fields after the CRC, which the CRC covers (attributes .. end):
    const crcCovered = Buffer.concat([
      hex('0000'), //                 attributes: no compression, CreateTime, not txn, not control
      hex('00000000'), //             lastOffsetDelta 0
      hex('00000000000003e8'), //     baseTimestamp 1000
      hex('00000000000003e8'), //     maxTimestamp 1000
      hex('ffffffffffffffff'), //     producerId -1
      hex('ffff'), //                 producerEpoch -1
      hex('ffffffff'), //             baseSequence -1
      hex('00000001'), //             recordsCount 1
      record,
    ]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32cBitwise(crcCovered));
    const expected = Buffer.concat([
      hex('0000000000000005'), //     baseOffset 5
      hex('0000003a'), //             batchLength: 61 + 9 - 12 = 58
      hex('00000000'), //             partitionLeaderEpoch 0
      hex('02'), //                   magic 2
      crc,
      crcCovered,
    ]);

    const encoded = encodeRecordBatch({
      baseOffset: 5n,
      partitionLeaderEpoch: 0,
      records: [{ key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 1000 }],
    });
    expect(encoded.toString('hex')).toBe(expected.toString('hex'));

    const decoded = decodeRecordBatch(expected);
    expect(decoded).toMatchObject({
      baseOffset: 5n,
      batchLength: 58,
      partitionLeaderEpoch: 0,
      magic: 2,
      crc: crc.readUInt32BE(),
      compression: CompressionType.NONE,
      timestampType: TimestampType.CREATE_TIME,
      isTransactional: false,
      isControl: false,
      lastOffsetDelta: 0,
      baseTimestamp: 1000n,
      maxTimestamp: 1000n,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      recordsCount: 1,
      sizeInBytes: 70,
    });
    expect(decoded.records).toEqual([
      {
        offset: 5n,
        timestamp: 1000n,
        key: Buffer.from('k'),
        value: Buffer.from('v'),
        headers: [],
        attributes: 0,
        offsetDelta: 0,
        timestampDelta: 0n,
      },
    ]);
  });

  it('encodes null keys, null header values and negative timestamp deltas as the spec says', () => {
    // Two records, base time 1000; the second is 1 ms earlier (delta -1, zig-zag 1).
    // Record 0: 00 attrs · 00 tsDelta · 00 offDelta · 01 key null (zig-zag -1) ·
    //           00 value length 0 (empty, not null) · 02 one header ·
    //           02 68 key "h" · 01 value null        = 9 bytes, prefix 0x12
    // Record 1: 00 attrs · 01 tsDelta -1 · 02 offDelta 1 · 01 key null · 01 value null ·
    //           00 no headers                         = 6 bytes, prefix 0x0c
    const records = hex('12 00 00 00 01 00 02 02 68 01   0c 00 01 02 01 01 00');
    const encoded = encodeRecordBatch({
      records: [
        { key: null, value: Buffer.alloc(0), headers: [{ key: 'h', value: null }], timestamp: 1000 },
        { value: null, timestamp: 999 },
      ],
    });
    expect(encoded.subarray(61).toString('hex')).toBe(records.toString('hex'));
    // partitionLeaderEpoch defaults to -1 as a producer writes it; maxTimestamp is 1000.
    expect(encoded.readInt32BE(12)).toBe(-1);
    expect(encoded.readInt32BE(23)).toBe(1);
    expect(encoded.readBigInt64BE(27)).toBe(1000n);
    expect(encoded.readBigInt64BE(35)).toBe(1000n);
    expect(encoded.readUInt32BE(17)).toBe(crc32cBitwise(encoded.subarray(21)));

    const decoded = decodeRecordBatch(encoded);
    expect(decoded.records.map((r) => [r.offset, r.timestamp, r.key, r.value, r.headers])).toEqual([
      [0n, 1000n, null, Buffer.alloc(0), [{ key: 'h', value: null }]],
      [1n, 999n, null, null, []],
    ]);
  });
});
