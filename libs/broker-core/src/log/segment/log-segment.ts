import { closeSync, constants, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, openSync, rmSync, writeSync } from 'node:fs';
import {
  LAST_OFFSET_DELTA_OFFSET,
  LENGTH_OFFSET,
  LOG_OVERHEAD,
  MAX_TIMESTAMP_OFFSET,
  batchSizeAt,
  lastOffsetAt,
  maxTimestampAt,
} from '../batch/batch-header.js';
import { FileWindow, readFully } from './file-window.js';
import { INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, SEGMENT_FILE_SUFFIXES, TIME_INDEX_FILE_SUFFIX, segmentFilePath } from './file-names.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';

/** Bytes of a batch header needed to know its size, base and last offset. */
const SCAN_HEADER_BYTES = LAST_OFFSET_DELTA_OFFSET + 4;
/** Bytes needed to also know its max timestamp. */
const TIME_HEADER_BYTES = MAX_TIMESTAMP_OFFSET + 8;
const OPEN_FLAGS = constants.O_RDWR | constants.O_CREAT;
export const EMPTY_RECORDS: Buffer = Buffer.alloc(0);

/** What a segment knows about itself; persisted in the clean-shutdown manifest. */
export interface SegmentState {
  readonly baseOffset: bigint;
  readonly sizeInBytes: number;
  /** One past the last offset stored; equals baseOffset when empty. */
  readonly nextOffset: bigint;
  /** Largest batch max timestamp, -1 when empty. */
  readonly largestTimestamp: bigint;
  readonly offsetOfLargestTimestamp: bigint;
  /** Max timestamp of the first batch: what segment.ms is measured from. */
  readonly rollingBasedTimestamp: bigint | undefined;
  readonly createdMs: number;
  readonly indexEntries: number;
  readonly timeIndexEntries: number;
}

export interface SegmentSettings {
  readonly indexIntervalBytes: number;
  readonly segmentIndexBytes: number;
}

/** A batch found by a header scan. */
export interface BatchLocation {
  readonly position: number;
  readonly sizeInBytes: number;
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
}

export interface SegmentRead {
  readonly position: number;
  readonly records: Buffer;
}

/**
 * One segment of a partition log: `<base>.log` holding RecordBatch v2 bytes exactly as
 * produced (baseOffset and partitionLeaderEpoch rewritten), plus its `.index` and
 * `.timeindex` (see OffsetIndex, TimeIndex). `.txnindex` is reserved for aborted
 * transactions and deleted with the segment.
 *
 * I/O: appends are positional `writeSync` calls to the page cache, one per produce
 * request; reads are positional `readSync` into a fresh Buffer sized for the fetch (no
 * per-record work: batch headers are walked in place). `flush()` is an asynchronous
 * fdatasync so that group commit does not block the event loop. File descriptors are
 * opened on first use.
 *
 * Invariants: the `.log` is a sequence of whole, CRC-valid batches with increasing
 * offsets (recovery restores this after a crash); `sizeInBytes` is its length.
 * Single-threaded: only the owning PartitionLog calls it.
 */
export class LogSegment {
  private fd: number | undefined;
  private dirtyLog = false;
  private bytesSinceLastIndexEntry = 0;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  readonly baseOffset: bigint;
  sizeInBytes: number;
  nextOffset: bigint;
  largestTimestamp: bigint;
  offsetOfLargestTimestamp: bigint;
  rollingBasedTimestamp: bigint | undefined;
  readonly createdMs: number;

  constructor(
    readonly dir: string,
    state: SegmentState,
    private readonly settings: SegmentSettings,
  ) {
    this.baseOffset = state.baseOffset;
    this.sizeInBytes = state.sizeInBytes;
    this.nextOffset = state.nextOffset;
    this.largestTimestamp = state.largestTimestamp;
    this.offsetOfLargestTimestamp = state.offsetOfLargestTimestamp;
    this.rollingBasedTimestamp = state.rollingBasedTimestamp;
    this.createdMs = state.createdMs;
    this.offsetIndex = new OffsetIndex(this.path(INDEX_FILE_SUFFIX), this.baseOffset, settings.segmentIndexBytes, state.indexEntries);
    this.timeIndex = new TimeIndex(this.path(TIME_INDEX_FILE_SUFFIX), this.baseOffset, settings.segmentIndexBytes, state.timeIndexEntries);
  }

  /** A new, empty segment; any files left at this base offset are replaced. */
  static create(dir: string, baseOffset: bigint, settings: SegmentSettings, nowMs: number): LogSegment {
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
      indexEntries: this.offsetIndex.entries,
      timeIndexEntries: this.timeIndex.entries,
    };
  }

  logFd(): number {
    if (this.fd === undefined) this.fd = openSync(this.path(LOG_FILE_SUFFIX), OPEN_FLAGS, 0o644);
    return this.fd;
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
    let written = 0;
    while (written < records.length) written += writeSync(this.logFd(), records, written, records.length - written, start + written);
    // bigint arithmetic allocates, so a batch's last offset is computed only where it is
    // needed: for an index entry, a new largest timestamp, and the last batch.
    let pos = 0;
    let lastPos = -1;
    while (pos < records.length) {
      const size = batchSizeAt(records, pos);
      const maxTimestamp = maxTimestampAt(records, pos);
      if (this.rollingBasedTimestamp === undefined) this.rollingBasedTimestamp = maxTimestamp;
      const newLargest = maxTimestamp > this.largestTimestamp;
      const indexEntryDue = this.bytesSinceLastIndexEntry > this.settings.indexIntervalBytes;
      if (newLargest || indexEntryDue) {
        const lastOffset = lastOffsetAt(records, pos);
        if (newLargest) {
          this.largestTimestamp = maxTimestamp;
          this.offsetOfLargestTimestamp = lastOffset;
        }
        if (indexEntryDue) {
          this.offsetIndex.append(lastOffset, start + pos);
          this.timeIndex.maybeAppend(this.largestTimestamp, this.offsetOfLargestTimestamp);
          this.bytesSinceLastIndexEntry = 0;
        }
      }
      this.bytesSinceLastIndexEntry += size;
      lastPos = pos;
      pos += size;
    }
    this.sizeInBytes += records.length;
    if (lastPos >= 0) this.nextOffset = lastOffsetAt(records, lastPos) + 1n;
    this.dirtyLog = true;
  }

  /** Index room left for another entry; a full index rolls the segment. */
  indexesFull(): boolean {
    return this.offsetIndex.isFull() || this.timeIndex.isFull();
  }

  /** The first batch whose last offset is >= `offset`, scanning from the index hint. */
  translateOffset(offset: bigint, scratch: Buffer): BatchLocation | undefined {
    return this.scanFrom(this.offsetIndex.lookup(offset).position, scratch, (buf, o) => lastOffsetIn(buf, o) >= offset);
  }

  /**
   * Stored bytes from the batch holding `startOffset`: whole batches only, at most
   * `maxBytes` unless `minOneMessage` lets the first batch exceed it, none with an
   * offset at or past `maxOffset`.
   */
  read(startOffset: bigint, maxBytes: number, maxOffset: bigint | undefined, minOneMessage: boolean, scratch: Buffer, into?: Buffer): SegmentRead | undefined {
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
      if (end + size > length || (bounded && lastOffsetIn(buf, end) >= maxOffset)) break;
      end += size;
    }
    return { position: first.position, records: end === buf.length ? buf : buf.subarray(0, end) };
  }

  /** The first batch at or after `startOffset` whose max timestamp is >= `timestamp`. */
  findBatchByTimestamp(timestamp: bigint, startOffset: bigint, scratch: Buffer): BatchLocation | undefined {
    const hint = this.timeIndex.lookupBefore(timestamp);
    const fromOffset = hint !== undefined && hint.offset > startOffset ? hint.offset : startOffset;
    const position = this.offsetIndex.lookup(fromOffset).position;
    return this.scanFrom(position, scratch, (buf, o) => lastOffsetIn(buf, o) >= startOffset && buf.readBigInt64BE(o + MAX_TIMESTAMP_OFFSET) >= timestamp, TIME_HEADER_BYTES);
  }

  /** Reads one located batch into its own Buffer. */
  readBatch(location: BatchLocation): Buffer {
    const buf = Buffer.allocUnsafe(location.sizeInBytes);
    readFully(this.logFd(), buf, 0, location.sizeInBytes, location.position);
    return buf;
  }

  private scanFrom(position: number, scratch: Buffer, match: (buf: Buffer, o: number) => boolean, headerBytes = SCAN_HEADER_BYTES): BatchLocation | undefined {
    if (position >= this.sizeInBytes) return undefined;
    const window = new FileWindow(this.logFd(), this.sizeInBytes, scratch);
    let pos = position;
    for (;;) {
      const o = window.ensure(pos, headerBytes);
      if (o < 0) return undefined;
      const buf = window.buf;
      const size = LOG_OVERHEAD + buf.readInt32BE(o + LENGTH_OFFSET);
      if (match(buf, o)) return { position: pos, sizeInBytes: size, baseOffset: buf.readBigInt64BE(o), lastOffset: lastOffsetIn(buf, o) };
      pos += size;
    }
  }

  /**
   * Removes every batch from the one holding `offset` on; the log end becomes that
   * batch's base offset (batches are never split). Synced before returning, so a crash
   * cannot bring the removed batches back. Returns the bytes removed.
   */
  truncateTo(offset: bigint, scratch: Buffer): number {
    const cut = this.translateOffset(offset, scratch);
    if (cut === undefined) return 0;
    const removed = this.sizeInBytes - cut.position;
    this.offsetIndex.truncateToPosition(cut.position);
    this.timeIndex.truncateToOffset(cut.baseOffset);
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
    this.largestTimestamp = last?.timestamp ?? -1n;
    this.offsetOfLargestTimestamp = last?.offset ?? this.baseOffset;
    if (this.sizeInBytes === 0) this.rollingBasedTimestamp = undefined;
    this.scanFrom(last ? this.offsetIndex.lookup(last.offset).position : 0, scratch, (buf, o) => {
      const ts = buf.readBigInt64BE(o + MAX_TIMESTAMP_OFFSET);
      if (ts > this.largestTimestamp) {
        this.largestTimestamp = ts;
        this.offsetOfLargestTimestamp = lastOffsetIn(buf, o);
      }
      return false;
    }, TIME_HEADER_BYTES);
  }

  /** Kafka adds a final time index entry when a segment stops being the active one. */
  onBecomeInactive(): void {
    if (this.largestTimestamp >= 0n) this.timeIndex.maybeAppend(this.largestTimestamp, this.offsetOfLargestTimestamp);
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
    if (this.dirtyLog && this.fd !== undefined) {
      this.dirtyLog = false;
      const fd = this.fd;
      await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
    }
    if (withIndexes) await Promise.all([this.offsetIndex.flush(), this.timeIndex.flush()]);
  }

  /** Synchronous flush of the log and its indexes (recovery, close). */
  flushSync(): void {
    if (this.dirtyLog && this.fd !== undefined) fdatasyncSync(this.fd);
    this.dirtyLog = false;
    this.offsetIndex.flushSync();
    this.timeIndex.flushSync();
  }

  markDirty(): void {
    this.dirtyLog = true;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.offsetIndex.close();
    this.timeIndex.close();
  }

  /** Removes the segment's files; open descriptors stay valid until close(). */
  unlinkFiles(): void {
    for (const suffix of SEGMENT_FILE_SUFFIXES) rmSync(this.path(suffix), { force: true });
  }

  deleteFiles(): void {
    this.close();
    this.unlinkFiles();
  }
}

function lastOffsetIn(buf: Buffer, o: number): bigint {
  return buf.readBigInt64BE(o) + BigInt(buf.readInt32BE(o + LAST_OFFSET_DELTA_OFFSET));
}

export function emptyState(baseOffset: bigint, nowMs: number): SegmentState {
  return {
    baseOffset,
    sizeInBytes: 0,
    nextOffset: baseOffset,
    largestTimestamp: -1n,
    offsetOfLargestTimestamp: baseOffset,
    rollingBasedTimestamp: undefined,
    createdMs: nowMs,
    indexEntries: 0,
    timeIndexEntries: 0,
  };
}
