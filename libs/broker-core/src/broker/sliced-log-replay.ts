import { iterateBatches, type DecodedRecordBatch } from '../log/batch/record-batch-decoder.js';
import type { PartitionLog } from '../log/partition/partition-log.js';
import type { Cancellable, Scheduler } from '../timer/scheduler.js';

export interface SlicedLogReplayOptions {
  readonly log: PartitionLog;
  /** Bytes read per slice (offsets.load.buffer.size, transaction.state.log.load.buffer.size). */
  readonly bufferBytes: number;
  readonly scheduler: Scheduler;
  /** Every batch below the end offset, in offset order, control batches included. */
  readonly onBatch: (batch: DecodedRecordBatch) => void;
  readonly onDone: () => void;
  /** A read or `onBatch` threw: the replay stops. */
  readonly onFailed: (err: unknown) => void;
}

/**
 * A coordinator's replay of its internal partition (a group or transaction coordinator
 * taking leadership of a `__consumer_offsets` or `__transaction_state` partition): every
 * batch from the log start to the log end offset the log had when the replay began. Only
 * the coordinator appends there, and it answers COORDINATOR_LOAD_IN_PROGRESS meanwhile, so
 * nothing of interest lands behind that end.
 *
 * The first slice is read at once, so a small partition is replayed before `start`
 * returns; further slices run as timer tasks, so a large partition never holds the event
 * loop for long. A log start that moves past the position (retention) is followed; a gap
 * compaction left below the end ends the replay. `cancel` stops a replay whose leadership ended.
 */
export class SlicedLogReplay {
  private next: bigint;
  private readonly endOffset: bigint;
  private pending: Cancellable | undefined;
  private cancelled = false;

  constructor(private readonly options: SlicedLogReplayOptions) {
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
    else this.options.onDone();
  }

  private readSlice(): void {
    const { log, bufferBytes } = this.options;
    const data = log.read(this.next, bufferBytes, { maxOffset: this.endOffset, minOneMessage: true });
    if (data.records.length === 0) {
      this.next = this.endOffset;
      return;
    }
    for (const batch of iterateBatches(data.records, 0, { verifyCrc: false, allowPartialTail: true })) {
      this.next = batch.lastOffset + 1n;
      this.options.onBatch(batch);
    }
  }
}
