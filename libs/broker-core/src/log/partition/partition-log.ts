import { KafkaError } from '../../errors.js';
import { SystemTime, type Time } from '../../time.js';
import { MAX_RECORD_OFFSET, MAX_SAFE_INT64 } from '../batch/batch-header.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../config/log-config.js';
import { SILENT_STORAGE_LOGGER, type StorageLogger } from '../logger.js';
import { assignBatchEpochs } from '../epoch/batch-epochs.js';
import { loadLeaderEpochCache } from '../epoch/epoch-cache-loader.js';
import type { LeaderEpochCache } from '../epoch/leader-epoch-cache.js';
import { EMPTY_RECORDS, LogSegment, type SegmentSettings } from '../segment/log-segment.js';
import type { OpenFiles } from '../segment/open-files.js';
import type { CleaningOptions, LogCleaning } from '../cleaner/log-cleaning.js';
import { LogCompaction } from '../cleaner/log-compaction.js';
import type { OffsetMap } from '../cleaner/offset-map.js';
import { AppendAnalysis, CLOCK_NOT_READ, analyzeRecords, assignOffsets, clockNeededBy } from './append-validator.js';
import { writeCheckpoint, writeManifest } from './log-files.js';
import { LogFlusher } from './log-flusher.js';
import { LogProducerState } from '../producer/log-producer-state.js';
import type { ProducerAppend } from '../producer/producer-append.js';
import { loadLog } from './log-loader.js';
import { findOffsetForTimestamp, findOffsetOfMaxTimestamp, readSegments } from './log-reads.js';
import { selectSegmentsToDelete } from './retention.js';
import { shouldRoll } from './roll-policy.js';
import type { SegmentList } from './segment-list.js';
import type {
  AbortedTxn, AppendOrigin, FetchDataInfo, LeaderEpochEndOffset, LeaderEpochEntry, LogAppendInfo, LogCleanability, PartitionLogOptions, ProducerStateInfo, ReadOptions,
  SegmentInfo, TimestampAndOffset,
} from './types.js';

const SCAN_SCRATCH_BYTES = 8 * 1024;
const RESOLVED: Promise<void> = Promise.resolve();
const DEFAULT_READ_OPTIONS: ReadOptions = Object.freeze({ minOneMessage: true });
const MAX_SAFE_OFFSET = BigInt(MAX_SAFE_INT64);
/** Kafka's producer.id.expiration.ms default: one day. */
const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000;
/** ListOffsets' special timestamps. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;
/** ListOffsets v7+ (KIP-734): the offset of the largest timestamp in the log. */
export const MAX_TIMESTAMP = -3n;

/**
 * The log of one partition replica: a directory `<topic>-<partition>` of segments (see
 * LogSegment) with the active segment last, plus `log-offsets-checkpoint` and, between a
 * clean close and the next open, the `.clean-shutdown` manifest (see log-files.ts), and
 * `leader-epoch-checkpoint` (see LeaderEpochCache).
 *
 * Offsets: [logStartOffset, logEndOffset) is readable; highWatermark (set by the
 * replication layer, kept <= logEndOffset) bounds retention; recoveryPoint is the
 * offset below which everything has been fsynced.
 *
 * Leader epochs: the cache maps each epoch to its first offset and follows the log:
 * appends add epochs (checked against the cached latest epoch, no allocation per
 * append), truncations cut it from the end, moves of the log start from the start. Its
 * file is written before the batches of a new epoch, and opening cuts it to the log, so
 * after a crash it never names an epoch the log lost.
 *
 * Offsets and timestamps are bigint at the public methods (Kafka's int64) and JS
 * numbers inside, exact up to 2^53 - 1 (bigint arithmetic costs 10-70 ns per operation
 * and allocates). Nothing beyond is used silently: appends past offset 2^53 - 2 fail
 * with OFFSET_OUT_OF_RANGE, validation and recovery reject batches beyond the bound,
 * and bigint arguments are compared through Number(), whose rounding keeps their order
 * (see "Offsets and timestamps inside the log" in docs/storage.md).
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
 *
 * Compaction (cleanup.policy compact): `cleanability` says where the dirty section is,
 * `beginCleaning` starts a pass that the LogCleaner steps through in slices between
 * which appends and reads go on (see LogCleaning); truncation, segment deletion and
 * close abort a pass under way. `cleaner-offset-checkpoint` holds where the dirty
 * section starts (see CleanerCheckpoint).
 *
 * Producers and transactions (see LogProducerState): batches with a producer id are
 * checked against the producer's state (epoch, sequence, duplicates, transaction) before
 * anything is written, and the state is updated only after the write; transaction
 * markers close transactions, ABORTs go to the segment's `.txnindex`. The last stable
 * offset is min(first unstable offset, high watermark). Producer state is snapshotted
 * at each roll and at close (`<offset>.snapshot`) and rebuilt from the newest snapshot
 * plus a header replay at open and after truncation. Batches without a producer id cost
 * one integer read each.
 */
export class PartitionLog {
  private readonly segments: SegmentList;
  private readonly time: Time;
  private readonly logger: StorageLogger;
  private readonly scratch = Buffer.allocUnsafe(SCAN_SCRATCH_BYTES);
  private readonly flusher: LogFlusher;
  private readonly epochs: LeaderEpochCache;
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
  private readonly compaction: LogCompaction;
  private readonly producers: LogProducerState;
  private readonly producerIdExpirationMs: number;
  readonly hadCleanShutdown: boolean;
  private readonly openFiles: OpenFiles | undefined;

  private constructor(readonly dir: string, options: PartitionLogOptions) {
    this.openFiles = options.openFiles;
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
    this.epochs = loadLeaderEpochCache(dir, this.segments, this.logStart, this.logger);
    this.producerIdExpirationMs = options.producerIdExpirationMs ?? DEFAULT_PRODUCER_ID_EXPIRATION_MS;
    this.producers = new LogProducerState({ dir, segments: this.segments, logger: this.logger, expirationMs: this.producerIdExpirationMs, scratch: this.scratch });
    this.producers.load(this.logStart, this.segments.last().nextOffset, loaded.firstRecoveredOffset, this.time.milliseconds());
    this.compaction = new LogCompaction({
      dir, segments: this.segments, time: this.time, logger: this.logger, scratch: this.scratch,
      config: () => this.configValue, settings: () => this.settings(), logStartOffset: () => this.logStart, highWatermark: () => this.hw,
      firstUnstableOffset: () => this.producers.manager.firstUnstableOffset(),
      retire: (segment) => this.flusher.closeWhenIdle(segment),
    });
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
    this.producers.manager.onHighWatermark(this.hw);
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
      lastModifiedMs: s.lastModifiedMs,
    }));
  }

  private get activeSegment(): LogSegment { return this.segments.last(); }

  /** Every move of the log start goes through here, so the epoch cache follows it. */
  private setLogStart(offset: number): void {
    this.logStart = offset;
    this.logStartBigint = BigInt(offset);
    this.epochs.truncateFromStart(offset);
    this.producers.onLogStartMoved(offset);
  }

  private settings(): SegmentSettings {
    return { indexIntervalBytes: this.configValue.indexIntervalBytes, segmentIndexBytes: this.configValue.segmentIndexBytes, openFiles: this.openFiles };
  }

  /**
   * Appends a produce request's records (one or more concatenated batches) as leader:
   * validates all of them first (the log is unchanged on any error), then assigns
   * offsets and the leader epoch in place in `records`, stamps LogAppendTime if the
   * topic says so, and writes them with one syscall. A leader epoch (>= 0) new to the
   * epoch cache is recorded there, starting at the first offset, before the write.
   *
   * Batches with a producer id are validated against producer state by `origin`
   * (default 'client'; see prepareProducerAppend): INVALID_PRODUCER_EPOCH,
   * OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_TXN_STATE, TRANSACTION_COORDINATOR_FENCED.
   * A client batch repeating one of its producer's last five is not written: the
   * answer has `duplicate: true` and the original's offsets (with other batches in the
   * same append, DUPLICATE_SEQUENCE_NUMBER). Control batches only come from 'coordinator'.
   */
  append(records: Buffer, options?: { leaderEpoch?: number; origin?: AppendOrigin }): LogAppendInfo {
    this.ensureOpen();
    const nowMs = this.appendsReadClock ? this.time.milliseconds() : CLOCK_NOT_READ;
    const config = this.configValue;
    const analysis = analyzeRecords(records, config, nowMs, true, this.analysis);
    const firstOffset = this.segments.last().nextOffset;
    if (analysis.batchCount === 0) return this.appendInfo(firstOffset, firstOffset - 1, -1, 0, RESOLVED);
    const origin = options?.origin ?? 'client';
    if (analysis.controlBatchCount > 0 && origin === 'client') throw new KafkaError('INVALID_RECORD', 'clients may not write control records');
    let producerAppend: ProducerAppend | undefined;
    if (analysis.producerBatchCount > 0) {
      producerAppend = this.producers.prepare(records, firstOffset, origin);
      if (producerAppend.duplicate !== undefined) return this.duplicateInfo(producerAppend, analysis.batchCount);
    }
    // Parenthesised: first + count could round before the - 1; this sum cannot (a
    // result past 2^53 - 1 stays past it, so the check below sees it).
    const lastOffset = firstOffset + (analysis.offsetCount - 1);
    if (lastOffset > MAX_RECORD_OFFSET) {
      throw new KafkaError('OFFSET_OUT_OF_RANGE', `appending ${analysis.offsetCount} offsets at ${firstOffset} would pass 2^53 - 2, the largest offset this log assigns`);
    }
    const recordCount = analysis.recordCount;
    const leaderEpoch = options?.leaderEpoch ?? -1;
    if (leaderEpoch >= 0 && this.epochs.needsUpdate(leaderEpoch, firstOffset)) this.epochs.assign(leaderEpoch, firstOffset);
    const segment = this.maybeRoll(records.length, analysis.maxTimestamp, lastOffset, firstOffset);
    const logAppendTime = config.messageTimestampType === 'LogAppendTime' ? nowMs : undefined;
    assignOffsets(records, firstOffset, leaderEpoch, logAppendTime);
    segment.append(records);
    if (producerAppend !== undefined) this.producers.apply(producerAppend, segment);
    return this.appendInfo(firstOffset, lastOffset, logAppendTime ?? -1, recordCount, this.flusher.afterAppend(recordCount, nowMs, config));
  }

  /**
   * Appends batches fetched from the leader, keeping their offsets, epochs and
   * timestamps; each batch's epoch new to the epoch cache is recorded at its base offset.
   */
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
    // Kafka's REPLICATION origin: state follows the leader's batches without checks.
    const producerAppend = analysis.producerBatchCount > 0 ? this.producers.prepare(records, undefined, 'replication') : undefined;
    assignBatchEpochs(this.epochs, records);
    const segment = this.maybeRoll(records.length, analysis.maxTimestamp, lastOffset, firstOffset);
    segment.append(records);
    if (producerAppend !== undefined) this.producers.apply(producerAppend, segment);
    return this.appendInfo(firstOffset, lastOffset, -1, recordCount, this.flusher.afterAppend(recordCount, nowMs, this.configValue));
  }

  /** The public result, in bigint: the only conversions an append makes. */
  private appendInfo(firstOffset: number, lastOffset: number, logAppendTime: number, recordCount: number, durable: Promise<void>): LogAppendInfo {
    return {
      firstOffset: BigInt(firstOffset), lastOffset: BigInt(lastOffset), logAppendTime: logAppendTime === -1 ? -1n : BigInt(logAppendTime),
      logStartOffset: this.logStartBigint, recordCount, durable,
    };
  }

  /** The answer to a retried batch the log already holds (see append). */
  private duplicateInfo(producerAppend: ProducerAppend, batchCount: number): LogAppendInfo {
    const original = producerAppend.duplicate!;
    if (batchCount > 1) {
      throw new KafkaError('DUPLICATE_SEQUENCE_NUMBER', `a batch of this append repeats sequences ${original.firstSeq}..${original.lastSeq} written at offset ${original.firstOffset}`);
    }
    const logAppendTime = this.configValue.messageTimestampType === 'LogAppendTime' ? original.timestamp : -1;
    return { ...this.appendInfo(original.firstOffset, original.lastOffset, logAppendTime, 0, RESOLVED), duplicate: true };
  }

  private maybeRoll(messagesBytes: number, maxTimestamp: number, lastOffset: number, newBaseOffset: number): LogSegment {
    const segment = this.segments.last();
    return shouldRoll(segment, this.configValue, this.time, messagesBytes, maxTimestamp, lastOffset) ? this.rollAt(newBaseOffset) : segment;
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
    const nowMs = this.time.milliseconds();
    previous.onBecomeInactive();
    previous.lastModifiedMs = nowMs;
    this.producers.onRoll(baseOffset);
    const segment = LogSegment.create(this.dir, baseOffset, this.settings(), nowMs);
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
    if (timestamp === MAX_TIMESTAMP) return findOffsetOfMaxTimestamp(this.segments, this.logStart);
    return findOffsetForTimestamp(this.segments, this.logStart, timestamp, this.scratch);
  }

  /** The latest epoch in the leader epoch cache, -1 when it is empty. */
  get latestEpoch(): number {
    return this.epochs.latestEpoch;
  }

  /**
   * OffsetForLeaderEpoch against this replica: the largest epoch <= `epoch` and the
   * offset where it ended (the next epoch's start, or the log end offset for the latest
   * epoch), with Kafka's answers for the edge cases (see LeaderEpochCache.endOffsetFor).
   */
  endOffsetForEpoch(epoch: number): LeaderEpochEndOffset {
    const found = this.epochs.endOffsetFor(epoch, this.segments.last().nextOffset);
    return { leaderEpoch: found.leaderEpoch, endOffset: BigInt(found.endOffset) };
  }

  /** The leader epoch cache, oldest epoch first. */
  leaderEpochEntries(): LeaderEpochEntry[] {
    return this.epochs.entries().map((e) => ({ epoch: e.epoch, startOffset: BigInt(e.startOffset) }));
  }

  /** The start offset of `epoch` in the epoch cache, undefined when it has no entry. */
  leaderEpochStartOffset(epoch: number): bigint | undefined {
    const entry = this.epochs.entry(epoch);
    return entry === undefined ? undefined : BigInt(entry.startOffset);
  }

  /**
   * Kafka's makeLeader step: `leaderEpoch` starts at the log end offset (under the
   * cache's rules, so an epoch already known is left alone). Called before the new
   * leader takes appends, so that a follower asking for an older epoch learns where it
   * ended even before anything was written in the new one (KIP-279).
   */
  assignLeaderEpoch(leaderEpoch: number): void {
    this.ensureOpen();
    const active = this.segments.last();
    // An empty log's epoch is written without fsync (one fewer per partition created):
    // lost in a crash, the open finds no entry and rebuilds it from the batches written
    // since, which carry their epoch.
    const empty = this.segments.length === 1 && active.sizeInBytes === 0;
    if (this.epochs.assign(leaderEpoch, active.nextOffset, false)) this.epochs.flush(!empty);
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
    this.abortCleaning();
    if (target <= this.segments.baseOffset(0)) {
      this.truncateFullyAndStartAt(offset);
      return;
    }
    const keep = this.segments.indexFor(target);
    for (const removed of this.segments.splice(keep + 1)) this.flusher.retire(removed);
    this.activeSegment.truncateTo(target, this.scratch);
    this.afterTruncation();
    this.producers.onTruncate(this.logStart, this.segments.last().nextOffset, this.time.milliseconds());
  }

  /**
   * Deletes every segment and starts an empty log at `offset` (a replica far behind its
   * leader's log start); the epoch cache is emptied with it.
   */
  truncateFullyAndStartAt(offset: bigint): void {
    this.ensureOpen();
    const start = offsetArgument(offset);
    this.abortCleaning();
    for (const removed of this.segments.splice(0)) this.flusher.retire(removed);
    this.segments.push(LogSegment.create(this.dir, start, this.settings(), this.time.milliseconds()));
    // After the segments, as Kafka orders it. A crash in between leaves, once opening has
    // cut the cache to the log, at most one entry at `start`, which the next epoch
    // assigned there replaces.
    this.epochs.clearAndFlush();
    this.producers.onTruncateFully();
    this.setLogStart(start);
    this.afterTruncation();
  }

  private afterTruncation(): void {
    const end = this.segments.last().nextOffset;
    this.compaction.truncatedTo(end);
    this.epochs.truncateFromEnd(end);
    if (this.hw > end) this.hw = end;
    if (this.logStart > end) this.setLogStart(end);
    this.flusher.truncatedTo(end);
    // Synced with the directory, so removed segment files stay removed too.
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
    this.abortCleaning();
    for (const removed of this.segments.splice(0, count)) this.flusher.retire(removed);
    if (this.logStart < this.segments.baseOffset(0)) this.setLogStart(this.segments.baseOffset(0));
    this.writeCheckpoint(false);
    this.flusher.markDirectoryChanged();
    return count;
  }

  /**
   * Where compaction stands (Kafka's LogCleanerManager.cleanableOffsets and dirty ratio,
   * see cleanableRange). Reads the cleaner checkpoint on first use.
   */
  cleanability(): LogCleanability {
    this.ensureOpen();
    return this.compaction.cleanability();
  }

  /**
   * Starts a compaction pass over the dirty section with `map` (cleared first, and used by
   * the pass until it ends), whatever the dirty ratio: undefined when the policy is not
   * compact or nothing is cleanable. The caller steps it (LogCleaning.step) to the end.
   */
  beginCleaning(map: OffsetMap, options?: CleaningOptions): LogCleaning | undefined {
    this.ensureOpen();
    return this.compaction.begin(map, options);
  }

  /** Stops a cleaning pass under way, if any: no segment it has not swapped in yet changes. */
  abortCleaning(): void {
    this.compaction.abort();
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
    this.abortCleaning();
    await this.flusher.stop();
    for (const segment of this.segments.materialized()) segment.flushSync();
    const logEndOffset = this.segments.last().nextOffset;
    this.producers.close(logEndOffset);
    writeCheckpoint(this.dir, { logStartOffset: this.logStart, recoveryPoint: logEndOffset }, true);
    writeManifest(this.dir, { logStartOffset: this.logStart, recoveryPoint: logEndOffset }, this.segments.toRows());
    for (const segment of this.segments.materialized()) segment.close();
  }

  /** First offset of the oldest transaction not yet stable (open, or its marker not yet below the high watermark). */
  get firstUnstableOffset(): bigint | undefined {
    const first = this.producers.manager.firstUnstableOffset();
    return first === undefined ? undefined : BigInt(first < this.logStart ? this.logStart : first);
  }

  /** What read_committed consumers may read up to: min(first unstable offset, high watermark). */
  get lastStableOffset(): bigint {
    const first = this.producers.manager.firstUnstableOffset();
    if (first === undefined || first >= this.hw) return BigInt(this.hw);
    return BigInt(first < this.logStart ? this.logStart : first);
  }

  /** Aborted transactions overlapping [startOffset, upperBoundOffset), from the `.txnindex` files (read_committed fetch). */
  collectAbortedTransactions(startOffset: bigint, upperBoundOffset: bigint): AbortedTxn[] {
    return this.producers.collectAbortedTransactions(Number(startOffset), Number(upperBoundOffset));
  }

  /** DescribeProducers: every producer this partition keeps state for. */
  activeProducers(): ProducerStateInfo[] {
    return this.producers.manager.describe();
  }

  /** Forgets producers without an open transaction whose last batch is older than producer.id.expiration.ms; returns how many. */
  removeExpiredProducers(nowMs: number): number {
    return this.producers.manager.removeExpired(nowMs, this.producerIdExpirationMs);
  }

  /**
   * How many offsets in [startOffset, endOffset) are control records (markers), which no
   * consumer receives. Nothing is read for a log that never had a transaction marker;
   * otherwise batch headers are walked, at most about 64 MiB of them (the last ones: see
   * countControlRecords).
   */
  controlRecordsBetween(startOffset: bigint, endOffset: bigint): number {
    const start = Math.max(Number(startOffset), this.logStart);
    const end = Math.min(Number(endOffset), this.segments.last().nextOffset);
    return this.producers.controlRecordsBetween(start, end);
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
