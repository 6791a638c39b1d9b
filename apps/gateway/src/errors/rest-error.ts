import { httpStatusOfErrorCode, REST_ERROR_CODES } from '@weir/contracts';

/**
 * A failure answered with Confluent's `{error_code, message}` body; the HTTP status
 * follows from the code (40403 -> 404, 413 -> 413). Thrown by pipes and services for
 * what the broker does not decide itself (unknown cluster, malformed body, ...).
 */
export class RestError extends Error {
  override readonly name = 'RestError';

  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return httpStatusOfErrorCode(this.errorCode);
  }

  static badRequest(message: string): RestError {
    return new RestError(REST_ERROR_CODES.BAD_REQUEST, message);
  }

  /** Confluent answers an unknown cluster id with a bare 404 and this message. */
  static clusterNotFound(clusterId: string): RestError {
    return new RestError(REST_ERROR_CODES.NOT_FOUND, `Cluster ${clusterId} cannot be found.`);
  }

  static notFound(message: string): RestError {
    return new RestError(REST_ERROR_CODES.NOT_FOUND, message);
  }

  /** Kafka's own words for UNKNOWN_TOPIC_OR_PARTITION, which Confluent passes through. */
  static unknownPartition(topic: string, partition: number): RestError {
    return new RestError(
      REST_ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION,
      `This server does not host this topic-partition: ${topic}-${partition}`,
    );
  }
}
