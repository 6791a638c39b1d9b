import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';
import {
  checkEncodeVersion,
  readArray,
  readBytes,
  readNullableString,
  readString,
  readTimestampMs,
  readValueVersion,
  writeArray,
  writeBytes,
  writeNullableString,
  writeString,
  writeTimestampMs,
} from './record-fields.js';

/**
 * The value of a group's metadata in `__consumer_offsets` (Kafka's GroupMetadataValue),
 * written when a generation completes (and when a group empties):
 *   v0 => version:INT16 protocol_type:STRING generation:INT32 protocol:NULLABLE_STRING
 *         leader:NULLABLE_STRING [members]
 *         members => member_id:STRING client_id:STRING client_host:STRING
 *                    session_timeout:INT32 subscription:BYTES assignment:BYTES
 *   v1 => members gain rebalance_timeout:INT32 before session_timeout
 *   v2 => current_state_timestamp:INT64 after leader
 *   v3 => members gain group_instance_id:NULLABLE_STRING after member_id
 *   v4 => v3 with compact strings, bytes and arrays and a tagged-field section ending the
 *         value and each member (flexible)
 * Fields a version lacks read as their defaults (-1, null) and are dropped when written.
 * Kafka 3.7 writes v3. When it loads a v0 value it takes each member's session timeout as
 * its rebalance timeout (v0 has none); the codec leaves that to its caller and reads -1.
 * A deleted group is a tombstone, a null value.
 */
export const GROUP_METADATA_VALUE_MAX_VERSION = 4;
export const GROUP_METADATA_VALUE_VERSION = 3;

export interface GroupMetadataMember {
  memberId: string;
  /** v3+: the static member's group.instance.id. */
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** v1+; -1 when unknown. */
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The member's metadata for the chosen protocol (a consumer Subscription for "consumer" groups). */
  subscription: Buffer;
  assignment: Buffer;
}

export interface GroupMetadataValue {
  /** "consumer" for consumer groups; empty when the group never had members. */
  protocolType: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  /** v2+: when the group entered its current state; -1 when unknown. */
  currentStateTimestampMs: number;
  members: GroupMetadataMember[];
}

export function makeGroupMetadataValue(fields: Partial<GroupMetadataValue> = {}): GroupMetadataValue {
  return { protocolType: '', generation: 0, protocol: null, leader: null, currentStateTimestampMs: -1, members: [], ...fields };
}

export function makeGroupMetadataMember(fields: Partial<GroupMetadataMember> = {}): GroupMetadataMember {
  return {
    memberId: '',
    groupInstanceId: null,
    clientId: '',
    clientHost: '',
    rebalanceTimeoutMs: -1,
    sessionTimeoutMs: 0,
    subscription: Buffer.alloc(0),
    assignment: Buffer.alloc(0),
    ...fields,
  };
}

export function encodeGroupMetadataValue(value: GroupMetadataValue, version = GROUP_METADATA_VALUE_VERSION): Buffer {
  checkEncodeVersion('GroupMetadataValue', version, GROUP_METADATA_VALUE_MAX_VERSION);
  const flexible = version >= 4;
  const w = new Writer();
  w.int16(version);
  writeString(w, value.protocolType, flexible);
  w.int32(value.generation);
  writeNullableString(w, value.protocol, flexible);
  writeNullableString(w, value.leader, flexible);
  if (version >= 2) writeTimestampMs(w, value.currentStateTimestampMs);
  writeArray(w, value.members, flexible, (w, member) => writeMember(w, member, version));
  if (flexible) w.taggedFields();
  return w.toBuffer();
}

function writeMember(w: Writer, member: GroupMetadataMember, version: number): void {
  const flexible = version >= 4;
  writeString(w, member.memberId, flexible);
  if (version >= 3) writeNullableString(w, member.groupInstanceId, flexible);
  writeString(w, member.clientId, flexible);
  writeString(w, member.clientHost, flexible);
  if (version >= 1) w.int32(member.rebalanceTimeoutMs);
  w.int32(member.sessionTimeoutMs);
  writeBytes(w, member.subscription, flexible);
  writeBytes(w, member.assignment, flexible);
  if (flexible) w.taggedFields();
}

/** Null for a tombstone (the group was deleted or expired with no offsets left). */
export function decodeGroupMetadataValue(payload: Buffer | null): GroupMetadataValue | null {
  if (payload === null) return null;
  const r = new Reader(payload);
  const version = readValueVersion(r, 'GroupMetadataValue', GROUP_METADATA_VALUE_MAX_VERSION);
  const flexible = version >= 4;
  const protocolType = readString(r, flexible);
  const generation = r.int32();
  const protocol = readNullableString(r, flexible);
  const leader = readNullableString(r, flexible);
  const currentStateTimestampMs = version >= 2 ? readTimestampMs(r) : -1;
  const members = readArray(r, flexible, (r) => readMember(r, version));
  if (flexible) r.taggedFields();
  return { protocolType, generation, protocol, leader, currentStateTimestampMs, members };
}

function readMember(r: Reader, version: number): GroupMetadataMember {
  const flexible = version >= 4;
  const memberId = readString(r, flexible);
  const groupInstanceId = version >= 3 ? readNullableString(r, flexible) : null;
  const clientId = readString(r, flexible);
  const clientHost = readString(r, flexible);
  const rebalanceTimeoutMs = version >= 1 ? r.int32() : -1;
  const sessionTimeoutMs = r.int32();
  const subscription = readBytes(r, flexible);
  const assignment = readBytes(r, flexible);
  if (flexible) r.taggedFields();
  return { memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs, subscription, assignment };
}
