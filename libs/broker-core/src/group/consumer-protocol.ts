import { KafkaError } from '../errors.js';
import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';

/**
 * Kafka's consumer protocol (protocol type "consumer"): the bytes a consumer puts in
 * JoinGroup's protocol metadata (its Subscription) and the group leader in SyncGroup's
 * assignments (each member's Assignment). The broker only stores and forwards them in the
 * classic protocol; Weir reads them to describe groups and to assign partitions itself for
 * its REST consumers.
 *
 * Both are version-prefixed and never flexible:
 *   Subscription => version:INT16 [topics:STRING] user_data:NULLABLE_BYTES
 *                   [owned_partitions => topic:STRING [partitions:INT32]] (v1+)
 *                   generation_id:INT32 (v2+, -1 when unknown) rack_id:NULLABLE_STRING (v3+)
 *   Assignment   => version:INT16 [assigned_partitions => topic:STRING [partitions:INT32]]
 *                   user_data:NULLABLE_BYTES (same layout in v0-v3)
 *
 * Compatibility rules are Kafka's: a version above 3 is read with the v3 layout (later
 * versions may only append fields), and fields a version lacks are dropped when encoding
 * (all of them are "ignorable"). Weir is more lenient than Kafka in one way: input that ends
 * where a v1+ field of a Subscription would begin reads that field and the later ones as
 * their defaults. kafkajs's MemberMetadata writes only topics and user data whatever version
 * an assigner declares, and such subscriptions should still describe and assign.
 */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';
export const CONSUMER_PROTOCOL_VERSIONS = { min: 0, max: 3 } as const;

/** Partitions of one topic, as both payloads group them. */
export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface ConsumerSubscription {
  topics: string[];
  userData: Buffer | null;
  /** v1+: what the member owns while it rejoins (cooperative rebalancing). */
  ownedPartitions: TopicPartitions[];
  /** v2+: the generation `ownedPartitions` were assigned in; -1 when unknown. */
  generationId: number;
  /** v3+ */
  rackId: string | null;
}

export interface ConsumerAssignment {
  assignedPartitions: TopicPartitions[];
  userData: Buffer | null;
}

/** A decoded payload with the version its bytes declared (possibly above 3). */
export type Versioned<T> = T & { version: number };

export function makeConsumerSubscription(fields: Partial<ConsumerSubscription> = {}): ConsumerSubscription {
  return { topics: [], userData: null, ownedPartitions: [], generationId: -1, rackId: null, ...fields };
}

export function makeConsumerAssignment(fields: Partial<ConsumerAssignment> = {}): ConsumerAssignment {
  return { assignedPartitions: [], userData: null, ...fields };
}

export function encodeConsumerSubscription(subscription: ConsumerSubscription, version: number = CONSUMER_PROTOCOL_VERSIONS.max): Buffer {
  checkEncodeVersion('subscription', version);
  const w = new Writer();
  w.int16(version);
  w.array(subscription.topics, (w, topic) => w.string(topic));
  w.nullableBytes(subscription.userData);
  if (version >= 1) writeTopicPartitions(w, subscription.ownedPartitions);
  if (version >= 2) w.int32(subscription.generationId);
  if (version >= 3) w.nullableString(subscription.rackId);
  return w.toBuffer();
}

export function decodeConsumerSubscription(payload: Buffer): Versioned<ConsumerSubscription> {
  const r = new Reader(payload);
  const version = readVersion(r, 'subscription');
  const topics = r.array((r) => r.string());
  const userData = r.nullableBytes();
  const subscription: Versioned<ConsumerSubscription> = { version, ...makeConsumerSubscription({ topics, userData }) };
  if (version < 1 || r.remaining === 0) return subscription;
  subscription.ownedPartitions = readTopicPartitions(r);
  if (version < 2 || r.remaining === 0) return subscription;
  subscription.generationId = r.int32();
  if (version < 3 || r.remaining === 0) return subscription;
  subscription.rackId = r.nullableString();
  return subscription;
}

export function encodeConsumerAssignment(assignment: ConsumerAssignment, version: number = CONSUMER_PROTOCOL_VERSIONS.max): Buffer {
  checkEncodeVersion('assignment', version);
  const w = new Writer();
  w.int16(version);
  writeTopicPartitions(w, assignment.assignedPartitions);
  w.nullableBytes(assignment.userData);
  return w.toBuffer();
}

export function decodeConsumerAssignment(payload: Buffer): Versioned<ConsumerAssignment> {
  const r = new Reader(payload);
  const version = readVersion(r, 'assignment');
  const assignedPartitions = readTopicPartitions(r);
  return { version, assignedPartitions, userData: r.nullableBytes() };
}

function writeTopicPartitions(w: Writer, topics: readonly TopicPartitions[]): void {
  w.array(topics, (w, { topic, partitions }) => {
    w.string(topic);
    w.array(partitions, (w, partition) => w.int32(partition));
  });
}

function readTopicPartitions(r: Reader): TopicPartitions[] {
  return r.array((r) => ({ topic: r.string(), partitions: r.array((r) => r.int32()) }));
}

function readVersion(r: Reader, what: string): number {
  const version = r.int16();
  if (version < CONSUMER_PROTOCOL_VERSIONS.min) throw new KafkaError('INVALID_REQUEST', `consumer protocol ${what} version ${version}`);
  return version;
}

function checkEncodeVersion(what: string, version: number): void {
  if (!Number.isInteger(version) || version < CONSUMER_PROTOCOL_VERSIONS.min || version > CONSUMER_PROTOCOL_VERSIONS.max) {
    throw new RangeError(`consumer protocol ${what} v${version} (Weir writes v0-v3)`);
  }
}
