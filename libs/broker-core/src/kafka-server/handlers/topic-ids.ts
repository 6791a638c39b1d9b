import { NULL_UUID } from '../../protocol/primitives/reader.js';

/**
 * Topic ids travel as UUIDs on the wire and are kept as base64url of the same 16 bytes
 * (Kafka prints them so); these convert between the two.
 */
export function topicIdToUuid(topicId: string): string {
  const hex = Buffer.from(topicId, 'base64url').toString('hex');
  if (hex.length !== 32) return NULL_UUID;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToTopicId(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}
