import { isKafkaError } from '../errors.js';
import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';
import type { ConsumerSubscription, TopicPartitions } from './consumer-protocol.js';

/**
 * What the sticky assignors know of a member's previous assignment: the partitions it
 * claims and the generation they were assigned in (-1 when unknown). Where it comes from
 * differs, as in Kafka:
 *
 * - "sticky" (StickyAssignor, eager): members revoke everything before rejoining, so their
 *   subscription owns nothing; the claim travels in the user data, which Java clients write
 *   as
 *     v1 => [previous_assignment => topic:STRING [partitions:INT32]] generation:INT32
 *     v0 => [previous_assignment => topic:STRING [partitions:INT32]]
 *   Kafka reads v1, then v0, and treats unreadable user data as no claim. Weir adds one
 *   fallback: a subscription without user data claims its owned partitions and generation
 *   (Kafka's would claim nothing), so that server-side members need no user data.
 * - "cooperative-sticky": the subscription's owned partitions, with its generation_id
 *   (v2+), or else the INT32 generation the assignor puts in the user data.
 */
export interface StickyClaim {
  partitions: TopicPartitions[];
  generation: number;
}

export const NO_GENERATION = -1;

export function encodeStickyUserData(claim: StickyClaim): Buffer {
  const w = new Writer();
  w.array(claim.partitions, (w, { topic, partitions }) => {
    w.string(topic);
    w.array(partitions, (w, p) => w.int32(p));
  });
  return w.int32(claim.generation).toBuffer();
}

/** The claim in StickyAssignor user data (v1, or v0 without a generation); null when unreadable. */
export function decodeStickyUserData(userData: Buffer): StickyClaim | null {
  const r = new Reader(userData);
  try {
    const partitions = r.array((r) => ({ topic: r.string(), partitions: r.array((r) => r.int32()) }));
    return { partitions, generation: r.remaining >= 4 ? r.int32() : NO_GENERATION };
  } catch (err) {
    if (isKafkaError(err)) return null;
    throw err;
  }
}

export function encodeCooperativeStickyUserData(generation: number): Buffer {
  return new Writer(4).int32(generation).toBuffer();
}

export function stickyClaim(subscription: ConsumerSubscription): StickyClaim {
  const { userData } = subscription;
  if (userData === null || userData.length === 0) {
    return { partitions: subscription.ownedPartitions, generation: Math.max(subscription.generationId, NO_GENERATION) };
  }
  return decodeStickyUserData(userData) ?? { partitions: [], generation: NO_GENERATION };
}

export function cooperativeStickyClaim(subscription: ConsumerSubscription): StickyClaim {
  const partitions = subscription.ownedPartitions;
  if (subscription.generationId >= 0) return { partitions, generation: subscription.generationId };
  const { userData } = subscription;
  return { partitions, generation: userData !== null && userData.length >= 4 ? userData.readInt32BE(0) : NO_GENERATION };
}
