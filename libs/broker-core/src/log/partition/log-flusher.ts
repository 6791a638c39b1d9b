import { KafkaError } from '../../errors.js';
import type { Time } from '../../time.js';
import type { Cancellable, Scheduler } from '../../timer/scheduler.js';
import type { LogConfig } from '../config/log-config.js';
import type { StorageLogger } from '../logger.js';
import type { LogSegment } from '../segment/log-segment.js';
import { GroupCommit } from './group-commit.js';
import { syncDirectory } from '../checkpoint/checkpoint-file.js';
import { writeCheckpoint } from './log-files.js';
import type { SegmentList } from './segment-list.js';

const RESOLVED: Promise<void> = Promise.resolve();

export interface LogFlusherOptions {
  readonly dir: string;
  readonly segments: SegmentList;
  readonly time: Time;
  readonly scheduler: Scheduler | undefined;
  readonly logger: StorageLogger;
  /** Read at checkpoint time: the log start offset moves independently. */
  readonly logStartOffset: () => number;
  readonly recoveryPoint: number;
  readonly dirNeedsSync: boolean;
}

/**
 * The fsync side of a PartitionLog: the flush policy (flush.messages, flush.ms through
 * the Scheduler), fdatasync of its dirty segments (and the indexes of rolled ones) and
 * of the directory when names changed, coalesced through GroupCommit; the recovery point
 * those fsyncs establish, checkpointed when recovery would start from a later segment;
 * and segments removed while an fsync may be using their descriptors, closed once it is
 * done.
 *
 * Offsets are numbers, like everywhere inside the log. Single event loop: `flush` may be
 * called at any time; the fsyncs themselves run asynchronously.
 */
export class LogFlusher {
  /** Offset below which everything has been fsynced. */
  recoveryPoint: number;
  private checkpointedRecoverySegment: number;
  private dirNeedsSync: boolean;
  private stopped = false;
  private unflushedMessages = 0;
  private lastFlushMs: number;
  private flushTimer: Cancellable | undefined;
  private readonly closeAfterFlush: LogSegment[] = [];
  private readonly groupCommit = new GroupCommit(() => this.flushDirtySegments(), () => this.closeRetired());
  private readonly dir: string;
  private readonly segments: SegmentList;
  private readonly time: Time;
  private readonly scheduler: Scheduler | undefined;
  private readonly logger: StorageLogger;
  private readonly logStartOffset: () => number;

  constructor(options: LogFlusherOptions) {
    ({ dir: this.dir, segments: this.segments, time: this.time, scheduler: this.scheduler, logger: this.logger, logStartOffset: this.logStartOffset } = options);
    this.recoveryPoint = options.recoveryPoint;
    this.checkpointedRecoverySegment = this.segmentBaseFor(options.recoveryPoint);
    this.dirNeedsSync = options.dirNeedsSync;
    this.lastFlushMs = this.time.milliseconds();
  }

  /**
   * Applies flush.messages and flush.ms after an append of `recordCount` records at
   * `nowMs` (read only when flush.ms is set); returns the append's durability promise.
   */
  afterAppend(recordCount: number, nowMs: number, config: LogConfig): Promise<void> {
    this.unflushedMessages += recordCount;
    const { flushMessages, flushMs } = config;
    const flushMsSet = flushMs < Number.MAX_SAFE_INTEGER;
    if (this.unflushedMessages >= flushMessages || (flushMsSet && nowMs - this.lastFlushMs >= flushMs)) return this.flush();
    if (flushMsSet && this.scheduler && this.flushTimer === undefined) {
      this.flushTimer = this.scheduler.schedule(flushMs, () => {
        this.flushTimer = undefined;
        this.flush().catch((err: unknown) => this.logger.error(`log ${this.dir}: scheduled flush failed`, err));
      });
    }
    return RESOLVED;
  }

  /** fdatasync of everything appended so far; concurrent calls share one (group commit). */
  flush(): Promise<void> {
    this.unflushedMessages = 0;
    this.lastFlushMs = this.time.milliseconds();
    return this.groupCommit.request();
  }

  /** Flushes if flush.ms has passed since the last flush and something is unflushed. */
  flushIfDue(config: LogConfig): Promise<void> {
    const due = this.unflushedMessages > 0 && this.time.milliseconds() - this.lastFlushMs >= config.flushMs;
    return due ? this.flush() : RESOLVED;
  }

  /** A file was created, renamed or removed: the next flush syncs the directory too. */
  markDirectoryChanged(): void {
    this.dirNeedsSync = true;
  }

  /** After a truncation: the recovery point may not stay past the new log end. */
  truncatedTo(logEndOffset: number): void {
    if (this.recoveryPoint > logEndOffset) this.recoveryPoint = logEndOffset;
    this.checkpointedRecoverySegment = this.segmentBaseFor(this.recoveryPoint);
  }

  /** Unlinks a removed segment's files now and closes it once no fsync can be using it. */
  retire(segment: LogSegment): void {
    segment.unlinkFiles();
    this.closeWhenIdle(segment);
  }

  /** Closes a segment removed from the log (its files already gone) once no fsync can be using it. */
  closeWhenIdle(segment: LogSegment): void {
    if (this.groupCommit.busy) this.closeAfterFlush.push(segment);
    else segment.close();
  }

  /** Waits for flushes in flight; no checkpoint is written afterwards (close writes its own). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.flushTimer?.cancel();
    await this.groupCommit.idle();
    this.closeRetired();
  }

  private closeRetired(): void {
    for (const segment of this.closeAfterFlush.splice(0)) segment.close();
  }

  private segmentBaseFor(offset: number): number {
    return this.segments.baseOffset(this.segments.indexFor(offset));
  }

  private async flushDirtySegments(): Promise<void> {
    const target = this.segments.last().nextOffset;
    const active = this.segments.last();
    try {
      await Promise.all(this.segments.materialized().map((s) => (s.isDirty || s !== active ? s.flush(s !== active) : RESOLVED)));
      if (this.dirNeedsSync) {
        this.dirNeedsSync = false;
        syncDirectory(this.dir);
      }
    } catch (err) {
      this.logger.error(`log ${this.dir}: fsync failed`, err);
      for (const s of this.segments.materialized()) s.markDirty();
      throw new KafkaError('KAFKA_STORAGE_ERROR', `fsync failed in ${this.dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const end = this.segments.last().nextOffset;
    const flushed = target < end ? target : end;
    if (flushed > this.recoveryPoint) this.recoveryPoint = flushed;
    const recoverySegment = this.segmentBaseFor(this.recoveryPoint);
    if (recoverySegment !== this.checkpointedRecoverySegment && !this.stopped) {
      // Only worth a write when recovery would now start from a later segment.
      this.checkpointedRecoverySegment = recoverySegment;
      writeCheckpoint(this.dir, { logStartOffset: this.logStartOffset(), recoveryPoint: this.recoveryPoint }, false);
    }
  }
}
