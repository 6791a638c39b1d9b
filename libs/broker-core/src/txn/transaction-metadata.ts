import type { TopicPartitionRef, TransactionDescription, TransactionState } from '../broker/broker-api.js';
import type { TransactionLogValue } from './transaction-log-record.js';
import { isValidTransition } from './transaction-state.js';

/** No producer epoch yet (a transactional id just created) or none recorded (Kafka's RecordBatch.NO_PRODUCER_EPOCH). */
export const NO_PRODUCER_EPOCH = -1;
export const NO_PRODUCER_ID = -1n;
/** Epochs stop one short of int16 max, so that the coordinator can always fence with a bump. */
const MAX_PRODUCER_EPOCH = 0x7fff;

/** A transition prepared but not yet persisted: what the metadata becomes once its record is in the log. */
export interface TxnTransit {
  readonly producerId: bigint;
  readonly lastProducerId: bigint;
  readonly producerEpoch: number;
  readonly lastProducerEpoch: number;
  readonly txnTimeoutMs: number;
  readonly state: TransactionState;
  readonly partitions: readonly TopicPartitionRef[];
  readonly txnStartTimestampMs: number;
  readonly txnLastUpdateTimestampMs: number;
}

export function isEpochExhausted(epoch: number): boolean {
  return epoch >= MAX_PRODUCER_EPOCH - 1;
}

/** The record a transit is persisted as. */
export function logValueOf(t: TxnTransit): TransactionLogValue {
  return {
    producerId: t.producerId, producerEpoch: t.producerEpoch, transactionTimeoutMs: t.txnTimeoutMs, state: t.state,
    partitions: t.state === 'Empty' ? [] : t.partitions, lastUpdateTimestampMs: t.txnLastUpdateTimestampMs, startTimestampMs: t.txnStartTimestampMs,
  };
}

const keyOf = (tp: TopicPartitionRef): string => `${tp.partition}:${tp.topic}`;

/**
 * One transactional id's state at its coordinator (Kafka's TransactionMetadata). Changes go
 * in two steps: `prepare*` checks the transition, records it as `pendingState` and returns
 * the transit; the coordinator appends the transit's record to `__transaction_state` with
 * acks=all and, once acknowledged, `completeTransition` applies it (or `abortTransition`
 * drops it when the append failed). While a transition is pending, requests for the id
 * answer CONCURRENT_TRANSACTIONS, so at most one write per id is in flight.
 *
 * The one change made in memory only is the epoch fence (PrepareEpochFence): the epoch is
 * bumped at once, so the fenced producer is refused from that moment, and the abort that
 * follows persists it.
 */
export class TransactionMetadata {
  producerId: bigint;
  lastProducerId: bigint;
  producerEpoch: number;
  lastProducerEpoch: number;
  txnTimeoutMs: number;
  state: TransactionState;
  txnStartTimestampMs: number;
  txnLastUpdateTimestampMs: number;
  pendingState: TransactionState | undefined;
  /** An epoch fence whose PrepareAbort write failed: its bumped epoch is reused by the next fence, never bumped twice. */
  hasFailedEpochFence = false;
  private readonly partitionSet = new Map<string, TopicPartitionRef>();

  constructor(readonly transactionalId: string, init: TxnTransit) {
    this.producerId = init.producerId;
    this.lastProducerId = init.lastProducerId;
    this.producerEpoch = init.producerEpoch;
    this.lastProducerEpoch = init.lastProducerEpoch;
    this.txnTimeoutMs = init.txnTimeoutMs;
    this.state = init.state;
    this.txnStartTimestampMs = init.txnStartTimestampMs;
    this.txnLastUpdateTimestampMs = init.txnLastUpdateTimestampMs;
    for (const tp of init.partitions) this.partitionSet.set(keyOf(tp), tp);
  }

  static fromLog(transactionalId: string, value: TransactionLogValue): TransactionMetadata {
    return new TransactionMetadata(transactionalId, {
      producerId: value.producerId, lastProducerId: NO_PRODUCER_ID, producerEpoch: value.producerEpoch, lastProducerEpoch: NO_PRODUCER_EPOCH,
      txnTimeoutMs: value.transactionTimeoutMs, state: value.state, partitions: value.partitions,
      txnStartTimestampMs: value.startTimestampMs, txnLastUpdateTimestampMs: value.lastUpdateTimestampMs,
    });
  }

  get partitions(): TopicPartitionRef[] { return [...this.partitionSet.values()]; }
  get hasPendingTransition(): boolean { return this.pendingState !== undefined; }
  get isProducerEpochExhausted(): boolean { return isEpochExhausted(this.producerEpoch); }
  containsAll(partitions: readonly TopicPartitionRef[]): boolean { return partitions.every((tp) => this.partitionSet.has(keyOf(tp))); }
  /** A marker reached the partition: it no longer waits for one. */
  removePartition(tp: TopicPartitionRef): void { this.partitionSet.delete(keyOf(tp)); }

  prepareFenceProducerEpoch(): TxnTransit {
    if (this.producerEpoch >= MAX_PRODUCER_EPOCH) throw new RangeError(`cannot fence ${this.transactionalId}: epoch ${this.producerEpoch} would overflow`);
    const epoch = this.hasFailedEpochFence ? this.producerEpoch : this.producerEpoch + 1;
    return this.prepare('PrepareEpochFence', { producerEpoch: epoch, lastProducerEpoch: NO_PRODUCER_EPOCH });
  }

  /**
   * InitProducerId on an id with no transaction open: the epoch bumped, unless the request
   * retries a bump it never heard the answer to. `expectedEpoch` undefined: a fresh
   * producer (InitProducerId before v3, or -1). Returns PRODUCER_FENCED's code for an epoch
   * that is neither the current nor the previous one.
   */
  prepareIncrementProducerEpoch(newTimeoutMs: number, expectedEpoch: number | undefined, nowMs: number, fencedCode: number): TxnTransit | number {
    if (this.isProducerEpochExhausted) throw new RangeError(`producer id ${this.producerId} has no epochs left`);
    let epoch = this.producerEpoch + 1;
    let lastEpoch = NO_PRODUCER_EPOCH;
    if (expectedEpoch !== undefined) {
      if (this.producerEpoch === NO_PRODUCER_EPOCH || expectedEpoch === this.producerEpoch) lastEpoch = this.producerEpoch;
      else if (expectedEpoch === this.lastProducerEpoch) [epoch, lastEpoch] = [this.producerEpoch, this.lastProducerEpoch];
      else return fencedCode;
    }
    return this.prepare('Empty', { producerEpoch: epoch, lastProducerEpoch: lastEpoch, txnTimeoutMs: newTimeoutMs, partitions: [], txnStartTimestampMs: -1, txnLastUpdateTimestampMs: nowMs });
  }

  /** The epochs of the producer id ran out: a new producer id at epoch 0. */
  prepareProducerIdRotation(newProducerId: bigint, newTimeoutMs: number, nowMs: number, recordLastEpoch: boolean): TxnTransit {
    return this.prepare('Empty', {
      producerId: newProducerId, producerEpoch: 0, lastProducerEpoch: recordLastEpoch ? this.producerEpoch : NO_PRODUCER_EPOCH,
      txnTimeoutMs: newTimeoutMs, partitions: [], txnStartTimestampMs: -1, txnLastUpdateTimestampMs: nowMs,
    });
  }

  prepareAddPartitions(added: readonly TopicPartitionRef[], nowMs: number): TxnTransit {
    const starts = this.state === 'Empty' || this.state === 'CompleteAbort' || this.state === 'CompleteCommit';
    const all = new Map(this.partitionSet);
    for (const tp of added) all.set(keyOf(tp), { topic: tp.topic, partition: tp.partition });
    return this.prepare('Ongoing', { partitions: [...all.values()], txnStartTimestampMs: starts ? nowMs : this.txnStartTimestampMs, txnLastUpdateTimestampMs: nowMs });
  }

  prepareAbortOrCommit(state: 'PrepareCommit' | 'PrepareAbort', nowMs: number): TxnTransit {
    return this.prepare(state, { txnLastUpdateTimestampMs: nowMs });
  }

  prepareComplete(nowMs: number): TxnTransit {
    this.hasFailedEpochFence = false;
    return this.prepare(this.state === 'PrepareCommit' ? 'CompleteCommit' : 'CompleteAbort', { partitions: [], txnLastUpdateTimestampMs: nowMs });
  }

  prepareDead(): TxnTransit {
    return this.prepare('Dead', { partitions: [] });
  }

  /** The transit's record is in the log: the metadata becomes it. */
  completeTransition(t: TxnTransit): void {
    if (this.pendingState !== t.state) throw new Error(`${this.transactionalId}: completing ${t.state} while ${this.pendingState ?? 'nothing'} is pending`);
    this.producerId = t.producerId;
    this.lastProducerId = t.lastProducerId;
    this.producerEpoch = t.producerEpoch;
    this.lastProducerEpoch = t.lastProducerEpoch;
    this.txnTimeoutMs = t.txnTimeoutMs;
    this.state = t.state;
    this.txnStartTimestampMs = t.txnStartTimestampMs;
    this.txnLastUpdateTimestampMs = t.txnLastUpdateTimestampMs;
    this.partitionSet.clear();
    for (const tp of t.partitions) this.partitionSet.set(keyOf(tp), tp);
    this.pendingState = undefined;
  }

  /** The transit's write failed: nothing changes. */
  abortTransition(): void {
    this.pendingState = undefined;
  }

  describe(coordinatorId: number): TransactionDescription {
    return {
      transactionalId: this.transactionalId, producerId: this.producerId, state: this.state, coordinatorId,
      producerEpoch: this.producerEpoch, transactionTimeoutMs: this.txnTimeoutMs, transactionStartTimeMs: this.txnStartTimestampMs,
      lastUpdateTimeMs: this.txnLastUpdateTimestampMs, partitions: this.partitions,
    };
  }

  private prepare(state: TransactionState, changes: Partial<TxnTransit>): TxnTransit {
    if (this.pendingState !== undefined) throw new Error(`${this.transactionalId}: preparing ${state} while ${this.pendingState} is pending`);
    if (!isValidTransition(this.state, state)) throw new Error(`${this.transactionalId}: ${this.state} cannot become ${state}`);
    const transit: TxnTransit = {
      producerId: this.producerId, lastProducerId: this.producerId, producerEpoch: this.producerEpoch, lastProducerEpoch: this.lastProducerEpoch,
      txnTimeoutMs: this.txnTimeoutMs, state, partitions: this.partitions, txnStartTimestampMs: this.txnStartTimestampMs,
      txnLastUpdateTimestampMs: this.txnLastUpdateTimestampMs, ...changes,
    };
    this.pendingState = state;
    return transit;
  }
}
