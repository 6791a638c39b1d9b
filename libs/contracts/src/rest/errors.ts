import { z } from 'zod';

/**
 * Confluent REST Proxy's error body. `error_code` is either a bare HTTP status (400, 404,
 * 413, 422: what Confluent answers for malformed requests and unknown clusters) or the
 * status times 100 plus a detail (40002, 40403, 50002: Kafka errors), as kafka-rest does.
 */
export const confluentErrorSchema = z.object({
  error_code: z.number().int(),
  message: z.string().nullable(),
});
export type ConfluentError = z.infer<typeof confluentErrorSchema>;

/** The error codes Weir's REST API answers with, named after what they mean. */
export const REST_ERROR_CODES = {
  /** A body or parameter that does not parse or does not match its schema. */
  BAD_REQUEST: 400,
  /** A request Kafka rejects: topic exists, invalid config value, partitions, replication factor, name. */
  KAFKA_BAD_REQUEST: 40002,
  KAFKA_AUTHENTICATION: 40101,
  KAFKA_AUTHORIZATION: 40301,
  /** Unknown cluster id, unknown config name, unknown route. */
  NOT_FOUND: 404,
  PARTITION_NOT_FOUND: 40402,
  UNKNOWN_TOPIC_OR_PARTITION: 40403,
  /**
   * Weir: the cluster is already as asked or busy changing: leader election not needed,
   * a reassignment in progress, a hosted broker already running, stopped, or starting.
   */
  STATE_CONFLICT: 40901,
  /** Weir: the broker exists but another process hosts it; only that process can stop or start it. */
  BROKER_NOT_HOSTED: 40902,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** An empty produce body. */
  UNPROCESSABLE: 422,
  /** records:batch with no entries, duplicate ids or too many entries. */
  PRODUCE_BATCH_INVALID: 42208,
  INTERNAL: 500,
  KAFKA_ERROR: 50002,
  KAFKA_RETRIABLE: 50003,
  BROKER_NOT_AVAILABLE: 50302,
} as const;
export type RestErrorCode = (typeof REST_ERROR_CODES)[keyof typeof REST_ERROR_CODES];

/** The HTTP status an error code is answered with: 40403 -> 404, 413 -> 413. */
export function httpStatusOfErrorCode(errorCode: number): number {
  return errorCode >= 1000 ? Math.floor(errorCode / 100) : errorCode;
}
