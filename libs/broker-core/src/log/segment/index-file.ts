import { fstatSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { PROCESS_OPEN_FILES, PooledFd, type OpenFiles } from './open-files.js';

// The file is opened read-write, never truncated and not O_APPEND (see PooledFd): entries are
// written at their own position, which stays right even if the file is longer than we believe.
/** Appended entries are written to the file in groups of up to this many (one syscall). */
const PENDING_ENTRIES = 256;

/**
 * A file of fixed-size big-endian entries, sorted by key, shared by the offset and time
 * indexes.
 *
 * Kafka memory-maps a preallocated index; Node has no mmap, so the entries live in a
 * Buffer and every append is also written through to the file with `writeSync` (to the
 * page cache). The file holds exactly `entries * entrySize` bytes, never padding, so
 * its size says how many entries it has.
 *
 * Opening is lazy: a segment loaded from the clean-shutdown manifest knows its entry
 * count without touching the file, appends go straight to the file, and the Buffer is
 * read only on the first lookup. That keeps opening a log with many segments O(1) in
 * file I/O per segment.
 *
 * The descriptor belongs to an OpenFiles pool, which may close it between calls; the
 * entries in memory stay.
 *
 * Not safe for concurrent use; the owning PartitionLog serialises calls (one event loop).
 */
export abstract class IndexFile {
  private readonly file: PooledFd;
  private buf: Buffer | undefined;
  private entryCount: number;
  private dirty = false;
  /** Entries appended but not yet written to the file (the last `pendingCount`). */
  private readonly pending: Buffer;
  private pendingCount = 0;
  protected readonly scratch: Buffer;
  readonly maxEntries: number;

  protected constructor(
    readonly path: string,
    readonly entrySize: number,
    maxIndexBytes: number,
    knownEntries: number,
    openFiles: OpenFiles = PROCESS_OPEN_FILES,
  ) {
    this.file = new PooledFd(path, openFiles);
    this.maxEntries = Math.max(1, Math.floor(maxIndexBytes / entrySize));
    this.entryCount = knownEntries;
    this.scratch = Buffer.alloc(entrySize);
    this.pending = Buffer.allocUnsafe(entrySize * PENDING_ENTRIES);
  }

  get entries(): number {
    return this.entryCount;
  }

  get sizeInBytes(): number {
    return this.entryCount * this.entrySize;
  }

  isFull(): boolean {
    return this.entryCount >= this.maxEntries;
  }

  /** The entries, read from the file on first use. */
  protected loaded(): Buffer {
    if (this.buf === undefined) {
      this.writePending();
      const fd = this.openFd();
      const fileBytes = fstatSync(fd).size;
      const count = Math.min(this.entryCount, Math.floor(fileBytes / this.entrySize));
      const buf = Buffer.allocUnsafe(Math.max(this.entrySize * 64, count * this.entrySize));
      let done = 0;
      while (done < count * this.entrySize) {
        const n = readSync(fd, buf, done, count * this.entrySize - done, done);
        if (n === 0) break;
        done += n;
      }
      this.entryCount = Math.floor(done / this.entrySize);
      this.buf = buf;
    }
    return this.buf;
  }

  /** Appends the entry prepared in `scratch`. */
  protected appendScratch(): void {
    const at = this.entryCount * this.entrySize;
    if (this.buf !== undefined) {
      if (at + this.entrySize > this.buf.length) {
        const grown = Buffer.allocUnsafe(Math.max(at + this.entrySize, Math.min(this.maxEntries * this.entrySize, this.buf.length * 2 + this.entrySize * 64)));
        this.buf.copy(grown, 0, 0, at);
        this.buf = grown;
      }
      copyEntry(this.scratch, this.buf, at, this.entrySize);
    }
    copyEntry(this.scratch, this.pending, this.pendingCount * this.entrySize, this.entrySize);
    this.pendingCount++;
    this.entryCount++;
    this.dirty = true;
    if (this.pendingCount === PENDING_ENTRIES) this.writePending();
  }

  /**
   * Writes buffered entries. Losing them in a crash is harmless: a sparse index with
   * fewer entries is still correct, and recovery rebuilds the segments it rescans.
   */
  writePending(): void {
    if (this.pendingCount === 0) return;
    const bytes = this.pendingCount * this.entrySize;
    const at = this.entryCount * this.entrySize - bytes;
    let done = 0;
    while (done < bytes) done += writeSync(this.openFd(), this.pending, done, bytes - done, at + done);
    this.pendingCount = 0;
  }

  /** Keeps the first `count` entries. */
  protected truncateToEntries(count: number): void {
    if (count >= this.entryCount) return;
    this.writePending();
    this.entryCount = count;
    ftruncateSync(this.openFd(), count * this.entrySize);
    this.dirty = true;
  }

  /** Replaces the whole index (after a rebuild). */
  replaceWith(entries: Buffer, count: number): void {
    this.pendingCount = 0;
    const fd = this.openFd();
    ftruncateSync(fd, 0);
    let done = 0;
    while (done < count * this.entrySize) done += writeSync(fd, entries, done, count * this.entrySize - done, done);
    this.buf = Buffer.from(entries.subarray(0, count * this.entrySize));
    this.entryCount = count;
    this.dirty = true;
  }

  /** Binary search: index of the greatest entry whose key is <= target, or -1. */
  protected largestLowerBound(target: number, keyAt: (buf: Buffer, entry: number) => number): number {
    const buf = this.loaded();
    let lo = 0;
    let hi = this.entryCount - 1;
    if (hi < 0 || keyAt(buf, 0) > target) return -1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (keyAt(buf, mid) <= target) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private openFd(): number {
    return this.file.get();
  }

  /** fdatasync if anything was written since the last one. */
  async flush(): Promise<void> {
    this.writePending();
    if (!this.dirty) return;
    this.dirty = false;
    await this.file.datasync();
  }

  flushSync(): void {
    this.writePending();
    if (this.dirty) this.file.datasyncSync();
    this.dirty = false;
  }

  close(): void {
    this.writePending();
    this.file.close();
    this.buf = undefined;
  }
}

/** An 8- or 12-byte entry: a byte loop beats Buffer.copy's call overhead at this size. */
function copyEntry(from: Buffer, to: Buffer, at: number, size: number): void {
  for (let i = 0; i < size; i++) to[at + i] = from[i]!;
}
