import { fdatasyncSync, fstatSync, ftruncateSync, rmSync, writeSync } from 'node:fs';
import {
  LAST_OFFSET_DELTA_OFFSET,
  LENGTH_OFFSET,
  LOG_OVERHEAD,
  MAX_TIMESTAMP_OFFSET,
  baseOffsetNumberAt,
  lastOffsetNumberAt,
  maxTimestampNumberAt,
} from '../batch/batch-header.js';
import { FileWindow, readFully } from './file-window.js';
import { TransactionIndex } from '../producer/transaction-index.js';
import { INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, SEGMENT_FILE_SUFFIXES, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX, segmentFilePath } from './file-names.js';
import { OffsetIndex } from './offset-index.js';
import { PROCESS_OPEN_FILES, PooledFd, type OpenFiles } from './open-files.js';
import { TimeIndex } from './time-index.js';

/** Bytes of a batch header needed to know its size, base and last offset. */
const SCAN_HEADER_BYTES = LAST_OFFSET_DELTA_OFFSET + 4;
/** Bytes needed to also know its max timestamp. */
const TIME_HEADER_BYTES = MAX_TIMESTAMP_OFFSET + 8;
export const EMPTY_RECORDS: Buffer = Buffer.alloc(0);

/**
 * What a segment knows about itself; persisted in the clean-shutdown manifest. Offsets
 * and timestamps are numbers (exact up to 2^53 - 1; see MAX_SAFE_INT64 in
 * batch-header.ts): whoever creates the state or appends checks that bound first.
 */
export interface SegmentState {
  readonly baseOffset: number;
  readonly sizeInBytes: number;
  /** One past the last offset stored; equals baseOffset when empty. */
  readonly nextOffset: number;
  /** Largest batch max timestamp, -1 when empty. */
  readonly largestTimestamp: number;
  readonly offsetOfLargestTimestamp: number;
  /** Max timestamp of the first batch: what segment.ms is measured from. */
  readonly rollingBasedTimestamp: number | undefined;
  readonly createdMs: number;
  /**
   * Kafka's segment last-modified time, from the injected clock: set when the segment is
   * created and when it stops being the active one (appends do not read the clock), and
   * carried over by the cleaner. The tombstone rule of compaction compares it.
   */
  readonly lastModifiedMs: number;
  readonly indexEntries: number;
  readonly timeIndexEntries: number;
}

export interface SegmentSettings {
  readonly indexIntervalBytes: number;
  readonly segmentIndexBytes: number;
  /** The pool that bounds open descriptors (PROCESS_OPEN_FILES unless a test brings its own). */
  readonly openFiles?: OpenFiles;
}

/** A batch found by a header scan. */
export interface BatchLocation {
  readonly position: number;
  readonly sizeInBytes: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
}

export interface SegmentRead {
  readonly position: number;
  readonly records: Buffer;
}

/**
 * One segment of a partition log: `<base>.log` holding RecordBatch v2 bytes exactly as
 * produced (baseOffset and partitionLeaderEpoch rewritten), plus its `.index` and
 * `.timeindex` (see OffsetIndex, TimeIndex), and `.txnindex` listing the aborted
 * transactions whose ABORT marker it holds (see TransactionIndex; the file exists only
 * once one was written).
 *
 * I/O: appends are positional `writeSync` calls to the page cache, one per produce
 * request; reads are positional `readSync` into a fresh Buffer sized for the fetch (no
 * per-record work: batch headers are walked in place). `flush()` is an asynchronous
 * fdatasync so that group commit does not block the event loop. File descriptors are
 * opened on first use and belong to an OpenFiles pool, which may close them between
 * calls (see PooledFd); every use goes through logFd(), which reopens.
 *
 * Invariants: the `.log` is a sequence of whole, CRC-valid batches with increasing
 * offsets (recovery restores this after a crash); `sizeInBytes` is its length. Every
 * offset and timestamp in it is within +-(2^53 - 1), checked before it was written (by
 * the append validation or the recovery scan), so they are read as exact numbers.
 * Single-threaded: only the owning PartitionLog calls it.
 */
export class LogSegment {
  private readonly logFile: PooledFd;
  private dirtyLog = false;
  /** Files removed: nothing left to make durable, and no reopen may recreate them. */
  private unlinked = false;
  private bytesSinceLastIndexEntry = 0;
  private readonly indexIntervalBytes: number;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  readonly txnIndex: TransactionIndex;
  readonly baseOffset: number;
  sizeInBytes: number;
  nextOffset: number;
  largestTimestamp: number;
  offsetOfLargestTimestamp: number;
  rollingBasedTimestamp: number | undefined;
  readonly createdMs: number;
  lastModifiedMs: number;

  constructor(
    readonly dir: string,
    state: SegmentState,
    settings: SegmentSettings,
  ) {
    this.baseOffset = state.baseOffset;
    this.sizeInBytes = state.sizeInBytes;
    this.nextOffset = state.nextOffset;
    this.largestTimestamp = state.largestTimestamp;
    this.offsetOfLargestTimestamp = state.offsetOfLargestTimestamp;
    this.rollingBasedTimestamp = state.rollingBasedTimestamp;
    this.createdMs = state.createdMs;
    this.lastModifiedMs = state.lastModifiedMs;
    this.indexIntervalBytes = settings.indexIntervalBytes;
    const openFiles = settings.openFiles ?? PROCESS_OPEN_FILES;
    this.logFile = new PooledFd(this.path(LOG_FILE_SUFFIX), openFiles);
    this.offsetIndex = new OffsetIndex(this.path(INDEX_FILE_SUFFIX), this.baseOffset, settings.segmentIndexBytes, state.indexEntries, openFiles);
    this.timeIndex = new TimeIndex(this.path(TIME_INDEX_FILE_SUFFIX), this.baseOffset, settings.segmentIndexBytes, state.timeIndexEntries, openFiles);
    this.txnIndex = new TransactionIndex(this.path(TXN_INDEX_FILE_SUFFIX));
  }

  /** A new, empty segment; any files left at this base offset are replaced. */
  static create(dir: string, baseOffset: number, settings: SegmentSettings, nowMs: number): LogSegment {
    for (const suffix of SEGMENT_FILE_SUFFIXES) rmSync(segmentFilePath(dir, baseOffset, suffix), { force: true });
    const segment = new LogSegment(dir, emptyState(baseOffset, nowMs), settings);
    segment.logFd();
    return segment;
  }

  path(suffix: string): string {
    return segmentFilePath(this.dir, this.baseOffset, suffix);
  }

  state(): SegmentState {
    return {
      baseOffset: this.baseOffset,
      sizeInBytes: this.sizeInBytes,
      nextOffset: this.nextOffset,
      largestTimestamp: this.largestTimestamp,
      offsetOfLargestTimestamp: this.offsetOfLargestTimestamp,
      rollingBasedTimestamp: this.rollingBasedTimestamp,
      createdMs: this.createdMs,
      lastModifiedMs: this.lastModifiedMs,
      indexEntries: this.offsetIndex.entries,
      timeIndexEntries: this.timeIndex.entries,
    };
  }

  /** The `.log` descriptor, (re)opened if needed; valid until the next call that may open another pooled file. */
  logFd(): number {
    return this.logFile.get();
  }

  /** Size of the `.log` on disk (one fstat), to check a manifest against. */
  fileSizeInBytes(): number {
    return fstatSync(this.logFd()).size;
  }

  get isDirty(): boolean {
    return this.dirtyLog;
  }

  /**
   * Appends validated batches whose offsets are already assigned, `records` holding
   * whole batches only. Index entries follow Kafka: once more than index.interval.bytes
   * were appended since the last entry, the next batch gets one (its last offset and
   * its start position), and the time index records the largest timestamp so far.
   */
  append(records: Buffer): void {
    const start = this.sizeInBytes;
    const length = records.length;
    const fd = this.logFd();
    let written = 0;
    while (written < length) written += writeSync(fd, records, written, length - written, start + written);
    let pos = 0;
    let lastOffset = this.nextOffset - 1;
    while (pos < length) {
      const size = LOG_OVERHEAD + records.readInt32BE(pos + LENGTH_OFFSET);
      const maxTimestamp = maxTimestampNumberAt(records, pos);
      lastOffset = lastOffsetNumberAt(records, pos);
      if (this.rollingBasedTimestamp === undefined) this.rollingBasedTimestamp = maxTimestamp;
      if (maxTimestamp > this.largestTimestamp) {
        this.largestTimestamp = maxTimestamp;
        this.offsetOfLargestTimestamp = lastOffset;
      }
      if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
        this.offsetIndex.append(lastOffset, start + pos);
        this.timeIndex.maybeAppend(this.largestTimestamp, this.offsetOfLargestTimestamp);
        this.bytesSinceLastIndexEntry = 0;
      }
      this.bytesSinceLastIndexEntry += size;
      pos += size;
    }
    this.sizeInBytes = start + length;
    this.nextOffset = lastOffset + 1;
    this.dirtyLog = true;
  }

  /** Index room left for another entry; a full index rolls the segment. */
  indexesFull(): boolean {
    return this.offsetIndex.isFull() || this.timeIndex.isFull();
  }

  /** The first batch whose last offset is >= `offset`, scanning from the index hint. */
  translateOffset(offset: number, scratch: Buffer): BatchLocation | undefined {
    return this.scanFrom(this.offsetIndex.lookup(offset).position, scratch, (buf, o) => lastOffsetNumberAt(buf, o) >= offset);
  }

  /**
   * Stored bytes from the batch holding `startOffset`: whole batches only, at most
   * `maxBytes` unless `minOneMessage` lets the first batch exceed it, none with an
   * offset at or past `maxOffset`.
   */
  read(startOffset: number, maxBytes: number, maxOffset: number | undefined, minOneMessage: boolean, scratch: Buffer, into?: Buffer): SegmentRead | undefined {
    const first = this.translateOffset(startOffset, scratch);
    if (first === undefined) return undefined;
    if (maxOffset !== undefined && first.lastOffset >= maxOffset) return { position: first.position, records: EMPTY_RECORDS };
    let length = Math.min(maxBytes, this.sizeInBytes - first.position);
    if (minOneMessage && first.sizeInBytes > length) length = first.sizeInBytes;
    if (length < first.sizeInBytes) return { position: first.position, records: EMPTY_RECORDS };
    const buf = into !== undefined && into.length >= length ? into : Buffer.allocUnsafe(length);
    readFully(this.logFd(), buf, 0, length, first.position);
    // Offsets are compared only when the bound falls inside this segment, so a fetch
    // below the high watermark walks the batches with integer reads alone.
    const bounded = maxOffset !== undefined && maxOffset < this.nextOffset;
    let end = 0;
    while (end + SCAN_HEADER_BYTES <= length) {
      const size = LOG_OVERHEAD + buf.readInt32BE(end + LENGTH_OFFSET);
      if (end + size > length || (bounded && lastOffsetNumberAt(buf, end) >= maxOffset)) break;
      end += size;
    }
    return { position: first.position, records: end === buf.length ? buf : buf.subarray(0, end) };
  }

  /** The first batch at or after `startOffset` whose max timestamp is >= `timestamp`. */
  findBatchByTimestamp(timestamp: number, startOffset: number, scratch: Buffer): BatchLocation | undefined {
    const hint = this.timeIndex.lookupBefore(timestamp);
    const fromOffset = hint !== undefined && hint.offset > startOffset ? hint.offset : startOffset;
    const position = this.offsetIndex.lookup(fromOffset).position;
    return this.scanFrom(position, scratch, (buf, o) => lastOffsetNumberAt(buf, o) >= startOffset && maxTimestampNumberAt(buf, o) >= timestamp, TIME_HEADER_BYTES);
  }

  /** Reads one located batch into its own Buffer. */
  readBatch(location: BatchLocation): Buffer {
    const buf = Buffer.allocUnsafe(location.sizeInBytes);
    readFully(this.logFd(), buf, 0, location.sizeInBytes, location.position);
    return buf;
  }

  /**
   * The max timestamp of the first batch (what max.compaction.lag.ms is measured from),
   * -1 when empty; read from the file once when recovery did not restore it.
   */
  firstBatchTimestamp(scratch: Buffer): number {
    if (this.rollingBasedTimestamp === undefined && this.sizeInBytes > 0) {
      const window = new FileWindow(this, this.sizeInBytes, scratch);
      const o = window.ensure(0, TIME_HEADER_BYTES);
      if (o >= 0) this.rollingBasedTimestamp = maxTimestampNumberAt(window.buf, o);
    }
    return this.rollingBasedTimestamp ?? -1;
  }

  private scanFrom(position: number, scratch: Buffer, match: (buf: Buffer, o: number) => boolean, headerBytes = SCAN_HEADER_BYTES): BatchLocation | undefined {
    if (position >= this.sizeInBytes) return undefined;
    const window = new FileWindow(this, this.sizeInBytes, scratch);
    let pos = position;
    for (;;) {
      const o = window.ensure(pos, headerBytes);
      if (o < 0) return undefined;
      const buf = window.buf;
      const size = LOG_OVERHEAD + buf.readInt32BE(o + LENGTH_OFFSET);
      if (match(buf, o)) return { position: pos, sizeInBytes: size, baseOffset: baseOffsetNumberAt(buf, o), lastOffset: lastOffsetNumberAt(buf, o) };
      pos += size;
    }
  }

  /**
   * Removes every batch from the one holding `offset` on; the log end becomes that
   * batch's base offset (batches are never split). Synced before returning, so a crash
   * cannot bring the removed batches back. Returns the bytes removed.
   */
  truncateTo(offset: number, scratch: Buffer): number {
    const cut = this.translateOffset(offset, scratch);
    if (cut === undefined) {
      // `offset` lies past every batch: in a gap a cleaned segment keeps where records
      // were removed. Nothing is cut, but the log end may not stay past `offset`.
      if (offset < this.nextOffset) this.nextOffset = Math.max(offset, this.baseOffset);
      this.txnIndex.truncateTo(this.nextOffset);
      return 0;
    }
    const removed = this.sizeInBytes - cut.position;
    this.offsetIndex.truncateToPosition(cut.position);
    this.timeIndex.truncateToOffset(cut.baseOffset);
    this.txnIndex.truncateTo(cut.baseOffset);
    ftruncateSync(this.logFd(), cut.position);
    fdatasyncSync(this.logFd());
    this.sizeInBytes = cut.position;
    this.nextOffset = cut.baseOffset;
    this.bytesSinceLastIndexEntry = 0;
    this.recomputeLargestTimestamp(scratch);
    return removed;
  }

  /** After a truncation: the largest timestamp from the last time index entry onwards. */
  private recomputeLargestTimestamp(scratch: Buffer): void {
    const last = this.timeIndex.lastEntry();
    this.largestTimestamp = last?.timestamp ?? -1;
    this.offsetOfLargestTimestamp = last?.offset ?? this.baseOffset;
    if (this.sizeInBytes === 0) this.rollingBasedTimestamp = undefined;
    this.scanFrom(last ? this.offsetIndex.lookup(last.offset).position : 0, scratch, (buf, o) => {
      const ts = maxTimestampNumberAt(buf, o);
      if (ts > this.largestTimestamp) {
        this.largestTimestamp = ts;
        this.offsetOfLargestTimestamp = lastOffsetNumberAt(buf, o);
      }
      return false;
    }, TIME_HEADER_BYTES);
  }

  /** Kafka adds a final time index entry when a segment stops being the active one. */
  onBecomeInactive(): void {
    if (this.largestTimestamp >= 0) this.timeIndex.maybeAppend(this.largestTimestamp, this.offsetOfLargestTimestamp);
  }

  /** Sets what a recovery scan found (sizes, offsets, timestamps). */
  restore(found: Pick<SegmentState, 'sizeInBytes' | 'nextOffset' | 'largestTimestamp' | 'offsetOfLargestTimestamp' | 'rollingBasedTimestamp'>): void {
    this.sizeInBytes = found.sizeInBytes;
    this.nextOffset = found.nextOffset;
    this.largestTimestamp = found.largestTimestamp;
    this.offsetOfLargestTimestamp = found.offsetOfLargestTimestamp;
    this.rollingBasedTimestamp = found.rollingBasedTimestamp;
  }

  /** fdatasync of the log, and of the indexes when `withIndexes` (inactive segments). */
  async flush(withIndexes: boolean): Promise<void> {
    if (this.dirtyLog && !this.unlinked) {
      this.dirtyLog = false;
      await this.logFile.datasync();
    }
    if (withIndexes && !this.unlinked) await Promise.all([this.offsetIndex.flush(), this.timeIndex.flush(), this.txnIndex.flush()]);
  }

  /** Synchronous flush of the log and its indexes (recovery, close). */
  flushSync(): void {
    if (this.dirtyLog) this.logFile.datasyncSync();
    this.dirtyLog = false;
    this.offsetIndex.flushSync();
    this.timeIndex.flushSync();
    this.txnIndex.flushSync();
  }

  markDirty(): void {
    this.dirtyLog = true;
  }

  close(): void {
    this.logFile.close();
    this.offsetIndex.close();
    this.timeIndex.close();
    this.txnIndex.close();
  }

  /** Removes the segment's files; open descriptors stay valid until close(). */
  unlinkFiles(): void {
    this.unlinked = true;
    for (const suffix of SEGMENT_FILE_SUFFIXES) rmSync(this.path(suffix), { force: true });
  }

  deleteFiles(): void {
    this.close();
    this.unlinkFiles();
  }
}

export function emptyState(baseOffset: number, nowMs: number): SegmentState {
  return {
    baseOffset,
    sizeInBytes: 0,
    nextOffset: baseOffset,
    largestTimestamp: -1,
    offsetOfLargestTimestamp: baseOffset,
    rollingBasedTimestamp: undefined,
    createdMs: nowMs,
    lastModifiedMs: nowMs,
    indexEntries: 0,
    timeIndexEntries: 0,
  };
}
