import { MAX_SAFE_INT64 } from '../batch/batch-header.js';
import type { LogConfig } from '../config/log-config.js';
import type { SegmentList } from '../partition/segment-list.js';

/** Where compaction of a log stands, in the log's number offsets. */
export interface CleanableRange {
  /** Start of the dirty section: the cleaner checkpoint, or the log start. */
  readonly firstDirtyOffset: number;
  /** First offset the cleaner may not touch: the active segment, the high watermark, a too-young segment. */
  readonly firstUncleanableOffset: number;
  /** Bytes of the segments wholly below firstDirtyOffset. */
  readonly cleanBytes: number;
  /** Bytes of the segments holding dirty offsets below firstUncleanableOffset. */
  readonly cleanableBytes: number;
  /** How long past max.compaction.lag.ms the oldest dirty batch is; 0 when not overdue. */
  readonly maxCompactionDelayMs: number;
}

export interface CleanableLogState {
  readonly segments: SegmentList;
  readonly config: LogConfig;
  readonly nowMs: number;
  readonly logStartOffset: number;
  readonly highWatermark: number;
  /** First offset of the oldest unstable transaction, undefined when none. */
  readonly firstUnstableOffset: number | undefined;
  /** The cleaner checkpoint, undefined when none was written. */
  readonly checkpoint: number | undefined;
  readonly scratch: Buffer;
}

/**
 * Kafka's LogCleanerManager.cleanableOffsets and the byte counts of its dirty ratio.
 *
 * The dirty section starts at the checkpoint, or at the log start when the checkpoint is
 * missing, below the log start, or past the log end (it no longer describes this log).
 * It ends at the first uncleanable offset, the lowest of: the active segment's base
 * offset (never cleaned), the high watermark (uncommitted records may still be
 * truncated, and what they supersede must survive until they are committed), the first
 * unstable offset (records of an open transaction may still be aborted, and an
 * aborted record must not have removed the committed one it would supersede), and, with
 * min.compaction.lag.ms, the base of the first dirty segment holding a record younger
 * than that (a segment's age is its largest record timestamp, as Kafka measures it).
 *
 * max.compaction.lag.ms makes a log due whatever its ratio once the first batch of a
 * dirty inactive segment is older than that (Kafka's maxCompactionDelay).
 */
export function cleanableRange(state: CleanableLogState): CleanableRange {
  const { segments, config, nowMs, logStartOffset, highWatermark, checkpoint } = state;
  const activeIndex = segments.length - 1;
  const logEndOffset = segments.nextOffset(activeIndex);
  const firstDirtyOffset = checkpoint === undefined || checkpoint < logStartOffset || checkpoint > logEndOffset ? logStartOffset : checkpoint;
  let firstUncleanableOffset = Math.min(segments.baseOffset(activeIndex), highWatermark);
  if (state.firstUnstableOffset !== undefined && state.firstUnstableOffset < firstUncleanableOffset) firstUncleanableOffset = state.firstUnstableOffset;
  const firstDirtySegment = segments.indexFor(firstDirtyOffset);
  if (config.minCompactionLagMs > 0) {
    for (let i = firstDirtySegment; i < activeIndex; i++) {
      if (segments.largestTimestamp(i) > nowMs - config.minCompactionLagMs) {
        firstUncleanableOffset = Math.min(firstUncleanableOffset, segments.baseOffset(i));
        break;
      }
    }
  }
  if (firstUncleanableOffset < firstDirtyOffset) firstUncleanableOffset = firstDirtyOffset;

  let cleanBytes = 0;
  let cleanableBytes = 0;
  let earliestDirtyTimestamp = Infinity;
  // Only then is a segment's first batch timestamp worth a look (it may take a read).
  const lagBounded = config.maxCompactionLagMs < MAX_SAFE_INT64;
  for (let i = 0; i < activeIndex; i++) {
    if (segments.baseOffset(i + 1) <= firstDirtyOffset) {
      cleanBytes += segments.sizeInBytes(i);
      continue;
    }
    if (segments.baseOffset(i) < firstUncleanableOffset) cleanableBytes += segments.sizeInBytes(i);
    if (!lagBounded) continue;
    const firstBatchTimestamp = segments.get(i).firstBatchTimestamp(state.scratch);
    if (firstBatchTimestamp > 0 && firstBatchTimestamp < earliestDirtyTimestamp) earliestDirtyTimestamp = firstBatchTimestamp;
  }
  const cleanUntilMs = nowMs - Math.max(config.maxCompactionLagMs, 0);
  const maxCompactionDelayMs = earliestDirtyTimestamp < cleanUntilMs ? cleanUntilMs - earliestDirtyTimestamp : 0;
  return { firstDirtyOffset, firstUncleanableOffset, cleanBytes, cleanableBytes, maxCompactionDelayMs };
}

/** Dirty bytes over clean plus dirty (Kafka's cleanableRatio); 0 for a log with neither. */
export function dirtyRatio(range: CleanableRange): number {
  const total = range.cleanBytes + range.cleanableBytes;
  return total === 0 ? 0 : range.cleanableBytes / total;
}

/** Whether the cleaner should take the log now: something to clean, and the ratio reached or the lag overdue. */
export function needsCleaning(range: CleanableRange, config: LogConfig): boolean {
  return range.cleanableBytes > 0 && (dirtyRatio(range) >= config.minCleanableDirtyRatio || range.maxCompactionDelayMs > 0);
}
