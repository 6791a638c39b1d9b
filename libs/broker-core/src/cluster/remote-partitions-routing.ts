import type { TopicPartitionRef } from '../broker/broker-api.js';
import { errorCodeOf } from '../broker/error-codes.js';
import { readTopic, type TopicRecord } from '../broker/topic-znodes.js';
import { KAFKA_ERRORS, KafkaError, kafkaErrorName } from '../errors.js';
import { isKafkaClientError } from '../kafka-client/kafka-client-error.js';
import type { Registry } from '../registry/registry.js';

/** Why a partition's call is answered here without asking anyone. */
export type RouteRefusal = 'UNKNOWN_TOPIC_OR_PARTITION' | 'LEADER_NOT_AVAILABLE';

/** Where a partition's call goes: the id of the broker leading it, or the error that answers it at once. */
export type PartitionRoute = number | RouteRefusal;

/**
 * Partition leaders as the registry's partition state znodes name them, for one call:
 * each topic's znodes are read and decoded once however many of its partitions the call
 * names. A topic the registry does not hold, or a partition it lacks, is
 * UNKNOWN_TOPIC_OR_PARTITION; a partition without a leader (-1, or no state yet) is
 * LEADER_NOT_AVAILABLE, as Kafka's Metadata says of it.
 */
export class LeaderLookup {
  private readonly topics = new Map<string, TopicRecord | undefined>();

  constructor(private readonly registry: Registry) {}

  route(topic: string, partition: number): PartitionRoute {
    const record = this.topic(topic);
    if (record === undefined || !record.assignment.has(partition)) return 'UNKNOWN_TOPIC_OR_PARTITION';
    const leader = record.states.get(partition)?.state.leader ?? -1;
    return leader < 0 ? 'LEADER_NOT_AVAILABLE' : leader;
  }

  /** The topic as read for this call; undefined when the registry does not hold it. */
  topic(name: string): TopicRecord | undefined {
    if (this.topics.has(name)) return this.topics.get(name);
    const record = readTopic(this.registry, name);
    this.topics.set(name, record);
    return record;
  }
}

export function refusalMessage(refusal: RouteRefusal, topic: string, partition: number): string {
  return refusal === 'LEADER_NOT_AVAILABLE'
    ? `${topic}-${partition} has no leader at the moment`
    : `This server does not host this topic-partition: ${topic}-${partition}`;
}

/**
 * The Kafka error a partition gets when its request to the leader got no answer: a
 * timeout is REQUEST_TIMED_OUT; a leader that cannot be reached (not registered, refused,
 * dropped the connection, spoke garbage) is NOT_LEADER_OR_FOLLOWER, which makes a client
 * look the leader up again. Both are retriable. Anything else keeps its own code.
 */
export function forwardingError(err: unknown, leaderId: number): KafkaError {
  if (err instanceof KafkaError) return err;
  if (isKafkaClientError(err, 'timeout')) return new KafkaError('REQUEST_TIMED_OUT', `leader broker ${leaderId} did not answer in time (${err.message})`);
  if (isKafkaClientError(err)) return new KafkaError('NOT_LEADER_OR_FOLLOWER', `leader broker ${leaderId} cannot be reached (${err.message})`);
  const { errorMessage } = errorCodeOf(err);
  return new KafkaError('UNKNOWN_SERVER_ERROR', `forwarding to broker ${leaderId} failed: ${errorMessage}`);
}

/** The KafkaError for a per-partition error code in a leader's answer. */
export function answeredError(errorCode: number, what: string): KafkaError {
  const name = kafkaErrorName(errorCode);
  return name === undefined || name === 'NONE'
    ? new KafkaError('UNKNOWN_SERVER_ERROR', `${what}: the leader answered error code ${errorCode}`)
    : new KafkaError(name, `${what}: the leader answered ${name}`);
}

export const NO_ANSWER_CODE = KAFKA_ERRORS.UNKNOWN_SERVER_ERROR.code;

function answerKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

/**
 * A response's per-partition answers found by topic and partition: a leader need not
 * answer in the order asked. A partition named twice gets its answers in order.
 */
export class PartitionAnswers<A> {
  private readonly byKey = new Map<string, A[]>();

  add(topic: string, partition: number, answer: A): void {
    const key = answerKey(topic, partition);
    const list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, [answer]);
    else list.push(answer);
  }

  /** The next answer for this partition, or undefined when the leader left it out. */
  take(topic: string, partition: number): A | undefined {
    return this.byKey.get(answerKey(topic, partition))?.shift();
  }
}

/** Items grouped under their topics, topics in first-seen order (a request names each topic once). */
export function groupByTopic<T extends TopicPartitionRef, P>(items: readonly T[], entry: (item: T) => P): { name: string; partitions: P[] }[] {
  const topics = new Map<string, P[]>();
  for (const item of items) {
    let partitions = topics.get(item.topic);
    if (partitions === undefined) topics.set(item.topic, (partitions = []));
    partitions.push(entry(item));
  }
  return [...topics].map(([name, partitions]) => ({ name, partitions }));
}
