import type { BrokerLogger } from '../broker/broker-options.js';
import type { DecodedRecordBatch } from '../log/batch/record-batch-decoder.js';
import type { PartitionLog } from '../log/partition/partition-log.js';
import { SlicedLogReplay } from '../broker/sliced-log-replay.js';
import type { Scheduler } from '../timer/scheduler.js';
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
 * and control batches are skipped. The reading itself, in slices on the timer, is
 * SlicedLogReplay's.
 */
export class TransactionPartitionLoad {
  private readonly loaded = new Map<string, TransactionLogValue>();
  private readonly replay: SlicedLogReplay;

  constructor(private readonly options: TransactionLoadOptions) {
    const { log, bufferBytes, scheduler, onFailed } = options;
    this.replay = new SlicedLogReplay({
      log, bufferBytes, scheduler, onFailed, onBatch: (batch) => this.applyBatch(batch), onDone: () => options.onLoaded(this.loaded),
    });
  }

  start(): void {
    this.replay.start();
  }

  cancel(): void {
    this.replay.cancel();
  }

  private applyBatch(batch: DecodedRecordBatch): void {
    if (batch.isControl) return;
    const { logger, partition } = this.options;
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
