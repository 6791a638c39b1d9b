import type { ProducerStateInfo } from '../partition/types.js';
import { type CompletedTxn, ProducerAppend, type ProducerAppendOrigin, type StartedTxn, prepareProducerAppend } from './producer-append.js';
import { NO_TXN, type ProducerStateEntry } from './producer-state-entry.js';
import type { TransactionIndex } from './transaction-index.js';

/**
 * The producer state of one partition log in memory (Kafka's ProducerStateManager without
 * its files, which LogProducerState handles): an entry per producer id, the open
 * transactions by first offset, and the completed ones whose marker the high watermark
 * has not passed yet.
 *
 * First unstable offset (Kafka's): the lowest first offset among open transactions and
 * completed ones whose marker is at or above the high watermark, since until the marker
 * is replicated a leader change may still lose it and leave the transaction open. The
 * LSO is min(first unstable offset, high watermark).
 *
 * Invariants: `ongoing` iterates in first-offset order (transactions are opened in log
 * order, and loading inserts them sorted). Updates arrive only through `apply` of a
 * prepared append, after that append was written. Single-threaded.
 */
export class ProducerStateManager {
  private readonly producers = new Map<bigint, ProducerStateEntry>();
  private readonly ongoing = new Map<number, StartedTxn>();
  private readonly unreplicated = new Map<number, CompletedTxn>();
  /**
   * Whether the log may hold control batches: set by any marker applied, and at load by
   * any producer that has seen one (see controlRecordsBetween).
   */
  mayHaveControl = false;
  private readonly lookup = (producerId: bigint): ProducerStateEntry | undefined => this.producers.get(producerId);

  get producerCount(): number {
    return this.producers.size;
  }

  entries(): IterableIterator<ProducerStateEntry> {
    return this.producers.values();
  }

  /** Validates and maps an append (see prepareProducerAppend); changes nothing here. */
  prepare(records: Buffer, firstOffset: number | undefined, origin: ProducerAppendOrigin): ProducerAppend {
    return prepareProducerAppend(records, firstOffset, origin, this.lookup, new ProducerAppend());
  }

  /**
   * Applies a prepared append once written: entries replace the live ones, started
   * transactions open, completed ones close; an aborted one goes to `txnIndex` (the
   * segment holding its marker) with the LSO it leaves, unless undefined (a replay over
   * segments whose index is intact).
   */
  apply(append: ProducerAppend, txnIndex: TransactionIndex | undefined): void {
    for (const [producerId, entry] of append.updates) this.producers.set(producerId, entry);
    for (const txn of append.started) this.ongoing.set(txn.firstOffset, txn);
    for (const txn of append.completed) {
      if (txn.isAborted && txnIndex !== undefined) {
        txnIndex.append({ producerId: txn.producerId, firstOffset: txn.firstOffset, lastOffset: txn.lastOffset, lastStableOffset: this.lastStableOffsetAfter(txn) });
      }
      this.ongoing.delete(txn.firstOffset);
      this.unreplicated.set(txn.firstOffset, txn);
    }
    if (append.hasControl) this.mayHaveControl = true;
  }

  /** The LSO once `txn` is removed: the first open transaction of another producer, else past its marker. */
  lastStableOffsetAfter(txn: CompletedTxn): number {
    for (const open of this.ongoing.values()) if (open.producerId !== txn.producerId) return open.firstOffset;
    return txn.lastOffset + 1;
  }

  firstUnstableOffset(): number | undefined {
    let first: number | undefined;
    for (const offset of this.ongoing.keys()) {
      first = offset;
      break;
    }
    for (const offset of this.unreplicated.keys()) if (first === undefined || offset < first) first = offset;
    return first;
  }

  /** Forgets completed transactions whose marker is below the high watermark. */
  onHighWatermark(highWatermark: number): void {
    if (this.unreplicated.size === 0) return;
    for (const [firstOffset, txn] of this.unreplicated) if (txn.lastOffset < highWatermark) this.unreplicated.delete(firstOffset);
  }

  /** Loads entries read from a snapshot (the state must be empty), opening their transactions. */
  load(entries: readonly ProducerStateEntry[]): void {
    const open: StartedTxn[] = [];
    for (const entry of entries) {
      this.producers.set(entry.producerId, entry);
      if (entry.currentTxnFirstOffset !== NO_TXN) open.push({ producerId: entry.producerId, firstOffset: entry.currentTxnFirstOffset });
      if (entry.coordinatorEpoch >= 0 || entry.currentTxnFirstOffset !== NO_TXN) this.mayHaveControl = true;
    }
    open.sort((a, b) => a.firstOffset - b.firstOffset);
    for (const txn of open) this.ongoing.set(txn.firstOffset, txn);
  }

  clear(): void {
    this.producers.clear();
    this.ongoing.clear();
    this.unreplicated.clear();
  }

  /**
   * Forgets producers without an open transaction whose last write is at least
   * `expirationMs` old (Kafka's producer.id.expiration.ms); returns how many.
   */
  removeExpired(nowMs: number, expirationMs: number): number {
    let removed = 0;
    for (const [producerId, entry] of this.producers) {
      if (entry.currentTxnFirstOffset === NO_TXN && nowMs - entry.lastTimestamp >= expirationMs) {
        this.producers.delete(producerId);
        removed++;
      }
    }
    return removed;
  }

  describe(): ProducerStateInfo[] {
    return [...this.producers.values()].map((entry) => ({
      producerId: entry.producerId,
      producerEpoch: entry.producerEpoch,
      lastSequence: entry.lastSeq,
      lastTimestamp: BigInt(entry.lastTimestamp),
      coordinatorEpoch: entry.coordinatorEpoch,
      currentTxnStartOffset: BigInt(entry.currentTxnFirstOffset),
    }));
  }
}
