import type { Time } from '../../time.js';
import { BATCH_HEADER_SIZE, batchSizeAt, isControlAt, lastOffsetNumberAt, recordsCountAt } from '../batch/batch-header.js';
import type { LogConfig } from '../config/log-config.js';
import type { StorageLogger } from '../logger.js';
import type { SegmentList } from '../partition/segment-list.js';
import { FileWindow } from '../segment/file-window.js';
import { LogSegment, type SegmentSettings } from '../segment/log-segment.js';
import { BatchCleaning } from './batch-cleaning.js';
import type { CleanableRange } from './cleanability.js';
import { CleanedSegmentWriter } from './cleaned-segment-writer.js';
import type { CleanerCheckpoint } from './cleaner-checkpoint.js';
import { CleanerStats } from './cleaner-stats.js';
import type { OffsetMap } from './offset-map.js';
import { groupSegmentsBySize } from './segment-groups.js';
import { swapInCleanedSegment } from './segment-swap.js';

/** What a cleaning pass needs of its PartitionLog, beyond the public API. */
export interface CleanerLogAccess {
  readonly dir: string;
  readonly segments: SegmentList;
  readonly checkpoint: CleanerCheckpoint;
  readonly time: Time;
  readonly logger: StorageLogger;
  config(): LogConfig;
  settings(): SegmentSettings;
  /** Closes a replaced segment once no fsync in flight uses it (its files are gone already). */
  retire(segment: LogSegment): void;
  /** The pass is over (finished or aborted): the log forgets it. */
  finished(cleaning: LogCleaning): void;
}

export interface CleaningOptions {
  /** Source bytes one `step` reads before returning (the event loop's turn); 1 MiB by default. */
  readonly sliceBytes?: number;
}

export const DEFAULT_SLICE_BYTES = 1024 * 1024;
const SCRATCH_BYTES = 64 * 1024;

type Phase = 'map' | 'clean' | 'done';

/**
 * One compaction pass over one log (Kafka's Cleaner.doClean), run in bounded slices so
 * that the event loop keeps serving appends and reads in between: each `step` reads at
 * most `sliceBytes` of source segments synchronously, except the step that completes a
 * group of segments, which also awaits the fsyncs of the cleaned files and swaps them in.
 *
 * 1. Map: from the first dirty offset, the keys of every batch below the first
 *    uncleanable offset go into the offset map, one batch at a time, until the map has
 *    no room for the next batch's records. `mapEnd`, one past the last mapped batch, is
 *    where the next pass will start (the new checkpoint).
 * 2. Clean: every segment from the log's first up to the one holding `mapEnd - 1` is
 *    rewritten, grouped (segment.bytes, segment.index.bytes, 32-bit relative offsets)
 *    into cleaned segments, each keeping what BatchCleaning keeps, then swapped in
 *    (see swapInCleanedSegment). Segments from `mapEnd` on are untouched.
 * 3. The checkpoint moves to `mapEnd`.
 *
 * Tombstones follow Kafka's rule for segments' last-modified times: they stay in a
 * segment modified after (the last clean segment's last-modified time -
 * delete.retention.ms), so a consumer that read the clean section has that long to see
 * a deletion; in the first pass over a log, where nothing is clean yet, all stay.
 *
 * Between steps the log may change. Appends and rolls only add segments after the ones
 * a pass works on. Anything that removes or rewrites segments (truncation, retention,
 * DeleteRecords, close) aborts the pass first (`abort`): the cleaned files go, no swap
 * happens, the checkpoint stays. Reads are synchronous and read whole batches into
 * their own buffers, so a swap never changes bytes a read already returned.
 */
export class LogCleaning {
  readonly stats = new CleanerStats();
  private phase: Phase = 'map';
  private aborted = false;
  private readonly startMs: number;
  private readonly sliceBytes: number;
  private readonly batches = new BatchCleaning();
  /** The segment being mapped and the position of its next batch (the clean phase reuses `position`). */
  private segment: LogSegment | undefined;
  private position = 0;
  /** A read window over the segment last read. */
  private windowSegment: LogSegment | undefined;
  private segmentWindow: FileWindow | undefined;
  private mapEnd: number;
  private deleteHorizonMs = -Infinity;
  private groups: LogSegment[][] = [];
  private groupIndex = 0;
  private memberIndex = 0;
  private writer: CleanedSegmentWriter | undefined;

  constructor(
    private readonly log: CleanerLogAccess,
    private readonly map: OffsetMap,
    private readonly range: CleanableRange,
    options: CleaningOptions = {},
  ) {
    this.startMs = log.time.hiResMilliseconds();
    this.sliceBytes = options.sliceBytes ?? DEFAULT_SLICE_BYTES;
    this.mapEnd = range.firstDirtyOffset;
    map.clear();
    const segments = log.segments;
    const first = segments.get(segments.indexFor(range.firstDirtyOffset));
    this.segment = first;
    this.position = first.translateOffset(range.firstDirtyOffset, Buffer.allocUnsafe(SCRATCH_BYTES))?.position ?? first.sizeInBytes;
  }

  get isDone(): boolean {
    return this.phase === 'done';
  }

  /** One slice; resolves true once the pass is over (completed or aborted). */
  async step(): Promise<boolean> {
    try {
      if (this.phase === 'map') this.mapSlice();
      else if (this.phase === 'clean') await this.cleanSlice();
    } catch (err) {
      this.abort();
      throw err;
    }
    return this.phase === 'done';
  }

  /** Stops the pass: cleaned files not yet swapped in are removed, the checkpoint stays. */
  abort(): void {
    if (this.phase === 'done') return;
    this.aborted = true;
    this.writer?.discard();
    this.writer = undefined;
    this.stats.logsAborted = 1;
    this.end();
  }

  private mapSlice(): void {
    const { firstUncleanableOffset } = this.range;
    let budget = this.sliceBytes;
    while (budget > 0) {
      const segment = this.segment!;
      const at = this.nextBatch(segment);
      if (at < 0) {
        const next = this.nextSegment(segment);
        if (next === undefined || next.baseOffset >= firstUncleanableOffset) return this.startCleaning();
        this.segment = next;
        this.position = 0;
        continue;
      }
      const buf = this.segmentWindow!.buf;
      const size = batchSizeAt(buf, at);
      const lastOffset = lastOffsetNumberAt(buf, at);
      if (lastOffset >= firstUncleanableOffset) return this.startCleaning();
      if (!isControlAt(buf, at)) {
        const keys = recordsCountAt(buf, at);
        if (!this.map.hasRoomFor(keys)) {
          if (this.map.size === 0) throw new RangeError(`log ${this.log.dir}: a batch of ${keys} records does not fit the cleaner's offset map of ${this.map.maxEntries} keys`);
          return this.startCleaning();
        }
        this.batches.mapKeys(this.map, buf, at, size);
      }
      this.mapEnd = lastOffset + 1;
      this.position += size;
      this.stats.bytesRead += size;
      budget -= size;
    }
  }

  private startCleaning(): void {
    this.stats.mapKeys = this.map.size;
    this.stats.mapUtilization = this.map.utilization;
    if (this.mapEnd <= this.range.firstDirtyOffset) return this.complete();
    const segments = this.log.segments;
    const config = this.log.config();
    // Kafka's horizon: the last segment holding clean offsets (base below the first dirty one).
    const dirtyStart = segments.indexFor(this.range.firstDirtyOffset);
    const lastClean = segments.baseOffset(dirtyStart) < this.range.firstDirtyOffset ? dirtyStart : dirtyStart - 1;
    if (lastClean >= 0) this.deleteHorizonMs = segments.lastModifiedMs(lastClean) - config.deleteRetentionMs;
    this.groups = groupSegmentsBySize(segments, this.mapEnd, config.segmentBytes, config.segmentIndexBytes);
    this.phase = 'clean';
    this.groupIndex = 0;
    this.memberIndex = 0;
    this.segment = undefined;
    this.position = 0;
  }

  private async cleanSlice(): Promise<void> {
    let budget = this.sliceBytes;
    const group = this.groups[this.groupIndex]!;
    while (budget > 0) {
      const segment = group[this.memberIndex]!;
      this.writer ??= new CleanedSegmentWriter(this.log.dir, group[0]!.baseOffset, this.log.settings());
      const at = this.nextBatch(segment);
      if (at < 0) {
        this.memberIndex++;
        this.position = 0;
        if (this.memberIndex < group.length) continue;
        return this.finishGroup(group);
      }
      const buf = this.segmentWindow!.buf;
      const size = batchSizeAt(buf, at);
      const retainDeletes = segment.lastModifiedMs > this.deleteHorizonMs;
      const kept = this.batches.filter(this.map, this.mapEnd, retainDeletes, buf, at, size, this.stats);
      if (kept !== undefined) this.writer.append(kept);
      this.position += size;
      this.stats.bytesRead += size;
      budget -= size;
    }
  }

  private async finishGroup(group: LogSegment[]): Promise<void> {
    const writer = this.writer!;
    const last = group[group.length - 1]!;
    const txnIndexEntries = Buffer.concat(group.map((s) => s.txnIndex.bytes()));
    const state = await writer.finish({ nextOffset: last.nextOffset, createdMs: group[0]!.createdMs, lastModifiedMs: last.lastModifiedMs }, txnIndexEntries);
    if (this.aborted || writer.isDiscarded) return;
    const segments = this.log.segments;
    const start = segments.indexFor(group[0]!.baseOffset);
    if (group.some((s, k) => start + k >= segments.length - 1 || segments.get(start + k) !== s)) {
      this.log.logger.warn(`log ${this.log.dir}: segments changed under the cleaner; abandoning this pass`);
      return this.abort();
    }
    swapInCleanedSegment(this.log.dir, state.baseOffset, group);
    const cleaned = new LogSegment(this.log.dir, state, this.log.settings());
    for (const replaced of segments.replace(start, group.length, cleaned)) this.log.retire(replaced);
    this.writer = undefined;
    this.stats.bytesWritten += state.sizeInBytes;
    this.stats.segmentsCleaned += group.length;
    this.stats.segmentsWritten++;
    this.groupIndex++;
    this.memberIndex = 0;
    this.position = 0;
    if (this.groupIndex === this.groups.length) this.complete();
  }

  private complete(): void {
    if (this.mapEnd > this.range.firstDirtyOffset) this.log.checkpoint.write(this.mapEnd);
    this.stats.logsCleaned = 1;
    this.end();
  }

  private end(): void {
    this.phase = 'done';
    this.stats.durationMs = this.log.time.hiResMilliseconds() - this.startMs;
    this.log.finished(this);
  }

  /**
   * Where the batch at `position` of `segment` sits, whole, in the segment's read window
   * (reused while the segment is the same); -1 past its last batch.
   */
  private nextBatch(segment: LogSegment): number {
    if (this.segmentWindow === undefined || this.windowSegment !== segment) {
      this.windowSegment = segment;
      this.segmentWindow = new FileWindow(segment, segment.sizeInBytes, this.segmentWindow?.buf ?? Buffer.allocUnsafe(SCRATCH_BYTES));
    }
    const window = this.segmentWindow;
    const o = window.ensure(this.position, BATCH_HEADER_SIZE);
    if (o < 0) return -1;
    const at = window.ensure(this.position, batchSizeAt(window.buf, o));
    if (at < 0) throw new Error(`log ${this.log.dir}: the batch at position ${this.position} of segment ${segment.baseOffset} runs past its end`);
    return at;
  }

  /** The inactive segment after `segment`, undefined at the active one. */
  private nextSegment(segment: LogSegment): LogSegment | undefined {
    const segments = this.log.segments;
    const i = segments.indexFor(segment.baseOffset) + 1;
    return i < segments.length - 1 ? segments.get(i) : undefined;
  }
}
