import kafkajs, { type Kafka, type RetryOptions } from 'kafkajs';
import { registerKafkajsCodecs } from '../../libs/broker-core/src/log/batch/testing/kafkajs-record-batch.js';

/**
 * kafkajs clients for the wire-protocol e2e suites: quiet, with short retries (a test
 * that expects an error should not wait out kafkajs's default backoff), and with the
 * snappy, lz4 and zstd codecs registered (kafkajs ships gzip only; the broker-core
 * kafkajs test helpers register kafkajs-snappy, kafkajs-lz4 and a zstd-napi adapter).
 */
export function kafkaClient(bootstrap: string, retry: RetryOptions = { retries: 2, initialRetryTime: 50, maxRetryTime: 500 }): Kafka {
  registerKafkajsCodecs();
  return new kafkajs.Kafka({ clientId: 'weir-e2e', brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING, retry, connectionTimeout: 5000, requestTimeout: 10_000 });
}

/** A client that gives up at the first error, for asserting the errors the broker answers. */
export function noRetryClient(bootstrap: string): Kafka {
  return kafkaClient(bootstrap, { retries: 0 });
}

export interface SurfacedError {
  readonly name: string;
  /** Kafka's error name as kafkajs reports it (`UNKNOWN_TOPIC_OR_PARTITION`). */
  readonly type?: string;
  readonly code?: number;
}

/**
 * The Kafka errors inside what kafkajs threw: through its retry wrapper (`cause`), its
 * aggregate errors (`errors`, one per topic) and DeleteRecords' per-partition errors.
 */
export function kafkaErrors(err: unknown): SurfacedError[] {
  const found: SurfacedError[] = [];
  const visit = (e: unknown): void => {
    if (typeof e !== 'object' || e === null) return;
    const o = e as { name?: string; type?: string; code?: number; cause?: unknown; errors?: unknown[]; partitions?: { error?: unknown }[] };
    if (typeof o.type === 'string') found.push({ name: o.name ?? 'Error', type: o.type, code: o.code });
    if (Array.isArray(o.errors)) o.errors.forEach(visit);
    if (Array.isArray(o.partitions)) o.partitions.forEach((p) => visit(p.error));
    if (o.cause !== undefined && o.cause !== e) visit(o.cause);
  };
  visit(err);
  return found;
}

/** Awaits `promise`, which must reject, and returns the Kafka error types inside the rejection. */
export async function rejectionTypes(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (err) {
    const types = [...new Set(kafkaErrors(err).map((e) => e.type!))];
    if (types.length === 0) throw new Error(`expected a Kafka error, got ${String(err)}`, { cause: err });
    return types;
  }
  throw new Error('expected a rejection, but the call succeeded');
}
