import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';
import { decodeGroupMetadataValue, encodeGroupMetadataValue, type GroupMetadataValue } from './group-metadata-value.js';
import { decodeOffsetCommitValue, encodeOffsetCommitValue, type OffsetCommitValue } from './offset-commit-value.js';

/**
 * Records of the compacted `__consumer_offsets` topic, as Kafka's group coordinator writes
 * them, so that a log written by either reads in the other. The key's INT16 version says
 * what the record is:
 *   v0, v1 => offset commit:  version:INT16 group:STRING topic:STRING partition:INT32
 *   v2     => group metadata: version:INT16 group:STRING
 * (v0 and v1 are the same bytes; Kafka writes v1.) Higher key versions belong to the
 * consumer group protocol of KIP-848 and are returned as `unknown`, for the loader to skip
 * as Kafka 3.7's classic coordinator does. Values are OffsetCommitValue and
 * GroupMetadataValue; a null value is a tombstone: compaction drops the records of its key
 * that precede it, and the tombstone itself once `delete.retention.ms` has passed.
 */
export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';
export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;

export interface OffsetCommitKey {
  type: 'offset';
  group: string;
  topic: string;
  partition: number;
}

export interface GroupMetadataKey {
  type: 'group';
  group: string;
}

export interface UnknownKey {
  type: 'unknown';
  version: number;
}

export type ConsumerOffsetsKey = OffsetCommitKey | GroupMetadataKey | UnknownKey;

export type ConsumerOffsetsRecord =
  | (OffsetCommitKey & { value: OffsetCommitValue | null })
  | (GroupMetadataKey & { value: GroupMetadataValue | null })
  | UnknownKey;

export function encodeOffsetCommitKey(group: string, topic: string, partition: number, version = OFFSET_COMMIT_KEY_VERSION): Buffer {
  if (version !== 0 && version !== 1) throw new RangeError(`OffsetCommitKey v${version} (writes v0-v1)`);
  return new Writer(64).int16(version).string(group).string(topic).int32(partition).toBuffer();
}

export function encodeGroupMetadataKey(group: string): Buffer {
  return new Writer(32).int16(GROUP_METADATA_KEY_VERSION).string(group).toBuffer();
}

export function decodeConsumerOffsetsKey(key: Buffer): ConsumerOffsetsKey {
  const r = new Reader(key);
  const version = r.int16();
  if (version === 0 || version === 1) return { type: 'offset', group: r.string(), topic: r.string(), partition: r.int32() };
  if (version === GROUP_METADATA_KEY_VERSION) return { type: 'group', group: r.string() };
  return { type: 'unknown', version };
}

/** One record of the topic, key and value decoded; a null value is a tombstone. */
export function decodeConsumerOffsetsRecord(key: Buffer, value: Buffer | null): ConsumerOffsetsRecord {
  const decoded = decodeConsumerOffsetsKey(key);
  switch (decoded.type) {
    case 'offset':
      return { ...decoded, value: decodeOffsetCommitValue(value) };
    case 'group':
      return { ...decoded, value: decodeGroupMetadataValue(value) };
    case 'unknown':
      return decoded;
    default: {
      const never: never = decoded;
      throw new Error(`unexpected key ${JSON.stringify(never)}`);
    }
  }
}

/** The key and value of a commit, or of its deletion when `value` is null. */
export function offsetCommitRecord(group: string, topic: string, partition: number, value: OffsetCommitValue | null): { key: Buffer; value: Buffer | null } {
  return { key: encodeOffsetCommitKey(group, topic, partition), value: value === null ? null : encodeOffsetCommitValue(value) };
}

/** The key and value of a group's metadata, or of the group's deletion when `value` is null. */
export function groupMetadataRecord(group: string, value: GroupMetadataValue | null): { key: Buffer; value: Buffer | null } {
  return { key: encodeGroupMetadataKey(group), value: value === null ? null : encodeGroupMetadataValue(value) };
}
