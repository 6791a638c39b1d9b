import { KafkaError } from '../../errors.js';
import { SystemTime, type Time } from '../../time.js';
import { MAX_RECORD_OFFSET, MAX_SAFE_INT64 } from '../batch/batch-header.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../config/log-config.js';
import { SILENT_STORAGE_LOGGER, type StorageLogger } from '../logger.js';
import { EMPTY_RECORDS, LogSegment, type SegmentSettings } from '../segment/log-segment.js';
import { AppendAnalysis, analyzeRecords, assignOffsets } from './append-validator.js';
import { syncDirectory, writeCheckpoint, writeManifest } from './log-files.js';
import { LogFlusher } from './log-flusher.js';
import { loadLog } from './log-loader.js';
import { findOffsetForTimestamp, readSegments } from './log-reads.js';
import { selectSegmentsToDelete } from './retention.js';
import type { SegmentList } from './segment-list.js';
import type { FetchDataInfo, LogAppendInfo, PartitionLogOptions, ReadOptions, SegmentInfo, TimestampAndOffset } from './types.js';

const MAX_RELATIVE_OFFSET = 0x7fffffff;
const SCAN_SCRATCH_BYTES = 8 * 1024;
const RESOLVED: Promise<void> = Promise.resolve();
const DEFAULT_READ_OPTIONS: ReadOptions = Object.freeze({ minOneMessage: true });
const MAX_SAFE_OFFSET = BigInt(MAX_SAFE_INT64);
/**
 * The `nowMs` of an append under a config that does not use it: NaN, so that a use
 * that slipped past clockNeededBy compares false rather than as a plausible time.
 */
const CLOCK_NOT_READ = Number.NaN;

/**
 * Whether appends need the broker clock: for LogAppendTime, for
 * message.timestamp.difference.max.ms, and for flush.ms. Under the defaults they do not,
 * and skipping the read saves ~40 ns (Date.now()) per append; segment.ms is measured
 * from batch timestamps.
 */
function clockNeededBy(config: LogConfig): boolean {
  return config.messageTimestampType === 'LogAppendTime' || config.messageTimestampDifferenceMaxMs < MAX_SAFE_INT64 || config.flushMs < MAX_SAFE_INT64;
}
/** ListOffsets' special timestamps. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;
/** ListOffsets v7+ (KIP-734): the offset of the largest timestamp in the log. */
export const MAX_TIMESTAMP = -3n;

/**
 * The log of one partition replica: a directory `<topic>-<partition>` of segments (see
 * LogSegment) with the active segment last, plus `log-offsets-checkpoint` and, between a
 * clean close and the next open, the `.clean-shutdown` manifest (see log-files.ts).
 *
 * Offsets: [logStartOffset, logEndOffset) is readable; highWatermark (set by the
 * replication layer, kept <= logEndOffset) bounds retention; recoveryPoint is the
 * offset below which everything has been fsynced.
 *
 * Offsets and timestamps are bigint at the public methods (Kafka's int64) and JS
 * numbers inside: bigint arithmetic costs 10-70 ns per operation and allocates, which
 * is a large share of an append's CPU next to a 16 KiB write. Numbers are exact up to
 * 2^53 - 1, i.e. 28 years of appends at 10^7 records/s on one partition, or 285,000
 * years of millisecond timestamps. Nothing beyond is used silently: appends that would
 * pass offset 2^53 - 2 (so that the log end offset stays exact) fail with
 * OFFSET_OUT_OF_RANGE, batches with a max timestamp or (follower) offsets beyond it
 * are rejected by validation, recovery cuts such a batch like a corrupt one, and bigint
 * arguments are compared through Number(), whose rounding keeps their order against
 * every exact offset.
 *
 * I/O choice: appends and reads are synchronous positional syscalls against the page
 * cache (a 16 KiB write costs microseconds; a thread-pool hop would cost more than the
 * copy and reorder appends). fsync is the slow part, so it is asynchronous and
 * coalesced: `flush()` and the flush policy (both in LogFlusher) go through GroupCommit,
 * so appends made while an fdatasync runs share the next one. An append's `durable` promise resolves
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
  private readonly scratch = Buffer.allocUnsafe(SCAN_SCRATCH_BYTES);
  private readonly flusher: LogFlusher;
  /** Reused by every append: read before the next one starts. */
  private readonly analysis = new AppendAnalysis();
  private configValue: LogConfig;
  /** Whether appends need the clock under configValue (see clockNeededBy). */
  private appendsReadClock: boolean;
  private logStart: number;
  /** logStart as returned in every LogAppendInfo, converted when it changes. */
  private logStartBigint: bigint;
  private hw: number;
  private closed = false;
  readonly hadCleanShutdown: boolean;

  private constructor(readonly dir: string, options: PartitionLogOptions) {
    this.configValue = options.config ?? DEFAULT_LOG_CONFIG;
    this.appendsReadClock = clockNeededBy(this.configValue);
    this.time = options.time ?? SystemTime.INSTANCE;
    this.logger = options.logger ?? SILENT_STORAGE_LOGGER;
    const loaded = loadLog(dir, this.settings(), this.time.milliseconds(), this.logger);
    this.segments = loaded.segments;
    this.logStart = loaded.logStartOffset;
    this.logStartBigint = BigInt(this.logStart);
    this.hadCleanShutdown = loaded.hadCleanShutdown;
    this.hw = this.logStart;
    // After a clean open, the removed manifest's name must become durable.
    this.flusher = new LogFlusher({
      dir, segments: this.segments, time: this.time, scheduler: options.scheduler, logger: this.logger,
      logStartOffset: () => this.logStart, recoveryPoint: loaded.recoveryPoint, dirNeedsSync: loaded.hadCleanShutdown,
    });
  }

  /** Opens (creating if needed) the log in `dir`; recovers after an unclean shutdown, never throwing for bad data. */
  static open(dir: string, options: PartitionLogOptions = {}): PartitionLog {
    return new PartitionLog(dir, options);
  }

  get config(): LogConfig { return this.configValue; }
  /** Takes effect for the next append, roll and retention pass. */
  updateConfig(config: LogConfig): void {
    this.configValue = config;
    this.appendsReadClock = clockNeededBy(config);
  }
  get logStartOffset(): bigint { return this.logStartBigint; }
  get logEndOffset(): bigint { return BigInt(this.segments.last().nextOffset); }
  get recoveryPoint(): bigint { return BigInt(this.flusher.recoveryPoint); }
  get highWatermark(): bigint { return BigInt(this.hw); }
  /** Sets the high watermark, clamped to [logStartOffset, logEndOffset]; returns it. */
  updateHighWatermark(offset: bigint): bigint {
    const end = this.segments.last().nextOffset;
    const wanted = Number(offset);
    this.hw = wanted > end ? end : wanted < this.logStart ? this.logStart : wanted;
    return BigInt(this.hw);
  }
  /** Bytes in all segments. */
  get size(): number {
    let bytes = 0;
    for (let i = 0; i < this.segments.length; i++) bytes += this.segments.sizeInBytes(i);
    return bytes;
  }
  get segmentCount(): number { return this.segments.length; }
  segmentInfos(): SegmentInfo[] {
    return this.segments.all().map((s) => ({
      baseOffset: BigInt(s.baseOffset), nextOffset: BigInt(s.nextOffset), sizeInBytes: s.sizeInBytes, largestTimestamp: BigInt(s.largestTimestamp),
    }));
  }

  private get activeSegment(): LogSegment { return this.segments.last(); }

  private setLogStart(offset: number): void {
    this.logStart = offset;
    this.logStartBigint = BigInt(offset);
  }

  private settings(): SegmentSettings {
    return { indexIntervalBytes: this.configValue.indexIntervalBytes, segmentIndexBytes: this.configValue.segmentIndexBytes };
  }

  /**
   * Appends a produce request's records (one or more concatenated batches) as leader:
   * validates all of them first (the log is unchanged on any error), then assigns
   * offsets and the leader epoch in place in `records`, stamps LogAppendTime if the
   * topic says so, and writes them with one syscall.
   */
  append(records: Buffer, options?: { leaderEpoch?: number }): LogAppendInfo {
    this.ensureOpen();
    const nowMs = this.appendsReadClock ? this.time.milliseconds() : CLOCK_NOT_READ;
    const config = this.configValue;
    const analysis = analyzeRecords(records, config, nowMs, true, this.analysis);
    const firstOffset = this.segments.last().nextOffset;
    if (analysis.batchCount === 0) return this.appendInfo(firstOffset, firstOffset - 1, -1, 0, RESOLVED);
    // Parenthesised: first + count could round before the - 1; this sum cannot (a
    // result past 2^53 - 1 stays past it, so the check below sees it).
    const lastOffset = firstOffset + (analysis.offsetCount - 1);
    if (lastOffset > MAX_RECORD_OFFSET) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `appending ${analysis.offsetCount} offsets at ${firstOffset} would pass 2^53 - 2, the largest offset this log assigns`);
    }
    const recordCount = analysis.recordCount;
    const segment = this.maybeRoll(records.length, analysis.maxTimestamp, lastOffset, firstOffset);
    const logAppendTime = config.messageTimestampType === 'LogAppendTime' ? nowMs : undefined;
    assignOffsets(records, firstOffset, options?.leaderEpoch ?? -1, logAppendTime);
    segment.append(records);
    return this.appendInfo(firstOffset, lastOffset, logAppendTime ?? -1, recordCount, this.flusher.afterAppend(recordCount, nowMs, config));
  }

  /** Appends batches fetched from the leader, keeping their offsets, epochs and timestamps. */
  appendAsFollower(records: Buffer): LogAppendInfo {
    this.ensureOpen();
    const nowMs = this.appendsReadClock ? this.time.milliseconds() : CLOCK_NOT_READ;
    const analysis = analyzeRecords(records, this.configValue, nowMs, false, this.analysis);
    const logEndOffset = this.segments.last().nextOffset;
    if (analysis.batchCount === 0) return this.appendInfo(logEndOffset, logEndOffset - 1, -1, 0, RESOLVED);
    if (analysis.firstOffset < logEndOffset) {
      throw new KafkaError('INVALID_RECORD', `follower append at offset ${analysis.firstOffset} is below the log end offset ${logEndOffset}`);
    }
    const { firstOffset, lastOffset, recordCount } = analysis;
    this.maybeRoll(records.length, analysis.maxTimestamp, lastOffset, firstOffset).append(records);
    return this.appendInfo(firstOffset, lastOffset, -1, recordCount, this.flusher.afterAppend(recordCount, nowMs, this.configValue));
  }

  /** The public result, in bigint: the only conversions an append makes. */
  private appendInfo(firstOffset: number, lastOffset: number, logAppendTime: number, recordCount: number, durable: Promise<void>): LogAppendInfo {
    return {
      firstOffset: BigInt(firstOffset), lastOffset: BigInt(lastOffset), logAppendTime: logAppendTime === -1 ? -1n : BigInt(logAppendTime),
      logStartOffset: this.logStartBigint, recordCount, durable,
    };
  }

  private maybeRoll(messagesBytes: number, maxTimestamp: number, lastOffset: number, newBaseOffset: number): LogSegment {
    const segment = this.segments.last();
    if (segment.sizeInBytes === 0) return segment;
    const { segmentBytes, segmentMs } = this.configValue;
    // Only a segment restored without its rolling timestamp (an older one after recovery,
    // never the active one in practice) is timed by the clock, read here if at all.
    const waitedMs = segment.rollingBasedTimestamp !== undefined ? maxTimestamp - segment.rollingBasedTimestamp : this.time.milliseconds() - segment.createdMs;
    if (
      segment.sizeInBytes > segmentBytes - messagesBytes ||
      waitedMs > segmentMs - this.rollJitterMs(segment) ||
      segment.indexesFull() ||
      lastOffset - segment.baseOffset > MAX_RELATIVE_OFFSET
    ) {
      return this.rollAt(newBaseOffset);
    }
    return segment;
  }

  /** Deterministic per-segment jitter in [0, segment.jitter.ms), so reruns roll alike. */
  private rollJitterMs(segment: LogSegment): number {
    const jitterMs = this.configValue.segmentJitterMs;
    if (jitterMs <= 0) return 0;
    // In bigint: the product passes 2^53. Only with segment.jitter.ms set.
    return Number((BigInt(segment.baseOffset) * 2654435761n) % BigInt(Math.min(jitterMs, Number.MAX_SAFE_INTEGER)));
  }

  /**
   * Starts a new active segment at `baseOffset` (default and normally the log end
   * offset) and fsyncs the old one in the background.
   */
  roll(baseOffset?: bigint): LogSegment {
    return this.rollAt(baseOffset === undefined ? this.segments.last().nextOffset : offsetArgument(baseOffset));
  }

  private rollAt(baseOffset: number): LogSegment {
    const previous = this.activeSegment;
    if (previous.sizeInBytes === 0 && previous.baseOffset === baseOffset) return previous;
    previous.onBecomeInactive();
    const segment = LogSegment.create(this.dir, baseOffset, this.settings(), this.time.milliseconds());
    this.segments.push(segment);
    this.flusher.markDirectoryChanged();
    this.flush().catch((err: unknown) => this.logger.error(`log ${this.dir}: flush after roll failed`, err));
    return segment;
  }

  /**
   * Stored batch bytes from `startOffset` (the whole batch holding it), at most
   * `maxBytes` of whole batches unless `minOneMessage` lets a larger first batch
   * through, none at or past `maxOffset` (the high watermark for consumers).
   */
  read(startOffset: bigint, maxBytes: number, options: ReadOptions = DEFAULT_READ_OPTIONS): FetchDataInfo {
    const logEndOffset = this.segments.last().nextOffset;
    const start = Number(startOffset);
    if (start < this.logStart || start > logEndOffset) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `offset ${startOffset} is outside the log's range [${this.logStart}, ${logEndOffset}] in ${this.dir}`);
    }
    const { minOneMessage, buffer } = options;
    const maxOffset = options.maxOffset === undefined ? undefined : Number(options.maxOffset);
    if (start < logEndOffset && (maxOffset === undefined || start < maxOffset)) {
      const found = readSegments(this.segments, start, maxBytes, maxOffset, minOneMessage, this.scratch, buffer);
      if (found !== undefined) return this.fetchData(startOffset, found.segment, found.position, found.records);
    }
    return this.fetchData(startOffset, this.activeSegment, this.activeSegment.sizeInBytes, EMPTY_RECORDS);
  }

  private fetchData(offset: bigint, segment: LogSegment, position: number, records: Buffer): FetchDataInfo {
    return {
      fetchOffsetMetadata: { messageOffset: offset, segmentBaseOffset: BigInt(segment.baseOffset), relativePositionInSegment: position },
      records, highWatermark: BigInt(this.hw), logStartOffset: this.logStartBigint, logEndOffset: BigInt(this.segments.last().nextOffset),
    };
  }

  /**
   * The earliest offset whose record timestamp is >= `timestamp` (Kafka's ListOffsets),
   * with LATEST_TIMESTAMP / EARLIEST_TIMESTAMP meaning the log end / start. Undefined
   * when every record is older. Decodes only the one batch the time index points to.
   */
  offsetForTimestamp(timestamp: bigint): TimestampAndOffset | undefined {
    if (timestamp === LATEST_TIMESTAMP) return { timestamp: -1n, offset: this.logEndOffset };
    if (timestamp === EARLIEST_TIMESTAMP) return { timestamp: -1n, offset: this.logStartBigint };
    if (timestamp === MAX_TIMESTAMP) return this.offsetOfMaxTimestamp();
    return findOffsetForTimestamp(this.segments, this.logStart, timestamp, this.scratch);
  }

  /**
   * The largest timestamp in the log and the offset it was recorded at (the last offset
   * of its batch, as segments track it); the earliest such segment wins a tie. Undefined
   * for an empty log.
   */
  private offsetOfMaxTimestamp(): TimestampAndOffset | undefined {
    let best = -1;
    for (let i = 0; i < this.segments.length; i++) {
      if (this.segments.nextOffset(i) <= this.logStart || this.segments.nextOffset(i) === this.segments.baseOffset(i)) continue;
      if (best < 0 || this.segments.largestTimestamp(i) > this.segments.largestTimestamp(best)) best = i;
    }
    if (best < 0) return undefined;
    const offset = Math.max(this.segments.offsetOfLargestTimestamp(best), this.logStart);
    return { timestamp: BigInt(this.segments.largestTimestamp(best)), offset: BigInt(offset) };
  }

  /**
   * Removes everything from `offset` on (a follower diverged from its leader). Batches
   * are not split: the log end becomes the base offset of the batch holding `offset`.
   * The cut is fsynced before returning, so a crash cannot resurrect removed batches.
   */
  truncateTo(offset: bigint): void {
    this.ensureOpen();
    const target = Number(offset);
    if (target >= this.segments.last().nextOffset) return;
    if (target <= this.segments.baseOffset(0)) {
      this.truncateFullyAndStartAt(offset);
      return;
    }
    const keep = this.segments.indexFor(target);
    for (const removed of this.segments.splice(keep + 1)) this.flusher.retire(removed);
    this.activeSegment.truncateTo(target, this.scratch);
    this.afterTruncation();
  }

  /** Deletes every segment and starts an empty log at `offset` (a replica far behind its leader's log start). */
  truncateFullyAndStartAt(offset: bigint): void {
    this.ensureOpen();
    const start = offsetArgument(offset);
    for (const removed of this.segments.splice(0)) this.flusher.retire(removed);
    this.segments.push(LogSegment.create(this.dir, start, this.settings(), this.time.milliseconds()));
    this.setLogStart(start);
    this.afterTruncation();
  }

  private afterTruncation(): void {
    const end = this.segments.last().nextOffset;
    if (this.hw > end) this.hw = end;
    if (this.logStart > end) this.setLogStart(end);
    this.flusher.truncatedTo(end);
    syncDirectory(this.dir);
    this.writeCheckpoint(true);
  }

  /**
   * Moves the log start offset forward (DeleteRecords): offsets below it stop being
   * readable at once, whole segments below it are deleted, and the new start offset is
   * synced to the checkpoint before returning. It may not pass the high watermark.
   */
  deleteRecordsBefore(offset: bigint): bigint {
    this.ensureOpen();
    const target = Number(offset);
    if (target > this.hw) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `cannot move the log start offset to ${offset}, past the high watermark ${this.hw}`);
    }
    if (target <= this.logStart) return this.logStartBigint;
    this.setLogStart(target);
    this.writeCheckpoint(true);
    this.deleteOldSegments();
    return this.logStartBigint;
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
    for (const removed of this.segments.splice(0, count)) this.flusher.retire(removed);
    if (this.logStart < this.segments.baseOffset(0)) this.setLogStart(this.segments.baseOffset(0));
    this.writeCheckpoint(false);
    this.flusher.markDirectoryChanged();
    return count;
  }

  private writeCheckpoint(sync: boolean): void {
    writeCheckpoint(this.dir, { logStartOffset: this.logStart, recoveryPoint: this.flusher.recoveryPoint }, sync);
  }

  /** fdatasync of everything appended so far; concurrent calls share one (group commit). */
  flush(): Promise<void> {
    return this.flusher.flush();
  }

  /** For brokers without a Scheduler: flushes if flush.ms has passed since the last flush. */
  flushIfDue(): Promise<void> {
    return this.flusher.flushIfDue(this.configValue);
  }

  /**
   * Flushes everything, writes the checkpoint and the clean-shutdown manifest (so the
   * next open reads no segment), and closes every file. The log is unusable afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flusher.stop();
    for (const segment of this.segments.materialized()) segment.flushSync();
    const logEndOffset = this.segments.last().nextOffset;
    writeCheckpoint(this.dir, { logStartOffset: this.logStart, recoveryPoint: logEndOffset }, true);
    writeManifest(this.dir, { logStartOffset: this.logStart, recoveryPoint: logEndOffset }, this.segments.toRows());
    syncDirectory(this.dir);
    for (const segment of this.segments.materialized()) segment.close();
  }

  private ensureOpen(): void {
    if (this.closed) throw new KafkaError('KAFKA_STORAGE_ERROR', `log ${this.dir} is closed`);
  }
}

/** An offset argument that becomes a segment base or log start: in [0, 2^53 - 1] or rejected. */
function offsetArgument(offset: bigint): number {
  if (offset < 0n || offset > MAX_SAFE_OFFSET) {
    throw new KafkaError('OFFSET_OUT_OF_RANGE', `offset ${offset} is outside [0, 2^53 - 1], the offsets this log can hold`);
  }
  return Number(offset);
}
