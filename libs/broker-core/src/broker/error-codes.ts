import { KAFKA_ERRORS, KafkaError } from '../errors.js';

export const EMPTY_BUFFER: Buffer = Buffer.alloc(0);

/** Kafka's code and message for a failure; anything that is not a KafkaError is UNKNOWN_SERVER_ERROR. */
export function errorCodeOf(err: unknown): { errorCode: number; errorMessage: string } {
  if (err instanceof KafkaError) return { errorCode: err.code, errorMessage: err.message };
  return { errorCode: KAFKA_ERRORS.UNKNOWN_SERVER_ERROR.code, errorMessage: err instanceof Error ? err.message : String(err) };
}
