import type { LogCleanability } from '../partition/types.js';
import { type CleanableRange, cleanableRange, dirtyRatio, needsCleaning } from './cleanability.js';
import { CleanerCheckpoint } from './cleaner-checkpoint.js';
import { type CleanerLogAccess, type CleaningOptions, LogCleaning } from './log-cleaning.js';
import type { OffsetMap } from './offset-map.js';

/** What LogCompaction reads of its PartitionLog. */
export interface CompactedLogAccess extends Omit<CleanerLogAccess, 'checkpoint' | 'finished'> {
  logStartOffset(): number;
  highWatermark(): number;
  /** First offset of the oldest unstable transaction, undefined when none. */
  firstUnstableOffset(): number | undefined;
  /** The log's scratch buffer, for header reads. */
  readonly scratch: Buffer;
}

/**
 * The compaction side of one PartitionLog: its cleaner checkpoint and the pass under way
 * (at most one). The log calls `abort` before anything that removes or rewrites
 * segments, and `truncatedTo` after a truncation.
 */
export class LogCompaction {
  readonly checkpoint: CleanerCheckpoint;
  private cleaning: LogCleaning | undefined;

  constructor(private readonly log: CompactedLogAccess) {
    this.checkpoint = new CleanerCheckpoint(log.dir, log.logger);
  }

  cleanability(): LogCleanability {
    const config = this.log.config();
    const range = this.range();
    const compacted = config.cleanupPolicy.includes('compact');
    return {
      compacted,
      firstDirtyOffset: BigInt(range.firstDirtyOffset),
      firstUncleanableOffset: BigInt(range.firstUncleanableOffset),
      cleanBytes: range.cleanBytes,
      cleanableBytes: range.cleanableBytes,
      dirtyRatio: dirtyRatio(range),
      maxCompactionDelayMs: range.maxCompactionDelayMs,
      needsCleaning: compacted && needsCleaning(range, config),
    };
  }

  /** A new pass over the dirty section, or undefined when the policy is not compact or nothing is cleanable. */
  begin(map: OffsetMap, options?: CleaningOptions): LogCleaning | undefined {
    if (this.cleaning !== undefined) throw new Error(`log ${this.log.dir}: a cleaning pass is already under way`);
    const range = this.range();
    if (!this.log.config().cleanupPolicy.includes('compact') || range.cleanableBytes === 0 || range.firstUncleanableOffset <= range.firstDirtyOffset) return undefined;
    const cleaning = new LogCleaning({
      ...this.log,
      checkpoint: this.checkpoint,
      finished: (done) => {
        if (this.cleaning === done) this.cleaning = undefined;
      },
    }, map, range, options);
    this.cleaning = cleaning;
    return cleaning;
  }

  abort(): void {
    this.cleaning?.abort();
  }

  /** After a truncation to `logEndOffset` (the pass, if any, was aborted before it). */
  truncatedTo(logEndOffset: number): void {
    this.checkpoint.truncateTo(logEndOffset);
  }

  private range(): CleanableRange {
    const { log } = this;
    return cleanableRange({
      segments: log.segments, config: log.config(), nowMs: log.time.milliseconds(), logStartOffset: log.logStartOffset(),
      highWatermark: log.highWatermark(), firstUnstableOffset: log.firstUnstableOffset(), checkpoint: this.checkpoint.read(), scratch: log.scratch,
    });
  }
}
