import type { StorageLogger } from '../logger.js';
import type { SegmentList } from '../partition/segment-list.js';
import type { AbortedTxn } from '../partition/types.js';
import type { LogSegment } from '../segment/log-segment.js';
import { collectAbortedTxns, countControlRecords, replayProducerState } from './log-scans.js';
import type { ProducerAppend, ProducerAppendOrigin } from './producer-append.js';
import { CorruptSnapshotError, deleteSnapshot, listSnapshots, readSnapshot, snapshotPath, writeSnapshot } from './producer-snapshot.js';
import type { ProducerStateEntry } from './producer-state-entry.js';
import { ProducerStateManager } from './producer-state-manager.js';

/** Snapshots kept at each roll: the newest ones (Kafka keeps the last two around the recovery point). */
const SNAPSHOTS_KEPT = 2;

export interface LogProducerStateOptions {
  readonly dir: string;
  readonly segments: SegmentList;
  readonly logger: StorageLogger;
  /** producer.id.expiration.ms */
  readonly expirationMs: number;
  /** The log's scratch buffer, for header walks. */
  readonly scratch: Buffer;
}

/**
 * The producer side of one PartitionLog: the in-memory ProducerStateManager, its
 * snapshot files (`<offset>.snapshot`, see producer-snapshot.ts) and the segments'
 * transaction indexes.
 *
 * Snapshots: one at each roll (at the new segment's base offset; older ones beyond the
 * newest two are deleted) and one at close (at the log end). Opening after a clean close
 * reads only the log-end snapshot. Otherwise (a crash, or that snapshot missing or
 * corrupt) the newest readable snapshot at or below both the log end and the first
 * recovered segment is loaded (unreadable ones are deleted with a warning; with none, the
 * state starts empty at the log start) and the batches after it are replayed from their
 * headers; the transaction indexes of the recovered segments are rebuilt on the way.
 * Truncation deletes snapshots past the new end and reloads the same way, without
 * touching the indexes below the cut. Moving the log start deletes snapshots below it;
 * the state itself is kept (a producer whose records are gone keeps its sequence).
 */
export class LogProducerState {
  readonly manager = new ProducerStateManager();

  constructor(private readonly options: LogProducerStateOptions) {}

  /** At open: `firstRecoveredOffset` is the base of the first rescanned segment, the log end after a clean shutdown. */
  load(logStartOffset: number, logEndOffset: number, firstRecoveredOffset: number, nowMs: number): void {
    const { dir, logger } = this.options;
    if (firstRecoveredOffset >= logEndOffset) {
      try {
        this.manager.load(this.unexpired(readSnapshot(snapshotPath(dir, logEndOffset)), nowMs));
        return;
      } catch (err) {
        if (err instanceof CorruptSnapshotError) logger.warn(`log ${dir}: ${err.message}; rebuilding producer state`);
      }
    }
    this.rebuild(logStartOffset, logEndOffset, firstRecoveredOffset, nowMs);
  }

  /**
   * Resets the state to the newest usable snapshot at or below min(logEnd, rebuildIndexFrom)
   * and replays the log after it, rebuilding the transaction indexes of segments based at
   * or after `rebuildIndexFrom`.
   */
  private rebuild(logStartOffset: number, logEndOffset: number, rebuildIndexFrom: number, nowMs: number): void {
    const { dir, logger, segments, scratch } = this.options;
    this.manager.clear();
    const snapshots = listSnapshots(dir);
    let from = logStartOffset;
    for (let i = snapshots.length - 1; i >= 0; i--) {
      const offset = snapshots[i]!;
      if (offset > logEndOffset) {
        deleteSnapshot(dir, offset);
        continue;
      }
      if (offset > rebuildIndexFrom || offset < logStartOffset) continue;
      try {
        this.manager.load(this.unexpired(readSnapshot(snapshotPath(dir, offset)), nowMs));
        from = offset;
        break;
      } catch (err) {
        logger.warn(`log ${dir}: producer snapshot at ${offset} is unusable (${err instanceof Error ? err.message : String(err)}); deleting it`);
        deleteSnapshot(dir, offset);
        this.manager.clear();
      }
    }
    for (let i = segments.indexFor(rebuildIndexFrom); i < segments.length; i++) {
      const segment = segments.get(i);
      if (segment.baseOffset >= rebuildIndexFrom) segment.txnIndex.reset();
    }
    replayProducerState(segments, this.manager, from, rebuildIndexFrom, scratch);
  }

  private unexpired(entries: ProducerStateEntry[], nowMs: number): ProducerStateEntry[] {
    return entries.filter((e) => e.currentTxnFirstOffset >= 0 || nowMs - e.lastTimestamp < this.options.expirationMs);
  }

  prepare(records: Buffer, firstOffset: number | undefined, origin: ProducerAppendOrigin): ProducerAppend {
    return this.manager.prepare(records, firstOffset, origin);
  }

  /** After the append's batches were written to `segment`. */
  apply(append: ProducerAppend, segment: LogSegment): void {
    this.manager.apply(append, segment.txnIndex);
  }

  /** A new segment starts at `baseOffset`: snapshot the state there and drop older snapshots. */
  onRoll(baseOffset: number): void {
    const { dir } = this.options;
    writeSnapshot(dir, baseOffset, this.manager.entries(), false);
    const snapshots = listSnapshots(dir);
    for (let i = 0; i < snapshots.length - SNAPSHOTS_KEPT; i++) deleteSnapshot(dir, snapshots[i]!);
  }

  /** After truncateTo: the indexes are cut with their segments; the state is reloaded. */
  onTruncate(logStartOffset: number, logEndOffset: number, nowMs: number): void {
    this.rebuild(logStartOffset, logEndOffset, Number.POSITIVE_INFINITY, nowMs);
  }

  /** After truncateFullyAndStartAt: nothing is left. */
  onTruncateFully(): void {
    this.manager.clear();
    for (const offset of listSnapshots(this.options.dir)) deleteSnapshot(this.options.dir, offset);
  }

  onLogStartMoved(logStartOffset: number): void {
    for (const offset of listSnapshots(this.options.dir)) if (offset < logStartOffset) deleteSnapshot(this.options.dir, offset);
  }

  /**
   * At close: the state at the log end, so the next open reads nothing else. Not synced:
   * the manifest written after it syncs the directory, and a snapshot a power loss tore
   * fails its CRC and is rebuilt from the log, so correctness never rests on it.
   */
  close(logEndOffset: number): void {
    writeSnapshot(this.options.dir, logEndOffset, this.manager.entries(), false);
  }

  collectAbortedTransactions(startOffset: number, upperBoundOffset: number): AbortedTxn[] {
    if (upperBoundOffset <= startOffset) return [];
    return collectAbortedTxns(this.options.segments, startOffset, upperBoundOffset).map((e) => ({
      producerId: e.producerId, firstOffset: BigInt(e.firstOffset), lastOffset: BigInt(e.lastOffset), lastStableOffset: BigInt(e.lastStableOffset),
    }));
  }

  controlRecordsBetween(startOffset: number, endOffset: number): number {
    if (!this.manager.mayHaveControl) return 0;
    return countControlRecords(this.options.segments, startOffset, endOffset, this.options.scratch);
  }
}
