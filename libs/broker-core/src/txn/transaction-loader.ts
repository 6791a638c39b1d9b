import type { BrokerLogger } from '../broker/broker-options.js';
import { iterateBatches } from '../log/batch/record-batch-decoder.js';
import type { PartitionLog } from '../log/partition/partition-log.js';
import type { Cancellable, Scheduler } from '../timer/scheduler.js';
import { decodeTransactionLogKey, decodeTransactionLogValue, TRANSACTION_STATE_TOPIC, type TransactionLogValue } from './transaction-log-record.js';

export interface TransactionLoadOptions {
  readonly log: PartitionLog;
  readonly partition: number;
  /** transaction.state.log.load.buffer.size: bytes read per slice. */
  readonly bufferBytes: number;
  readonly scheduler: Scheduler;
  readonly logger: BrokerLogger;
  /** The latest value of every transactional id whose last record is not a tombstone. */
  readonly onLoaded: (loaded: Map<string, TransactionLogValue>) => void;
  readonly onFailed: (err: unknown) => void;
}

/**
 * Replays one `__transaction_state` partition from its log start to the log end offset it
 * had when the load began (Kafka's TransactionStateManager.loadTransactionMetadata): the
 * last record per transactional id wins, a tombstone removes the id, unknown key versions
 * and control batches are skipped. Only this coordinator appends to the partition, and its
 * ids answer COORDINATOR_LOAD_IN_PROGRESS meanwhile, so nothing lands behind the end taken
 * at the start.
 *
 * The first slice is read at once; further slices run as timer tasks so a large partition
 * never holds the event loop for long. `cancel` stops a load whose leadership ended.
 */
export class TransactionPartitionLoad {
  private readonly loaded = new Map<string, TransactionLogValue>();
  private next: bigint;
  private readonly endOffset: bigint;
  private pending: Cancellable | undefined;
  private cancelled = false;

  constructor(private readonly options: TransactionLoadOptions) {
    this.next = options.log.logStartOffset;
    this.endOffset = options.log.logEndOffset;
  }

  start(): void {
    this.step();
  }

  cancel(): void {
    this.cancelled = true;
    this.pending?.cancel();
  }

  private step(): void {
    this.pending = undefined;
    if (this.cancelled) return;
    try {
      if (this.next < this.options.log.logStartOffset) this.next = this.options.log.logStartOffset;
      if (this.next < this.endOffset) this.readSlice();
    } catch (err) {
      this.options.onFailed(err);
      return;
    }
    if (this.next < this.endOffset) this.pending = this.options.scheduler.schedule(0, () => this.step());
    else this.options.onLoaded(this.loaded);
  }

  private readSlice(): void {
    const { log, bufferBytes, logger, partition } = this.options;
    const data = log.read(this.next, bufferBytes, { maxOffset: this.endOffset, minOneMessage: true });
    if (data.records.length === 0) {
      this.next = this.endOffset;
      return;
    }
    for (const batch of iterateBatches(data.records, 0, { verifyCrc: false, allowPartialTail: true })) {
      this.next = batch.lastOffset + 1n;
      if (batch.isControl) continue;
      for (const record of batch.records) {
        const id = record.key === null ? undefined : decodeTransactionLogKey(record.key);
        if (id === undefined) {
          logger.warn(`${TRANSACTION_STATE_TOPIC}-${partition}: record at offset ${record.offset} has no key this coordinator reads; skipped`);
          continue;
        }
        if (record.value === null) this.loaded.delete(id);
        else this.loaded.set(id, decodeTransactionLogValue(record.value));
      }
    }
  }
}
