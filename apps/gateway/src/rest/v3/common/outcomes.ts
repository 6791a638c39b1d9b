import { KafkaError, kafkaErrorName, type PartitionOutcome, type TopicDescription, type TopicPartitionRef } from '@weir/broker-core';

/**
 * The controller's answer for the one partition a request named, as an exception when it
 * failed, so the partition's Kafka error becomes the response's (ELECTION_NOT_NEEDED 409,
 * NO_REASSIGNMENT_IN_PROGRESS 404, ...).
 */
export function requireSucceeded(outcomes: readonly PartitionOutcome[], ref: TopicPartitionRef): void {
  const outcome = outcomes.find((o) => o.topic === ref.topic && o.partition === ref.partition);
  if (outcome === undefined || outcome.errorCode === 0) return;
  const name = kafkaErrorName(outcome.errorCode);
  const errorName = name === undefined || name === 'NONE' ? 'UNKNOWN_SERVER_ERROR' : name;
  throw new KafkaError(errorName, outcome.errorMessage ?? `${errorName} for ${ref.topic}-${ref.partition}`);
}

/** Every partition of a topic, as the references elections and reassignment lists take. */
export function partitionRefs(topic: TopicDescription): TopicPartitionRef[] {
  return topic.partitions.map((p) => ({ topic: topic.name, partition: p.partition }));
}
