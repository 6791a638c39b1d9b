import { KAFKA_ERRORS as E } from '../errors.js';
import { NO_PRODUCER_EPOCH, type TransactionMetadata, type TxnTransit } from './transaction-metadata.js';
import type { TxnResult } from './txn-requests.js';

/**
 * What EndTxn (or an abort after an epoch fence) does to a transactional id (Kafka's
 * endTransaction before its log append), decided synchronously: the PrepareCommit or
 * PrepareAbort transition to persist, or the code to answer at once. A retried EndTxn
 * whose decision is already complete succeeds again; one still completing answers
 * CONCURRENT_TRANSACTIONS; the opposite decision, or an end without a transaction, is
 * INVALID_TXN_STATE.
 *
 * `fromClient` false is the coordinator's own abort after `prepareFenceProducerEpoch`: it
 * carries the bumped epoch, which the metadata takes on here, in memory, before the
 * PrepareAbort write, so the fenced producer is refused from this moment.
 */
export function prepareEndTransit(
  m: TransactionMetadata, producerId: bigint, producerEpoch: number, result: TxnResult, fromClient: boolean, nowMs: number,
): TxnTransit | number {
  if (m.producerId !== producerId) return E.INVALID_PRODUCER_ID_MAPPING.code;
  if ((fromClient && producerEpoch !== m.producerEpoch) || producerEpoch < m.producerEpoch) return E.PRODUCER_FENCED.code;
  if (m.hasPendingTransition && m.pendingState !== 'PrepareEpochFence') return E.CONCURRENT_TRANSACTIONS.code;
  const ifSame = (decided: TxnResult, code: number): number => (result === decided ? code : E.INVALID_TXN_STATE.code);
  switch (m.state) {
    case 'Ongoing':
      if (m.pendingState === 'PrepareEpochFence') {
        if (result !== 'ABORT') return E.INVALID_TXN_STATE.code;
        m.abortTransition();
        m.producerEpoch = producerEpoch;
        m.lastProducerEpoch = NO_PRODUCER_EPOCH;
      }
      return m.prepareAbortOrCommit(result === 'COMMIT' ? 'PrepareCommit' : 'PrepareAbort', nowMs);
    case 'CompleteCommit': return ifSame('COMMIT', 0);
    case 'CompleteAbort': return ifSame('ABORT', 0);
    case 'PrepareCommit': return ifSame('COMMIT', E.CONCURRENT_TRANSACTIONS.code);
    case 'PrepareAbort': return ifSame('ABORT', E.CONCURRENT_TRANSACTIONS.code);
    case 'Empty': return E.INVALID_TXN_STATE.code;
    case 'Dead':
    case 'PrepareEpochFence':
      // States an id never rests in: a coordinator bug, not the client's.
      return E.UNKNOWN_SERVER_ERROR.code;
  }
}
