/**
 * The transaction coordinator's settings under Kafka's names, with Kafka's defaults. The
 * broker maps its options onto an override object (`TransactionCoordinatorContext.settings`);
 * tests shorten the intervals.
 */
export interface TransactionDefaults {
  /** transaction.state.log.num.partitions: partitions of __transaction_state, fixed once it exists. */
  readonly transactionStateLogNumPartitions: number;
  /** transaction.state.log.replication.factor: the topic gets min(this, live brokers) replicas. */
  readonly transactionStateLogReplicationFactor: number;
  /** transaction.state.log.min.isr, capped at the replication factor. */
  readonly transactionStateLogMinIsr: number;
  /** transaction.state.log.segment.bytes */
  readonly transactionStateLogSegmentBytes: number;
  /** transaction.state.log.load.buffer.size: bytes read per slice while loading a partition. */
  readonly transactionStateLogLoadBufferSize: number;
  /** transaction.max.timeout.ms: a longer transaction.timeout.ms is INVALID_TRANSACTION_TIMEOUT. */
  readonly transactionMaxTimeoutMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms: period of the timeout pass. */
  readonly transactionAbortTimedOutTransactionCleanupIntervalMs: number;
  /** transactional.id.expiration.ms: an idle id (no open transaction) is removed after this long. */
  readonly transactionalIdExpirationMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms: period of the expiration pass. */
  readonly transactionRemoveExpiredTransactionCleanupIntervalMs: number;
  /** How long a write to __transaction_state waits for the ISR (Kafka: request.timeout.ms of the append). */
  readonly transactionStateLogAppendTimeoutMs: number;
  /** Backoff before markers for partitions that answered a retriable error are sent again. */
  readonly transactionMarkerRetryBackoffMs: number;
  /** Producer ids taken from the registry at a time (Kafka's ZK block size). */
  readonly producerIdBlockSize: number;
}

export const TRANSACTION_DEFAULTS: TransactionDefaults = {
  transactionStateLogNumPartitions: 50,
  transactionStateLogReplicationFactor: 3,
  transactionStateLogMinIsr: 2,
  transactionStateLogSegmentBytes: 100 * 1024 * 1024,
  transactionStateLogLoadBufferSize: 5 * 1024 * 1024,
  transactionMaxTimeoutMs: 900_000,
  transactionAbortTimedOutTransactionCleanupIntervalMs: 10_000,
  transactionalIdExpirationMs: 7 * 24 * 60 * 60 * 1000,
  transactionRemoveExpiredTransactionCleanupIntervalMs: 3_600_000,
  transactionStateLogAppendTimeoutMs: 30_000,
  transactionMarkerRetryBackoffMs: 100,
  producerIdBlockSize: 1000,
};

/**
 * Kafka's defaults with `overrides` applied. Only the settings named here are taken, so the
 * broker may pass its whole BrokerDefaults (which carries several of them under the same
 * names); a non-positive or non-integer value is refused with its name.
 */
export function resolveTransactionDefaults(overrides: Partial<TransactionDefaults> = {}): TransactionDefaults {
  const resolved: Record<string, number> = {};
  for (const [name, fallback] of Object.entries(TRANSACTION_DEFAULTS)) {
    const value = (overrides as Record<string, unknown>)[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw new RangeError(`transaction setting ${name} must be a positive integer, got ${String(value)}`);
    resolved[name] = value;
  }
  return resolved as unknown as TransactionDefaults;
}
