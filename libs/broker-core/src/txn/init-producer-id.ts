import { KAFKA_ERRORS as E } from '../errors.js';
import { isEpochExhausted, NO_PRODUCER_EPOCH, type TransactionMetadata, type TxnTransit } from './transaction-metadata.js';

/** The producer id and epoch an InitProducerId v3+ request says it holds (KIP-360). */
export interface ExpectedProducer {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/**
 * What InitProducerId does to a transactional id (Kafka's prepareInitProducerIdTransit),
 * decided synchronously on the metadata as it is now:
 * - a transition to persist: Empty with the epoch bumped (or the producer id rotated when
 *   its epochs are exhausted, using `spare`), or PrepareEpochFence when a transaction is
 *   open (the caller aborts it and answers CONCURRENT_TRANSACTIONS; the client retries);
 * - an error code: CONCURRENT_TRANSACTIONS while a transition is pending or a transaction
 *   completes, PRODUCER_FENCED for a producer that is neither the current nor the previous;
 * - 'needs-producer-id' when a rotation is due and no `spare` id was claimed yet.
 */
export function prepareInitTransit(
  m: TransactionMetadata, timeoutMs: number, expected: ExpectedProducer | undefined, spare: bigint | undefined, nowMs: number,
): TxnTransit | number | 'needs-producer-id' {
  if (m.hasPendingTransition) return E.CONCURRENT_TRANSACTIONS.code;
  if (expected !== undefined && !isValidProducer(m, expected)) return E.PRODUCER_FENCED.code;
  switch (m.state) {
    case 'PrepareAbort':
    case 'PrepareCommit':
      return E.CONCURRENT_TRANSACTIONS.code;
    case 'Empty':
    case 'CompleteAbort':
    case 'CompleteCommit':
      if (m.isProducerEpochExhausted && (expected === undefined || expected.producerEpoch === m.producerEpoch)) {
        if (spare === undefined) return 'needs-producer-id';
        return m.prepareProducerIdRotation(spare, timeoutMs, nowMs, expected !== undefined);
      }
      return m.prepareIncrementProducerEpoch(timeoutMs, expected?.producerEpoch, nowMs, E.PRODUCER_FENCED.code);
    case 'Ongoing':
      // The open transaction is aborted under a bumped epoch that no client ever gets; the
      // retry bumps again (or rotates the id if that fence used the last epoch).
      return m.prepareFenceProducerEpoch();
    case 'Dead':
    case 'PrepareEpochFence':
      return E.UNKNOWN_SERVER_ERROR.code;
  }
}

/**
 * A recovering producer may go on if the id was just created (no epoch yet), if it holds
 * the current producer id (its epoch is checked by the bump), or if it holds the previous
 * id at an exhausted epoch (a retry of a rotation it never heard the answer to).
 */
function isValidProducer(m: TransactionMetadata, expected: ExpectedProducer): boolean {
  return m.producerEpoch === NO_PRODUCER_EPOCH
    || expected.producerId === m.producerId
    || (expected.producerId === m.lastProducerId && isEpochExhausted(expected.producerEpoch));
}
