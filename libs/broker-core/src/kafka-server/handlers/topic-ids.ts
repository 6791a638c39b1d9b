import { NULL_UUID, Reader } from '../../protocol/primitives/reader.js';
import { Writer } from '../../protocol/primitives/writer.js';

/**
 * Topic ids travel as UUIDs on the wire and are kept as base64url of the same 16 bytes
 * (Kafka prints them so); these convert between the two through the protocol's own UUID
 * codec.
 */
export function topicIdToUuid(topicId: string): string {
  const bytes = Buffer.from(topicId, 'base64url');
  return bytes.length === 16 ? new Reader(bytes).uuid() : NULL_UUID;
}

export function uuidToTopicId(uuid: string): string {
  return new Writer(16).uuid(uuid).toBuffer().toString('base64url');
}
