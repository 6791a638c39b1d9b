import { closeSync, constants, fdatasync, fdatasyncSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { int64NumberAt, writeInt64NumberAt } from '../batch/batch-header.js';

/** Bytes per entry: version i16, producerId i64, firstOffset i64, lastOffset i64, lastStableOffset i64. */
export const TXN_INDEX_ENTRY_SIZE = 34;
const TXN_INDEX_VERSION = 0;
const OPEN_FLAGS = constants.O_RDWR | constants.O_CREAT;

/** One aborted transaction in the log's number offsets (see AbortedTxn for the public form). */
export interface AbortedTxnEntry {
  readonly producerId: bigint;
  readonly firstOffset: number;
  /** Offset of its ABORT marker. */
  readonly lastOffset: number;
  /** The LSO once the transaction was removed, when the marker was written. */
  readonly lastStableOffset: number;
}

/**
 * A segment's `.txnindex` (Kafka's TransactionIndex): the aborted transactions whose
 * ABORT marker lies in the segment, in marker order.
 *
 * Layout: 34-byte big-endian entries: version i16 (0), producerId i64, firstOffset i64,
 * lastOffset i64 (the marker's offset), lastStableOffset i64 (the LSO once this
 * transaction was removed). Entries' lastOffsets increase.
 *
 * The file exists only once an entry was written: a segment without aborted
 * transactions costs one failed open on first use, after which its emptiness is known
 * and no read happens again. Entries are kept in memory once read (they are few: one per
 * aborted transaction). Owned by its LogSegment; single-threaded.
 */
export class TransactionIndex {
  private fd: number | undefined;
  /** The file's bytes once read or written; undefined before the first use. */
  private data: Buffer | undefined;
  private length = 0;
  private dirty = false;

  constructor(readonly path: string) {}

  private loaded(): Buffer {
    if (this.data === undefined) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(this.path);
      } catch {
        bytes = Buffer.alloc(0);
      }
      // A torn last entry (a crash mid-write) is ignored; recovery rewrites it.
      this.length = bytes.length - (bytes.length % TXN_INDEX_ENTRY_SIZE);
      this.data = bytes;
    }
    return this.data;
  }

  get isEmpty(): boolean {
    this.loaded();
    return this.length === 0;
  }

  append(entry: AbortedTxnEntry): void {
    let data = this.loaded();
    if (this.length + TXN_INDEX_ENTRY_SIZE > data.length) {
      const grown = Buffer.allocUnsafe(Math.max(TXN_INDEX_ENTRY_SIZE * 16, data.length * 2));
      data.copy(grown, 0, 0, this.length);
      this.data = data = grown;
    }
    const at = this.length;
    data.writeInt16BE(TXN_INDEX_VERSION, at);
    data.writeBigInt64BE(entry.producerId, at + 2);
    writeInt64NumberAt(data, entry.firstOffset, at + 10);
    writeInt64NumberAt(data, entry.lastOffset, at + 18);
    writeInt64NumberAt(data, entry.lastStableOffset, at + 26);
    this.fd ??= openSync(this.path, OPEN_FLAGS, 0o644);
    let written = 0;
    while (written < TXN_INDEX_ENTRY_SIZE) written += writeSync(this.fd, data, at + written, TXN_INDEX_ENTRY_SIZE - written, at + written);
    this.length += TXN_INDEX_ENTRY_SIZE;
    this.dirty = true;
  }

  entryAt(i: number): AbortedTxnEntry {
    const data = this.loaded();
    const at = i * TXN_INDEX_ENTRY_SIZE;
    return {
      producerId: data.readBigInt64BE(at + 2),
      firstOffset: int64NumberAt(data, at + 10),
      lastOffset: int64NumberAt(data, at + 18),
      lastStableOffset: int64NumberAt(data, at + 26),
    };
  }

  /** The entries' bytes as stored (the cleaner carries them over to a cleaned segment). */
  bytes(): Buffer {
    return this.loaded().subarray(0, this.length);
  }

  get entries(): number {
    this.loaded();
    return this.length / TXN_INDEX_ENTRY_SIZE;
  }

  /**
   * Adds to `out` every entry overlapping [startOffset, upperBoundOffset) (marker at or
   * after the start, first offset before the bound). Returns true once an entry's
   * lastStableOffset reaches the bound: no later entry, here or in a later segment, can
   * overlap (every transaction still open then started at or after that LSO).
   */
  collect(startOffset: number, upperBoundOffset: number, out: AbortedTxnEntry[]): boolean {
    const data = this.loaded();
    for (let at = 0; at < this.length; at += TXN_INDEX_ENTRY_SIZE) {
      const lastOffset = int64NumberAt(data, at + 18);
      if (lastOffset >= startOffset && int64NumberAt(data, at + 10) < upperBoundOffset) out.push(this.entryAt(at / TXN_INDEX_ENTRY_SIZE));
      if (int64NumberAt(data, at + 26) >= upperBoundOffset) return true;
    }
    return false;
  }

  /** Removes the entries whose marker is at or after `offset` (a truncation). */
  truncateTo(offset: number): void {
    const data = this.loaded();
    let keep = 0;
    while (keep < this.length && int64NumberAt(data, keep + 18) < offset) keep += TXN_INDEX_ENTRY_SIZE;
    if (keep === this.length) return;
    this.length = keep;
    if (keep === 0) {
      this.reset();
      return;
    }
    this.fd ??= openSync(this.path, OPEN_FLAGS, 0o644);
    ftruncateSync(this.fd, keep);
    fdatasyncSync(this.fd);
  }

  /** Removes every entry and the file (a rebuild follows). */
  reset(): void {
    this.close();
    rmSync(this.path, { force: true });
    this.data = Buffer.alloc(0);
    this.length = 0;
  }

  async flush(): Promise<void> {
    if (!this.dirty || this.fd === undefined) return;
    this.dirty = false;
    const fd = this.fd;
    await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }

  flushSync(): void {
    if (this.dirty && this.fd !== undefined) fdatasyncSync(this.fd);
    this.dirty = false;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.dirty = false;
  }
}
