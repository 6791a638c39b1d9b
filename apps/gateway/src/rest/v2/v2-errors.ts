import { RestError } from '../../errors/rest-error.js';

/** Confluent REST Proxy's v2 error codes, with the messages its clients see. */
export const V2_ERRORS = {
  topicNotFound: (topic: string) => new RestError(40401, `Topic ${topic} not found.`),
  partitionNotFound: (topic: string, partition: number) => new RestError(40402, `Partition ${topic}-${partition} not found.`),
  instanceNotFound: () => new RestError(40403, 'Consumer instance not found.'),
  formatMismatch: () =>
    new RestError(40601, 'The requested embedded data format does not match the deserializer for this consumer instance'),
  alreadyExists: () => new RestError(40902, 'Consumer with specified consumer ID already exists in the specified consumer group.'),
  illegalState: (why: string) => new RestError(40903, `Illegal state: ${why}`),
  /** Kafka's IllegalStateException when a consumer mixes assign() and subscribe(). */
  mutuallyExclusive: () => new RestError(40903, 'Illegal state: Subscription to topics, partitions and pattern are mutually exclusive'),
  /** Kafka's CommitFailedException (the group rebalanced or the member is gone), as kafka-rest answers unmapped client errors. */
  commitFailed: (topic: string, partition: number, kafkaCode: number) =>
    new RestError(
      50002,
      `Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member (${topic}-${partition}: Kafka error ${kafkaCode}).`,
    ),
  /** The group's coordinator is a broker this gateway does not host: a member's calls cannot be forwarded. */
  coordinatorElsewhere: (group: string, why: string) => new RestError(50003, `Cannot join consumer group ${group}: ${why}`),
  invalidConfig: (why: string) => new RestError(42204, `Invalid consumer configuration: ${why}`),
  invalidBody: (why: string) => new RestError(42200, `Invalid request body: ${why}`),
  jsonConversion: (why: string) => new RestError(42203, `Conversion of JSON to Object failed: ${why}`),
} as const;
