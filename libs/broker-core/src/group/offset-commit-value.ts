import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';
import {
  checkEncodeVersion,
  readString,
  readTimestampMs,
  readValueVersion,
  writeString,
  writeTimestampMs,
} from './record-fields.js';

/**
 * The value of a committed offset in `__consumer_offsets` (Kafka's OffsetCommitValue):
 *   v0 => version:INT16 offset:INT64 metadata:STRING commit_timestamp:INT64
 *   v1 => version:INT16 offset:INT64 metadata:STRING commit_timestamp:INT64 expire_timestamp:INT64
 *   v2 => same as v0
 *   v3 => version:INT16 offset:INT64 leader_epoch:INT32 metadata:STRING commit_timestamp:INT64
 *   v4 => v3 with COMPACT_STRING metadata and a tagged-field section (flexible)
 * Fields a version lacks read as their defaults (-1) and are dropped when written, as Kafka
 * does for these "ignorable" fields. Kafka 3.7 writes v1 when the commit carries an
 * expire timestamp (OffsetCommit v1's retention) and v3 otherwise; a deleted offset is a
 * tombstone, a null value.
 */
export const OFFSET_COMMIT_VALUE_MAX_VERSION = 4;

export interface OffsetCommitValue {
  offset: bigint;
  /** v3+; -1 when unknown. */
  leaderEpoch: number;
  metadata: string;
  commitTimestampMs: number;
  /** v1 only; -1 when the offset expires by the group's retention instead. */
  expireTimestampMs: number;
}

export function makeOffsetCommitValue(fields: Partial<OffsetCommitValue> = {}): OffsetCommitValue {
  return { offset: 0n, leaderEpoch: -1, metadata: '', commitTimestampMs: 0, expireTimestampMs: -1, ...fields };
}

/** The version Kafka 3.7 writes for this value. */
export function offsetCommitValueVersion(value: OffsetCommitValue): number {
  return value.expireTimestampMs !== -1 ? 1 : 3;
}

export function encodeOffsetCommitValue(value: OffsetCommitValue, version = offsetCommitValueVersion(value)): Buffer {
  checkEncodeVersion('OffsetCommitValue', version, OFFSET_COMMIT_VALUE_MAX_VERSION);
  const flexible = version >= 4;
  const w = new Writer(64);
  w.int16(version).int64(value.offset);
  if (version >= 3) w.int32(value.leaderEpoch);
  writeString(w, value.metadata, flexible);
  writeTimestampMs(w, value.commitTimestampMs);
  if (version === 1) writeTimestampMs(w, value.expireTimestampMs);
  if (flexible) w.taggedFields();
  return w.toBuffer();
}

/** Null for a tombstone (the offset was deleted or expired). */
export function decodeOffsetCommitValue(payload: Buffer | null): OffsetCommitValue | null {
  if (payload === null) return null;
  const r = new Reader(payload);
  const version = readValueVersion(r, 'OffsetCommitValue', OFFSET_COMMIT_VALUE_MAX_VERSION);
  const flexible = version >= 4;
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = readString(r, flexible);
  const commitTimestampMs = readTimestampMs(r);
  const expireTimestampMs = version === 1 ? readTimestampMs(r) : -1;
  if (flexible) r.taggedFields();
  return { offset, leaderEpoch, metadata, commitTimestampMs, expireTimestampMs };
}
