import { KafkaError } from '../errors.js';

/** Kafka's Topic.java rules. */
const MAX_NAME_LENGTH = 249;
const LEGAL_CHARS = /^[a-zA-Z0-9._-]+$/;

/** Topics Kafka itself marks internal. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state']);

export function isInternalTopic(name: string): boolean {
  return INTERNAL_TOPICS.has(name);
}

/** Throws INVALID_TOPIC_EXCEPTION with Kafka's wording for a name Kafka would refuse. */
export function validateTopicName(name: string): void {
  if (name.length === 0) throw new KafkaError('INVALID_TOPIC_EXCEPTION', 'Topic name is illegal, it can\'t be empty');
  if (name === '.' || name === '..') throw new KafkaError('INVALID_TOPIC_EXCEPTION', 'Topic name cannot be "." or ".."');
  if (name.length > MAX_NAME_LENGTH) {
    throw new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic name is illegal, it can't be longer than ${MAX_NAME_LENGTH} characters, topic name: ${name}`);
  }
  if (!LEGAL_CHARS.test(name)) {
    throw new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`);
  }
}

/**
 * Metric names replace '.' with '_', so Kafka refuses a topic whose name equals an
 * existing one after that replacement ("a.b" next to "a_b"). Returns the colliding name.
 */
export function findCollision(name: string, existing: Iterable<string>): string | undefined {
  const unified = name.replaceAll('.', '_');
  for (const other of existing) {
    if (other !== name && other.replaceAll('.', '_') === unified) return other;
  }
  return undefined;
}
