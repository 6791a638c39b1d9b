import { KafkaError } from '../../errors.js';
import { baseOffsetNumberAt, isControlAt, lastOffsetNumberAt, type RecordBatchHeader } from './batch-header.js';
import { encodeRecordBatch } from './record-batch-encoder.js';

/**
 * Control records: the single record of a batch whose control attribute is set (Kafka's
 * ControlRecordType and EndTransactionMarker).
 *
 *   key   => version i16 (0) · type i16
 *   value => for COMMIT/ABORT markers: version i16 (0) · coordinatorEpoch i32
 *
 * Types: 0 ABORT, 1 COMMIT (transaction markers); 2 LEADER_CHANGE, 3 SNAPSHOT_HEADER,
 * 4 SNAPSHOT_FOOTER belong to Kafka's Raft log and other ids are unknown: readers skip them.
 * As in Kafka, a key or marker value with a newer (positive) version is read as version 0,
 * since later versions may only append fields; a negative version is INVALID_RECORD.
 *
 * A transaction marker batch is transactional and control, carries the producer's id and
 * epoch, has no base sequence (-1), and holds one record at offset delta 0.
 */

export enum ControlRecordType {
  ABORT = 0,
  COMMIT = 1,
  LEADER_CHANGE = 2,
  SNAPSHOT_HEADER = 3,
  SNAPSHOT_FOOTER = 4,
}

export type EndTxnMarkerType = 'COMMIT' | 'ABORT';

export interface ControlRecordKey {
  version: number;
  /** A ControlRecordType, or an id this broker does not know (to be skipped). */
  type: number;
}

export interface EndTxnMarker {
  type: EndTxnMarkerType;
  version: number;
  coordinatorEpoch: number;
}

export interface ControlBatchInput {
  type: EndTxnMarkerType;
  coordinatorEpoch: number;
  producerId: bigint;
  producerEpoch: number;
  baseOffset?: bigint;
  timestamp: bigint | number;
  partitionLeaderEpoch?: number;
}

export const CONTROL_RECORD_KEY_SIZE = 4;
export const END_TXN_MARKER_VALUE_SIZE = 6;
const CURRENT_CONTROL_KEY_VERSION = 0;
const CURRENT_END_TXN_MARKER_VERSION = 0;

export function encodeControlRecordKey(type: ControlRecordType): Buffer {
  const key = Buffer.allocUnsafe(CONTROL_RECORD_KEY_SIZE);
  key.writeInt16BE(CURRENT_CONTROL_KEY_VERSION, 0);
  key.writeInt16BE(type, 2);
  return key;
}

export function encodeEndTxnMarkerValue(coordinatorEpoch: number): Buffer {
  const value = Buffer.allocUnsafe(END_TXN_MARKER_VALUE_SIZE);
  value.writeInt16BE(CURRENT_END_TXN_MARKER_VERSION, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return value;
}

export function decodeControlRecordKey(key: Buffer | null): ControlRecordKey {
  if (key === null || key.length < CONTROL_RECORD_KEY_SIZE) {
    throw new KafkaError('INVALID_RECORD', `control record key needs ${CONTROL_RECORD_KEY_SIZE} bytes, has ${key?.length ?? 'null'}`);
  }
  const version = key.readInt16BE(0);
  if (version < 0) throw new KafkaError('INVALID_RECORD', `control record key has negative version ${version}`);
  return { version, type: key.readInt16BE(2) };
}

/** Decodes a COMMIT or ABORT marker; other control types are INVALID_RECORD here. */
export function decodeEndTxnMarker(record: { key: Buffer | null; value: Buffer | null }): EndTxnMarker {
  const { type } = decodeControlRecordKey(record.key);
  if (type !== ControlRecordType.ABORT && type !== ControlRecordType.COMMIT) {
    throw new KafkaError('INVALID_RECORD', `control record type ${type} is not a transaction marker`);
  }
  const value = record.value;
  if (value === null || value.length < END_TXN_MARKER_VALUE_SIZE) {
    throw new KafkaError('INVALID_RECORD', `transaction marker value needs ${END_TXN_MARKER_VALUE_SIZE} bytes, has ${value?.length ?? 'null'}`);
  }
  const version = value.readInt16BE(0);
  if (version < 0) throw new KafkaError('INVALID_RECORD', `transaction marker has negative version ${version}`);
  return {
    type: type === ControlRecordType.COMMIT ? 'COMMIT' : 'ABORT',
    version,
    coordinatorEpoch: value.readInt32BE(2),
  };
}

/** Whether a decoded batch is a COMMIT/ABORT marker batch (control and transactional). */
export function isTxnMarkerBatch(header: Pick<RecordBatchHeader, 'isControl' | 'isTransactional'>): boolean {
  return header.isControl && header.isTransactional;
}

/** Encodes the one-record control batch that ends a transaction on a partition. */
export function encodeControlBatch(input: ControlBatchInput): Buffer {
  if (!Number.isInteger(input.coordinatorEpoch) || input.coordinatorEpoch < -0x80000000 || input.coordinatorEpoch > 0x7fffffff) {
    throw new KafkaError('INVALID_RECORD', `coordinator epoch ${input.coordinatorEpoch} is outside int32`);
  }
  return encodeRecordBatch({
    baseOffset: input.baseOffset ?? 0n,
    partitionLeaderEpoch: input.partitionLeaderEpoch,
    isTransactional: true,
    isControl: true,
    producerId: input.producerId,
    producerEpoch: input.producerEpoch,
    records: [
      {
        key: encodeControlRecordKey(input.type === 'COMMIT' ? ControlRecordType.COMMIT : ControlRecordType.ABORT),
        value: encodeEndTxnMarkerValue(input.coordinatorEpoch),
        timestamp: input.timestamp,
      },
    ],
  });
}

/**
 * How many offsets of [from, end) the batch at `at` of `buf` holds as control records
 * (a transaction marker's offset): 0 for a data batch. Reads the header only; lag and
 * marker counts over stored bytes share it.
 */
export function controlOffsetsWithin(buf: Buffer, at: number, from: number, end: number): number {
  if (!isControlAt(buf, at)) return 0;
  const base = baseOffsetNumberAt(buf, at);
  const last = lastOffsetNumberAt(buf, at);
  const covered = Math.min(last, end - 1) - Math.max(base, from) + 1;
  return covered > 0 ? covered : 0;
}
