import { closeSync, constants, fdatasync, futimesSync, openSync, rmSync, writeSync } from 'node:fs';
import { lastOffsetNumberAt, maxTimestampNumberAt, writeInt64NumberAt } from '../batch/batch-header.js';
import { CLEANED_FILE_SUFFIX, INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX, segmentFilePath } from '../segment/file-names.js';
import type { SegmentState } from '../segment/log-segment.js';
import { OFFSET_INDEX_ENTRY_SIZE } from '../segment/offset-index.js';
import { GrowableEntries } from '../segment/segment-recovery.js';
import { TIME_INDEX_ENTRY_SIZE } from '../segment/time-index.js';

const WRITE_BUFFER_BYTES = 256 * 1024;
const CREATE_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC;
/** The files of a cleaned segment, log last: the swap renames them in this order. */
export const CLEANED_SEGMENT_SUFFIXES = [INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX] as const;

export interface CleanedSegmentSettings {
  readonly indexIntervalBytes: number;
  /** segment.index.bytes: the cleaned indexes stay within it (a sparser index is still correct). */
  readonly segmentIndexBytes: number;
}

/**
 * Writes the replacement of a group of segments as `<base>.log.cleaned`,
 * `<base>.index.cleaned`, `<base>.timeindex.cleaned` and `<base>.txnindex.cleaned`
 * (the replaced segments' aborted transactions, carried over whole: markers are never
 * removed, so every entry still names one), where `<base>` is the first replaced
 * segment's base offset. Batches arrive in offset order (kept whole or rebuilt
 * by the cleaner); the indexes follow the rule LogSegment.append uses (an entry once
 * more than index.interval.bytes were written since the last), are kept in memory and
 * written by `finish`, which then fsyncs all three files asynchronously, so that the
 * swap that follows never exposes a file that a crash could lose.
 *
 * The log is written through a 256 KiB buffer, so a segment of small batches costs few
 * syscalls. `discard` removes the files at any point (an aborted pass); descriptors that
 * an fsync in flight still uses are closed once it is done.
 */
export class CleanedSegmentWriter {
  private readonly logFd: number;
  private readonly buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private buffered = 0;
  private written = 0;
  private readonly offsetEntries = new GrowableEntries(OFFSET_INDEX_ENTRY_SIZE);
  private readonly timeEntries = new GrowableEntries(TIME_INDEX_ENTRY_SIZE);
  private readonly maxOffsetEntries: number;
  private readonly maxTimeEntries: number;
  private bytesSinceLastIndexEntry = 0;
  private lastIndexedTimestamp = -1;
  private largestTimestamp = -1;
  private offsetOfLargestTimestamp: number;
  private rollingBasedTimestamp: number | undefined;
  private fds: number[] = [];
  private syncing: Promise<unknown> | undefined;
  private discarded = false;

  constructor(
    private readonly dir: string,
    readonly baseOffset: number,
    private readonly settings: CleanedSegmentSettings,
  ) {
    this.offsetOfLargestTimestamp = baseOffset;
    this.maxOffsetEntries = Math.max(1, Math.floor(settings.segmentIndexBytes / OFFSET_INDEX_ENTRY_SIZE));
    this.maxTimeEntries = Math.max(1, Math.floor(settings.segmentIndexBytes / TIME_INDEX_ENTRY_SIZE));
    this.logFd = openSync(this.path(LOG_FILE_SUFFIX), CREATE_FLAGS, 0o644);
    this.fds.push(this.logFd);
  }

  /** Bytes written so far. */
  get sizeInBytes(): number {
    return this.written + this.buffered;
  }

  /** Appends one whole batch (its offsets already final). */
  append(batch: Buffer): void {
    const position = this.sizeInBytes;
    const lastOffset = lastOffsetNumberAt(batch, 0);
    const maxTimestamp = maxTimestampNumberAt(batch, 0);
    this.rollingBasedTimestamp ??= maxTimestamp;
    if (maxTimestamp > this.largestTimestamp) {
      this.largestTimestamp = maxTimestamp;
      this.offsetOfLargestTimestamp = lastOffset;
    }
    if (this.bytesSinceLastIndexEntry > this.settings.indexIntervalBytes && this.offsetEntries.count < this.maxOffsetEntries) {
      this.offsetEntries.next().writeInt32BE(lastOffset - this.baseOffset, this.offsetEntries.at);
      this.offsetEntries.buf.writeInt32BE(position, this.offsetEntries.at + 4);
      this.maybeAddTimeEntry();
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += batch.length;
    if (this.buffered + batch.length > this.buffer.length) this.writeBuffered();
    if (batch.length > this.buffer.length) {
      this.writeAt(this.logFd, batch, batch.length, this.written);
      this.written += batch.length;
    } else {
      this.buffered += batch.copy(this.buffer, this.buffered);
    }
  }

  /**
   * Writes the indexes (with a last time index entry, as a segment gets when it stops
   * being active) and the transaction index entries given, and fsyncs the four files. Returns the new segment's state, named by
   * the normal file names it will have after the swap.
   */
  async finish(template: Pick<SegmentState, 'nextOffset' | 'createdMs' | 'lastModifiedMs'>, txnIndexEntries: Buffer): Promise<SegmentState> {
    this.writeBuffered();
    this.maybeAddTimeEntry();
    this.writeIndex(INDEX_FILE_SUFFIX, this.offsetEntries.buf, this.offsetEntries.count * this.offsetEntries.entrySize);
    this.writeIndex(TIME_INDEX_FILE_SUFFIX, this.timeEntries.buf, this.timeEntries.count * this.timeEntries.entrySize);
    this.writeIndex(TXN_INDEX_FILE_SUFFIX, txnIndexEntries, txnIndexEntries.length);
    // Kafka keeps the replaced segments' last-modified time on the file too, so that
    // opening after a crash (which reads it back) applies the same tombstone rule.
    const seconds = template.lastModifiedMs / 1000;
    futimesSync(this.logFd, seconds, seconds);
    const fds = this.fds;
    this.syncing = Promise.allSettled(fds.map((fd) => new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())))));
    const results = (await this.syncing) as PromiseSettledResult<void>[];
    this.syncing = undefined;
    this.closeFds();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return {
      baseOffset: this.baseOffset,
      sizeInBytes: this.written,
      nextOffset: template.nextOffset,
      largestTimestamp: this.largestTimestamp,
      offsetOfLargestTimestamp: this.offsetOfLargestTimestamp,
      rollingBasedTimestamp: this.rollingBasedTimestamp,
      createdMs: template.createdMs,
      lastModifiedMs: template.lastModifiedMs,
      indexEntries: this.offsetEntries.count,
      timeIndexEntries: this.timeEntries.count,
    };
  }

  /** Whether `discard` was called (the pass was aborted while `finish` waited). */
  get isDiscarded(): boolean {
    return this.discarded;
  }

  /** Removes the files; descriptors close now, or after an fsync in flight. */
  discard(): void {
    if (this.discarded) return;
    this.discarded = true;
    for (const suffix of CLEANED_SEGMENT_SUFFIXES) rmSync(this.path(suffix), { force: true });
    if (this.syncing === undefined) this.closeFds();
  }

  path(suffix: string): string {
    return segmentFilePath(this.dir, this.baseOffset, suffix + CLEANED_FILE_SUFFIX);
  }

  private maybeAddTimeEntry(): void {
    if (this.largestTimestamp <= this.lastIndexedTimestamp || this.timeEntries.count >= this.maxTimeEntries) return;
    writeInt64NumberAt(this.timeEntries.next(), this.largestTimestamp, this.timeEntries.at);
    this.timeEntries.buf.writeInt32BE(this.offsetOfLargestTimestamp - this.baseOffset, this.timeEntries.at + 8);
    this.lastIndexedTimestamp = this.largestTimestamp;
  }

  private writeBuffered(): void {
    if (this.buffered === 0) return;
    this.writeAt(this.logFd, this.buffer, this.buffered, this.written);
    this.written += this.buffered;
    this.buffered = 0;
  }

  private writeIndex(suffix: string, bytes: Buffer, length: number): void {
    const fd = openSync(this.path(suffix), CREATE_FLAGS, 0o644);
    this.fds.push(fd);
    this.writeAt(fd, bytes, length, 0);
  }

  private writeAt(fd: number, data: Buffer, length: number, position: number): void {
    let done = 0;
    while (done < length) done += writeSync(fd, data, done, length - done, position + done);
  }

  private closeFds(): void {
    for (const fd of this.fds.splice(0)) closeSync(fd);
  }
}
