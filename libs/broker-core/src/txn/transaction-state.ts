import type { TransactionState } from '../broker/broker-api.js';

/**
 * The coordinator's states of a transactional id, with the ids Kafka stores in
 * `__transaction_state` (TransactionLogValue.TransactionStatus) and the states each may be
 * entered from. A transition not listed is a coordinator bug, never a client error: the
 * coordinator checks the request first and answers INVALID_TXN_STATE or
 * CONCURRENT_TRANSACTIONS before it prepares a transition.
 *
 *   Empty --AddPartitions--> Ongoing --EndTxn--> PrepareCommit|PrepareAbort --markers--> CompleteCommit|CompleteAbort
 *   Ongoing --InitProducerId / timeout / admin abort--> PrepareEpochFence (memory only) --> PrepareAbort
 *   Empty|Complete* --expiration--> Dead (tombstone; the id is forgotten)
 */
export const TXN_STATE_IDS: Readonly<Record<TransactionState, number>> = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
};

const BY_ID: readonly TransactionState[] = (Object.keys(TXN_STATE_IDS) as TransactionState[]).sort((a, b) => TXN_STATE_IDS[a] - TXN_STATE_IDS[b]);

const VALID_PREVIOUS: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  PrepareAbort: ['Ongoing', 'PrepareEpochFence'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
  Dead: ['Empty', 'CompleteAbort', 'CompleteCommit'],
  PrepareEpochFence: ['Ongoing'],
};

export function txnStateFromId(id: number): TransactionState {
  const state = BY_ID[id];
  if (state === undefined) throw new RangeError(`unknown transaction state id ${id}`);
  return state;
}

export function isValidTransition(from: TransactionState, to: TransactionState): boolean {
  return VALID_PREVIOUS[to].includes(from);
}

/** States whose id may be removed once idle for transactional.id.expiration.ms (no transaction open). */
export function isExpirationAllowed(state: TransactionState): boolean {
  return state === 'Empty' || state === 'CompleteCommit' || state === 'CompleteAbort';
}

/** A transaction is open (its partitions may hold undecided records). */
export function hasOpenTransaction(state: TransactionState): boolean {
  return state === 'Ongoing' || state === 'PrepareCommit' || state === 'PrepareAbort' || state === 'PrepareEpochFence';
}

/** Kafka's state name as ListTransactions filters it (exact, case-sensitive), or undefined. */
export function parseTxnState(name: string): TransactionState | undefined {
  return BY_ID.find((s) => s === name);
}
