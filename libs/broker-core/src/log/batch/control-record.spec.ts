import { expectKafkaError } from './testing/expect-kafka-error.js';
import { NO_SEQUENCE, TimestampType } from './batch-header.js';
import {
  ControlRecordType,
  decodeControlRecordKey,
  decodeEndTxnMarker,
  encodeControlBatch,
  encodeControlRecordKey,
  isTxnMarkerBatch,
} from './control-record.js';
import { decodeRecordBatch } from './record-batch-decoder.js';


describe('transaction marker batches', () => {
  it('lays out a COMMIT marker record byte for byte', () => {
    const batch = encodeControlBatch({
      type: 'COMMIT',
      coordinatorEpoch: 17,
      producerId: 5000n,
      producerEpoch: 2,
      baseOffset: 300n,
      timestamp: 1_700_000_000_000,
    });
    // One record: 00 attrs · 00 tsDelta · 00 offDelta ·
    //   08 key length 4 · 0000 version · 0001 COMMIT ·
    //   0c value length 6 · 0000 version · 00000011 coordinator epoch 17 ·
    //   00 no headers                                   = 16 bytes, prefix zig-zag 32 = 0x20
    expect(batch.subarray(61).toString('hex')).toBe('20' + '000000' + '08' + '00000001' + '0c' + '000000000011' + '00');
    expect(batch.length).toBe(61 + 17);

    const decoded = decodeRecordBatch(batch);
    expect(decoded).toMatchObject({
      baseOffset: 300n,
      isControl: true,
      isTransactional: true,
      timestampType: TimestampType.CREATE_TIME,
      producerId: 5000n,
      producerEpoch: 2,
      baseSequence: NO_SEQUENCE,
      partitionLeaderEpoch: -1,
      lastOffsetDelta: 0,
      baseTimestamp: 1_700_000_000_000n,
      maxTimestamp: 1_700_000_000_000n,
      recordsCount: 1,
    });
    expect(isTxnMarkerBatch(decoded)).toBe(true);
    expect(decodeEndTxnMarker(decoded.records[0]!)).toEqual({ type: 'COMMIT', version: 0, coordinatorEpoch: 17 });
  });

  it('round-trips ABORT markers with any coordinator epoch', () => {
    for (const coordinatorEpoch of [0, 1, 2 ** 31 - 1, -1]) {
      const decoded = decodeRecordBatch(
        encodeControlBatch({ type: 'ABORT', coordinatorEpoch, producerId: 1n, producerEpoch: 0, timestamp: 5n, partitionLeaderEpoch: 3 }),
      );
      expect(decoded.partitionLeaderEpoch).toBe(3);
      expect(decodeEndTxnMarker(decoded.records[0]!)).toEqual({ type: 'ABORT', version: 0, coordinatorEpoch });
    }
  });

  it('reads newer key and value versions as version 0, as Kafka does', () => {
    const key = Buffer.from('00030001ffff', 'hex'); // version 3, COMMIT, and a field v0 does not know
    const value = Buffer.from('00020000000700000000', 'hex');
    expect(decodeControlRecordKey(key)).toEqual({ version: 3, type: ControlRecordType.COMMIT });
    expect(decodeEndTxnMarker({ key, value })).toEqual({ type: 'COMMIT', version: 2, coordinatorEpoch: 7 });
  });

  it('reports the type of non-marker control records, and refuses them as markers', () => {
    const key = encodeControlRecordKey(ControlRecordType.LEADER_CHANGE);
    expect(decodeControlRecordKey(key)).toEqual({ version: 0, type: 2 });
    expectKafkaError(() => decodeEndTxnMarker({ key, value: Buffer.alloc(6) }), 'INVALID_RECORD');
  });

  it('rejects malformed keys and values with INVALID_RECORD', () => {
    const commitKey = encodeControlRecordKey(ControlRecordType.COMMIT);
    const value = Buffer.from('000000000001', 'hex');
    expectKafkaError(() => decodeControlRecordKey(null), 'INVALID_RECORD');
    expectKafkaError(() => decodeControlRecordKey(Buffer.from('0000', 'hex')), 'INVALID_RECORD');
    expectKafkaError(() => decodeControlRecordKey(Buffer.from('ffff0001', 'hex')), 'INVALID_RECORD');
    expectKafkaError(() => decodeEndTxnMarker({ key: commitKey, value: null }), 'INVALID_RECORD');
    expectKafkaError(() => decodeEndTxnMarker({ key: commitKey, value: value.subarray(0, 5) }), 'INVALID_RECORD');
    expectKafkaError(() => decodeEndTxnMarker({ key: commitKey, value: Buffer.from('ffff00000001', 'hex') }), 'INVALID_RECORD');
  });

  it('refuses a coordinator epoch outside int32', () => {
    expectKafkaError(
      () => encodeControlBatch({ type: 'COMMIT', coordinatorEpoch: 2 ** 31, producerId: 1n, producerEpoch: 0, timestamp: 0 }),
      'INVALID_RECORD',
    );
  });
});
