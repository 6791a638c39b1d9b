import { constants as bufferConstants } from 'node:buffer';
import { KafkaError } from '../../errors.js';

/**
 * How much one batch's records may decompress to: a forged batch of a few KB must not
 * make us allocate gigabytes before it fails.
 *
 * Kafka bounds a batch by its compressed size only: a produced batch travels whole in one
 * request and may be at most the topic's max.message.bytes (default 1048588, ~1 MiB), and
 * a fetch returns it whole. What its records decompress to is unbounded in the protocol,
 * yet every consumer that decompresses a batch whole (librdkafka, kafkajs, and us, for
 * REST reads and the console) has to hold it. So the bound is:
 *
 *   max(DEFAULT_MAX_DECOMPRESSED_BYTES, MAX_EXPANSION_RATIO × compressed size)
 *
 * - 64 MiB for any batch up to 1 MiB compressed, i.e. every batch of a topic with the
 *   default max.message.bytes: a full-size batch may expand 64:1, a smaller one more.
 *   Record data (JSON, logs, Avro) usually compresses well under 20:1; beyond 64:1 it
 *   takes degenerate, near-constant payloads, and 64 MiB is where we would rather refuse a
 *   batch than hold it.
 * - 64 × the compressed size above that, so topics that raise max.message.bytes keep the
 *   same allowance per byte, and a sender can never make us allocate more than 64 times
 *   what it sent (plus the 64 MiB floor).
 *
 * Callers that know better pass a tighter bound (DecompressOptions.maxOutputBytes).
 * Exceeding the bound is CORRUPT_MESSAGE, as any other batch we cannot decompress.
 */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;
export const MAX_EXPANSION_RATIO = 64;

/** The default bound for a payload of `compressedBytes` (see above). */
export function decompressionBound(compressedBytes: number): number {
  return Math.min(bufferConstants.MAX_LENGTH, Math.max(DEFAULT_MAX_DECOMPRESSED_BYTES, MAX_EXPANSION_RATIO * compressedBytes));
}

export interface DecompressOptions {
  /** Most bytes the output may have; default decompressionBound(compressed size). */
  maxOutputBytes?: number;
}

/** The bound to apply: the caller's (checked), else the default for `data`. */
export function resolveBound(data: Buffer, maxOutputBytes: number | undefined): number {
  if (maxOutputBytes === undefined) return decompressionBound(data.length);
  if (!Number.isSafeInteger(maxOutputBytes) || maxOutputBytes < 0) {
    throw new RangeError(`maxOutputBytes must be a non-negative integer, got ${maxOutputBytes}`);
  }
  return Math.min(maxOutputBytes, bufferConstants.MAX_LENGTH);
}

/** The error for output that would pass the bound; `what` says how we know. */
export function outputTooLarge(codec: string, limit: number, what: string): KafkaError {
  return new KafkaError('CORRUPT_MESSAGE', `${codec} records exceed the ${limit}-byte decompression bound: ${what}`);
}
