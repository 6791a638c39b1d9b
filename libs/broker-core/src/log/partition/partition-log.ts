import { KafkaError } from '../../errors.js';
import { SystemTime, type Time } from '../../time.js';
import type { Cancellable, Scheduler } from '../../timer/scheduler.js';
import { decodeRecordBatch } from '../batch/record-batch-decoder.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../config/log-config.js';
import { SILENT_STORAGE_LOGGER, type StorageLogger } from '../logger.js';
import { EMPTY_RECORDS, LogSegment, type SegmentSettings } from '../segment/log-segment.js';
import { analyzeRecords, assignOffsets } from './append-validator.js';
import { GroupCommit } from './group-commit.js';
import { syncDirectory, writeCheckpoint, writeManifest } from './log-files.js';
import { loadLog } from './log-loader.js';
import { selectSegmentsToDelete } from './retention.js';
import type { SegmentList } from './segment-list.js';
import type { FetchDataInfo, LogAppendInfo, PartitionLogOptions, ReadOptions, SegmentInfo, TimestampAndOffset } from './types.js';

const MAX_RELATIVE_OFFSET = 0x7fffffffn;
const SCAN_SCRATCH_BYTES = 8 * 1024;
const RESOLVED: Promise<void> = Promise.resolve();
/** ListOffsets' special timestamps. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;

/**
 * The log of one partition replica: a directory `<topic>-<partition>` of segments (see
 * LogSegment) with the active segment last, plus `log-offsets-checkpoint` and, between a
 * clean close and the next open, the `.clean-shutdown` manifest (see log-files.ts).
 *
 * Offsets: [logStartOffset, logEndOffset) is readable; highWatermark (set by the
 * replication layer, kept <= logEndOffset) bounds retention; recoveryPoint is the
 * offset below which everything has been fsynced.
 *
 * I/O choice: appends and reads are synchronous positional syscalls against the page
 * cache (a 16 KiB write costs microseconds; a thread-pool hop would cost more than the
 * copy and reorder appends). fsync is the slow part, so it is asynchronous and
 * coalesced: `flush()` and the flush policy go through GroupCommit, so appends made
 * while an fdatasync runs share the next one. An append's `durable` promise resolves
 * after the fdatasync covering it when flush.messages/flush.ms demand one, at once
 * otherwise (see docs/storage.md for what survives a crash).
 *
 * Concurrency: one event loop calls it; methods other than flush/close are
 * synchronous, so no append interleaves with a read or truncation. Segment files that
 * are deleted while an fdatasync is in flight are unlinked at once and closed after it.
 */
export class PartitionLog {
  private readonly segments: SegmentList;
  private readonly time: Time;
  private readonly logger: StorageLogger;
  private readonly scheduler: Scheduler | undefined;
  private readonly scratch = Buffer.allocUnsafe(SCAN_SCRATCH_BYTES);
  private readonly groupCommit: GroupCommit;
  private readonly closeAfterFlush: LogSegment[] = [];
  private configValue: LogConfig;
  private logStart: bigint;
  private recoveryPointOffset: bigint;
  private checkpointedRecoverySegment: bigint;
  private hw: bigint;
  private unflushedMessages = 0;
  private lastFlushMs: number;
  private flushTimer: Cancellable | undefined;
  private dirNeedsSync = false;
  private closed = false;
  readonly hadCleanShutdown: boolean;

  private constructor(readonly dir: string, options: PartitionLogOptions) {
    this.configValue = options.config ?? DEFAULT_LOG_CONFIG;
    this.time = options.time ?? SystemTime.INSTANCE;
    this.logger = options.logger ?? SILENT_STORAGE_LOGGER;
    this.scheduler = options.scheduler;
    const loaded = loadLog(dir, this.settings(), this.time.milliseconds(), this.logger);
    this.segments = loaded.segments;
    this.logStart = loaded.logStartOffset;
    this.recoveryPointOffset = loaded.recoveryPoint;
    this.checkpointedRecoverySegment = this.segmentBaseFor(loaded.recoveryPoint);
    this.hadCleanShutdown = loaded.hadCleanShutdown;
    this.hw = this.logStart;
    this.lastFlushMs = this.time.milliseconds();
    this.dirNeedsSync = loaded.hadCleanShutdown; // the removed manifest's name must become durable
    this.groupCommit = new GroupCommit(() => this.flushDirtySegments(), () => this.closeRetired());
  }

  /** Opens (creating if needed) the log in `dir`; recovers after an unclean shutdown, never throwing for bad data. */
  static open(dir: string, options: PartitionLogOptions = {}): PartitionLog {
    return new PartitionLog(dir, options);
  }

  get config(): LogConfig { return this.configValue; }
  /** Takes effect for the next append, roll and retention pass. */
  updateConfig(config: LogConfig): void { this.configValue = config; }
  get logStartOffset(): bigint { return this.logStart; }
  get logEndOffset(): bigint { return this.activeSegment.nextOffset; }
  get recoveryPoint(): bigint { return this.recoveryPointOffset; }
  get highWatermark(): bigint { return this.hw; }
  /** Sets the high watermark, clamped to [logStartOffset, logEndOffset]; returns it. */
  updateHighWatermark(offset: bigint): bigint {
    this.hw = offset > this.logEndOffset ? this.logEndOffset : offset < this.logStart ? this.logStart : offset;
    return this.hw;
  }
  /** Bytes in all segments. */
  get size(): number {
    let bytes = 0;
    for (let i = 0; i < this.segments.length; i++) bytes += this.segments.sizeInBytes(i);
    return bytes;
  }
  get segmentCount(): number { return this.segments.length; }
  segmentInfos(): SegmentInfo[] {
    return this.segments.all().map((s) => ({ baseOffset: s.baseOffset, nextOffset: s.nextOffset, sizeInBytes: s.sizeInBytes, largestTimestamp: s.largestTimestamp }));
  }

  private get activeSegment(): LogSegment { return this.segments.last(); }

  private settings(): SegmentSettings {
    return { indexIntervalBytes: this.configValue.indexIntervalBytes, segmentIndexBytes: this.configValue.segmentIndexBytes };
  }

  /**
   * Appends a produce request's records (one or more concatenated batches) as leader:
   * validates all of them first (the log is unchanged on any error), then assigns
   * offsets and the leader epoch in place in `records`, stamps LogAppendTime if the
   * topic says so, and writes them with one syscall.
   */
  append(records: Buffer, options: { leaderEpoch?: number } = {}): LogAppendInfo {
    this.ensureOpen();
    const nowMs = this.time.milliseconds();
    const analysis = analyzeRecords(records, this.configValue, nowMs, true);
    const firstOffset = this.logEndOffset;
    if (analysis.batchCount === 0) return this.appendInfo(firstOffset, firstOffset - 1n, -1n, 0, RESOLVED);
    const lastOffset = firstOffset + analysis.offsetCount - 1n;
    const segment = this.maybeRoll(records.length, analysis.maxTimestamp, lastOffset, nowMs);
    const logAppendTime = this.configValue.messageTimestampType === 'LogAppendTime' ? BigInt(nowMs) : undefined;
    assignOffsets(records, firstOffset, options.leaderEpoch ?? -1, logAppendTime);
    segment.append(records);
    return this.appendInfo(firstOffset, lastOffset, logAppendTime ?? -1n, analysis.recordCount, this.afterAppend(analysis.recordCount, nowMs));
  }

  /** Appends batches fetched from the leader, keeping their offsets, epochs and timestamps. */
  appendAsFollower(records: Buffer): LogAppendInfo {
    this.ensureOpen();
    const nowMs = this.time.milliseconds();
    const analysis = analyzeRecords(records, this.configValue, nowMs, false);
    if (analysis.batchCount === 0) return this.appendInfo(this.logEndOffset, this.logEndOffset - 1n, -1n, 0, RESOLVED);
    if (analysis.firstOffset < this.logEndOffset) {
      throw new KafkaError('INVALID_RECORD', `follower append at offset ${analysis.firstOffset} is below the log end offset ${this.logEndOffset}`);
    }
    this.maybeRoll(records.length, analysis.maxTimestamp, analysis.lastOffset, nowMs, analysis.firstOffset).append(records);
    return this.appendInfo(analysis.firstOffset, analysis.lastOffset, -1n, analysis.recordCount, this.afterAppend(analysis.recordCount, nowMs));
  }

  private appendInfo(firstOffset: bigint, lastOffset: bigint, logAppendTime: bigint, recordCount: number, durable: Promise<void>): LogAppendInfo {
    return { firstOffset, lastOffset, logAppendTime, logStartOffset: this.logStart, recordCount, durable };
  }

  /** Applies flush.messages and flush.ms; returns the durability promise of the append. */
  private afterAppend(recordCount: number, nowMs: number): Promise<void> {
    this.unflushedMessages += recordCount;
    const { flushMessages, flushMs } = this.configValue;
    if (this.unflushedMessages >= flushMessages || nowMs - this.lastFlushMs >= flushMs) return this.flush();
    if (flushMs < Number.MAX_SAFE_INTEGER && this.scheduler && this.flushTimer === undefined) {
      this.flushTimer = this.scheduler.schedule(flushMs, () => {
        this.flushTimer = undefined;
        this.flush().catch((err: unknown) => this.logger.error(`log ${this.dir}: scheduled flush failed`, err));
      });
    }
    return RESOLVED;
  }

  private maybeRoll(messagesBytes: number, maxTimestamp: bigint, lastOffset: bigint, nowMs: number, newBaseOffset = this.logEndOffset): LogSegment {
    const segment = this.activeSegment;
    if (segment.sizeInBytes === 0) return segment;
    const { segmentBytes, segmentMs } = this.configValue;
    const waitedMs = segment.rollingBasedTimestamp !== undefined ? Number(maxTimestamp - segment.rollingBasedTimestamp) : nowMs - segment.createdMs;
    if (
      segment.sizeInBytes > segmentBytes - messagesBytes ||
      waitedMs > segmentMs - this.rollJitterMs(segment) ||
      segment.indexesFull() ||
      lastOffset - segment.baseOffset > MAX_RELATIVE_OFFSET
    ) {
      return this.roll(newBaseOffset);
    }
    return segment;
  }

  /** Deterministic per-segment jitter in [0, segment.jitter.ms), so reruns roll alike. */
  private rollJitterMs(segment: LogSegment): number {
    const jitterMs = this.configValue.segmentJitterMs;
    if (jitterMs <= 0) return 0;
    return Number((segment.baseOffset * 2654435761n) % BigInt(Math.min(jitterMs, Number.MAX_SAFE_INTEGER)));
  }

  /** Starts a new active segment at `baseOffset` (the log end offset) and fsyncs the old one in the background. */
  roll(baseOffset = this.logEndOffset): LogSegment {
    const previous = this.activeSegment;
    if (previous.sizeInBytes === 0 && previous.baseOffset === baseOffset) return previous;
    previous.onBecomeInactive();
    const segment = LogSegment.create(this.dir, baseOffset, this.settings(), this.time.milliseconds());
    this.segments.push(segment);
    this.dirNeedsSync = true;
    this.flush().catch((err: unknown) => this.logger.error(`log ${this.dir}: flush after roll failed`, err));
    return segment;
  }

  /**
   * Stored batch bytes from `startOffset` (the whole batch holding it), at most
   * `maxBytes` of whole batches unless `minOneMessage` lets a larger first batch
   * through, none at or past `maxOffset` (the high watermark for consumers).
   */
  read(startOffset: bigint, maxBytes: number, options: ReadOptions = { minOneMessage: true }): FetchDataInfo {
    const logEndOffset = this.logEndOffset;
    if (startOffset < this.logStart || startOffset > logEndOffset) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `offset ${startOffset} is outside the log's range [${this.logStart}, ${logEndOffset}] in ${this.dir}`);
    }
    const { maxOffset, minOneMessage, buffer } = options;
    if (startOffset < logEndOffset && (maxOffset === undefined || startOffset < maxOffset)) {
      for (let i = this.segmentIndexFor(startOffset); i < this.segments.length; i++) {
        const segment = this.segments.get(i);
        const found = segment.read(startOffset, maxBytes, maxOffset, minOneMessage, this.scratch, buffer);
        if (found !== undefined) return this.fetchData(startOffset, segment, found.position, found.records);
      }
    }
    return this.fetchData(startOffset, this.activeSegment, this.activeSegment.sizeInBytes, EMPTY_RECORDS);
  }

  private fetchData(offset: bigint, segment: LogSegment, position: number, records: Buffer): FetchDataInfo {
    return {
      fetchOffsetMetadata: { messageOffset: offset, segmentBaseOffset: segment.baseOffset, relativePositionInSegment: position },
      records, highWatermark: this.hw, logStartOffset: this.logStart, logEndOffset: this.logEndOffset,
    };
  }

  /**
   * The earliest offset whose record timestamp is >= `timestamp` (Kafka's ListOffsets),
   * with LATEST_TIMESTAMP / EARLIEST_TIMESTAMP meaning the log end / start. Undefined
   * when every record is older. Decodes only the one batch the time index points to.
   */
  offsetForTimestamp(timestamp: bigint): TimestampAndOffset | undefined {
    if (timestamp === LATEST_TIMESTAMP) return { timestamp: -1n, offset: this.logEndOffset };
    if (timestamp === EARLIEST_TIMESTAMP) return { timestamp: -1n, offset: this.logStart };
    for (let i = 0; i < this.segments.length; i++) {
      if (this.segments.largestTimestamp(i) < timestamp || this.segments.nextOffset(i) <= this.logStart) continue;
      const segment = this.segments.get(i);
      const startOffset = segment.baseOffset > this.logStart ? segment.baseOffset : this.logStart;
      const location = segment.findBatchByTimestamp(timestamp, startOffset, this.scratch);
      if (location === undefined) continue;
      const batch = decodeRecordBatch(segment.readBatch(location), 0, { verifyCrc: false });
      for (const record of batch.records) {
        if (record.offset >= startOffset && record.timestamp >= timestamp) return { timestamp: record.timestamp, offset: record.offset };
      }
    }
    return undefined;
  }

  /** Index in `segments` of the segment holding `offset` (the last with baseOffset <= it). */
  private segmentIndexFor(offset: bigint): number {
    return this.segments.indexFor(offset);
  }

  private segmentBaseFor(offset: bigint): bigint {
    return this.segments.baseOffset(this.segments.indexFor(offset));
  }

  /**
   * Removes everything from `offset` on (a follower diverged from its leader). Batches
   * are not split: the log end becomes the base offset of the batch holding `offset`.
   * The cut is fsynced before returning, so a crash cannot resurrect removed batches.
   */
  truncateTo(offset: bigint): void {
    this.ensureOpen();
    if (offset >= this.logEndOffset) return;
    if (offset <= this.segments.baseOffset(0)) {
      this.truncateFullyAndStartAt(offset);
      return;
    }
    const keep = this.segmentIndexFor(offset);
    for (const removed of this.segments.splice(keep + 1)) this.retire(removed);
    this.activeSegment.truncateTo(offset, this.scratch);
    this.afterTruncation();
  }

  /** Deletes every segment and starts an empty log at `offset` (a replica far behind its leader's log start). */
  truncateFullyAndStartAt(offset: bigint): void {
    this.ensureOpen();
    for (const removed of this.segments.splice(0)) this.retire(removed);
    this.segments.push(LogSegment.create(this.dir, offset, this.settings(), this.time.milliseconds()));
    this.logStart = offset;
    this.afterTruncation();
  }

  private afterTruncation(): void {
    const end = this.logEndOffset;
    if (this.hw > end) this.hw = end;
    if (this.recoveryPointOffset > end) this.recoveryPointOffset = end;
    if (this.logStart > end) this.logStart = end;
    this.checkpointedRecoverySegment = this.segmentBaseFor(this.recoveryPointOffset);
    syncDirectory(this.dir);
    writeCheckpoint(this.dir, { logStartOffset: this.logStart, recoveryPoint: this.recoveryPointOffset }, true);
  }

  /**
   * Moves the log start offset forward (DeleteRecords): offsets below it stop being
   * readable at once, whole segments below it are deleted, and the new start offset is
   * synced to the checkpoint before returning. It may not pass the high watermark.
   */
  deleteRecordsBefore(offset: bigint): bigint {
    this.ensureOpen();
    if (offset > this.hw) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `cannot move the log start offset to ${offset}, past the high watermark ${this.hw}`);
    }
    if (offset <= this.logStart) return this.logStart;
    this.logStart = offset;
    writeCheckpoint(this.dir, { logStartOffset: this.logStart, recoveryPoint: this.recoveryPointOffset }, true);
    this.deleteOldSegments();
    return this.logStart;
  }

  /**
   * One retention pass (the broker calls it periodically): deletes whole segments, oldest
   * first, that are below the log start offset or, with cleanup.policy delete, older
   * than retention.ms or beyond retention.bytes; never the active segment and never one
   * holding offsets at or past the high watermark. Returns how many were deleted.
   */
  deleteOldSegments(): number {
    this.ensureOpen();
    const count = selectSegmentsToDelete(this.segments, this.configValue, this.time.milliseconds(), this.logStart, this.hw);
    if (count === 0) return 0;
    for (const removed of this.segments.splice(0, count)) this.retire(removed);
    if (this.logStart < this.segments.baseOffset(0)) this.logStart = this.segments.baseOffset(0);
    writeCheckpoint(this.dir, { logStartOffset: this.logStart, recoveryPoint: this.recoveryPointOffset }, false);
    this.dirNeedsSync = true;
    return count;
  }

  private retire(segment: LogSegment): void {
    segment.unlinkFiles();
    if (this.groupCommit.busy) this.closeAfterFlush.push(segment);
    else segment.close();
  }

  private closeRetired(): void {
    for (const segment of this.closeAfterFlush.splice(0)) segment.close();
  }

  /** fdatasync of everything appended so far; concurrent calls share one (group commit). */
  flush(): Promise<void> {
    this.unflushedMessages = 0;
    this.lastFlushMs = this.time.milliseconds();
    return this.groupCommit.request();
  }

  /** For brokers without a Scheduler: flushes if flush.ms has passed since the last flush. */
  flushIfDue(): Promise<void> {
    const due = this.unflushedMessages > 0 && this.time.milliseconds() - this.lastFlushMs >= this.configValue.flushMs;
    return due ? this.flush() : RESOLVED;
  }

  private async flushDirtySegments(): Promise<void> {
    const target = this.logEndOffset;
    const active = this.activeSegment;
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
    const end = this.logEndOffset;
    const flushed = target < end ? target : end;
    if (flushed > this.recoveryPointOffset) this.recoveryPointOffset = flushed;
    const recoverySegment = this.segmentBaseFor(this.recoveryPointOffset);
    if (recoverySegment !== this.checkpointedRecoverySegment && !this.closed) {
      // Only worth a write when recovery would now start from a later segment.
      this.checkpointedRecoverySegment = recoverySegment;
      writeCheckpoint(this.dir, { logStartOffset: this.logStart, recoveryPoint: this.recoveryPointOffset }, false);
    }
  }

  /**
   * Flushes everything, writes the checkpoint and the clean-shutdown manifest (so the
   * next open reads no segment), and closes every file. The log is unusable afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flushTimer?.cancel();
    await this.groupCommit.idle();
    this.closeRetired();
    for (const segment of this.segments.materialized()) segment.flushSync();
    const logEndOffset = this.logEndOffset;
    writeCheckpoint(this.dir, { logStartOffset: this.logStart, recoveryPoint: logEndOffset }, true);
    writeManifest(this.dir, { logStartOffset: this.logStart, recoveryPoint: logEndOffset }, this.segments.toRows());
    syncDirectory(this.dir);
    for (const segment of this.segments.materialized()) segment.close();
  }

  private ensureOpen(): void {
    if (this.closed) throw new KafkaError('KAFKA_STORAGE_ERROR', `log ${this.dir} is closed`);
  }
}
