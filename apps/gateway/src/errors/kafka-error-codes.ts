import { REST_ERROR_CODES } from '@weir/contracts';
import { KAFKA_ERRORS, type KafkaErrorName, kafkaErrorName } from '@weir/broker-core';

/**
 * Kafka error name -> Confluent error code, as kafka-rest's KafkaExceptionMapper maps
 * the Java client's exceptions: the request-shaped ones are 400 40002, an unknown topic
 * or partition is 404 40403, authorization is 40301, a broker away is 503 50302. Names
 * not listed fall back on the retriable flag: 500 50003 if retriable, else 500 50002.
 *
 * The cluster's own refusals (Weir's codes where Confluent has none): a leader election
 * that is not needed or a reassignment already running is 409 40901; cancelling a
 * reassignment that is not running is 404, as Confluent answers a GET of it; leaders
 * or replicas missing right now (no eligible leader, not the leader, too few in-sync
 * replicas, no controller) are Kafka's retriable errors, 500 50003: try again.
 */
const CODE_BY_KAFKA_ERROR: Partial<Record<KafkaErrorName, number>> = {
  UNKNOWN_TOPIC_OR_PARTITION: REST_ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION,
  TOPIC_ALREADY_EXISTS: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  INVALID_CONFIG: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  INVALID_PARTITIONS: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  INVALID_REPLICATION_FACTOR: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  INVALID_REPLICA_ASSIGNMENT: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  // kafka-rest answers this one 500 50002; a name Kafka refuses is the caller's mistake.
  INVALID_TOPIC_EXCEPTION: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  INVALID_REQUEST: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  POLICY_VIOLATION: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  UNSUPPORTED_VERSION: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  SECURITY_DISABLED: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  UNKNOWN_SERVER_ERROR: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  INVALID_RECORD: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  CORRUPT_MESSAGE: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  INVALID_TIMESTAMP: REST_ERROR_CODES.KAFKA_BAD_REQUEST,
  // Confluent's /records answers an oversized record 413 with a bare code.
  MESSAGE_TOO_LARGE: REST_ERROR_CODES.PAYLOAD_TOO_LARGE,
  RECORD_LIST_TOO_LARGE: REST_ERROR_CODES.PAYLOAD_TOO_LARGE,
  TOPIC_AUTHORIZATION_FAILED: REST_ERROR_CODES.KAFKA_AUTHORIZATION,
  GROUP_AUTHORIZATION_FAILED: REST_ERROR_CODES.KAFKA_AUTHORIZATION,
  CLUSTER_AUTHORIZATION_FAILED: REST_ERROR_CODES.KAFKA_AUTHORIZATION,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: REST_ERROR_CODES.KAFKA_AUTHORIZATION,
  SASL_AUTHENTICATION_FAILED: REST_ERROR_CODES.KAFKA_AUTHENTICATION,
  BROKER_NOT_AVAILABLE: REST_ERROR_CODES.BROKER_NOT_AVAILABLE,
  // A read position outside the log: the resource asked for does not exist (yet).
  OFFSET_OUT_OF_RANGE: REST_ERROR_CODES.PARTITION_NOT_FOUND,
  ELECTION_NOT_NEEDED: REST_ERROR_CODES.STATE_CONFLICT,
  REASSIGNMENT_IN_PROGRESS: REST_ERROR_CODES.STATE_CONFLICT,
  NO_REASSIGNMENT_IN_PROGRESS: REST_ERROR_CODES.NOT_FOUND,
  ELIGIBLE_LEADERS_NOT_AVAILABLE: REST_ERROR_CODES.KAFKA_RETRIABLE,
  PREFERRED_LEADER_NOT_AVAILABLE: REST_ERROR_CODES.KAFKA_RETRIABLE,
  NOT_LEADER_OR_FOLLOWER: REST_ERROR_CODES.KAFKA_RETRIABLE,
  LEADER_NOT_AVAILABLE: REST_ERROR_CODES.KAFKA_RETRIABLE,
  NOT_ENOUGH_REPLICAS: REST_ERROR_CODES.KAFKA_RETRIABLE,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: REST_ERROR_CODES.KAFKA_RETRIABLE,
  NOT_CONTROLLER: REST_ERROR_CODES.KAFKA_RETRIABLE,
  // Consumer groups: an unknown group is a missing resource; deleting one with members is refused as the cluster's state.
  GROUP_ID_NOT_FOUND: REST_ERROR_CODES.NOT_FOUND,
  NON_EMPTY_GROUP: REST_ERROR_CODES.STATE_CONFLICT,
  // Transactions: an id its coordinator does not know is a missing resource (as a topic is);
  // aborting where nothing is open is refused as the transaction's state.
  TRANSACTIONAL_ID_NOT_FOUND: REST_ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION,
  INVALID_TXN_STATE: REST_ERROR_CODES.STATE_CONFLICT,
};

export function restErrorCodeOfKafkaError(name: KafkaErrorName): number {
  const mapped = CODE_BY_KAFKA_ERROR[name];
  if (mapped !== undefined) return mapped;
  return KAFKA_ERRORS[name].retriable ? REST_ERROR_CODES.KAFKA_RETRIABLE : REST_ERROR_CODES.KAFKA_ERROR;
}

/** The same, from the numeric code a produce result carries. */
export function restErrorCodeOfKafkaCode(code: number): number {
  const name = kafkaErrorName(code);
  return name === undefined ? REST_ERROR_CODES.KAFKA_ERROR : restErrorCodeOfKafkaError(name);
}

/** KafkaError prefixes its message with the error name; Confluent's bodies carry only the text. */
export function kafkaMessageText(errorName: string, message: string): string {
  return message.startsWith(`${errorName}: `) ? message.slice(errorName.length + 2) : message;
}
