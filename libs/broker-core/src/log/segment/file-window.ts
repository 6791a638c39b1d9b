import { readSync } from 'node:fs';

/** What a window reads: a segment's `.log`, whose descriptor the open-file pool may have closed. */
export interface LogFile {
  logFd(): number;
}

/**
 * A sliding read window over a file, for walking batch headers without one syscall per
 * header: `ensure(pos, len)` returns where file byte `pos` sits in `buf`, reading a new
 * chunk only when [pos, pos+len) is not already buffered. The buffer is reused across
 * calls (it belongs to the caller) and grows only for a batch larger than it. The
 * descriptor is asked for at every read, so a window may live across awaits (the cleaner).
 */
export class FileWindow {
  private windowStart = 0;
  private windowEnd = 0;

  constructor(
    /** A descriptor the caller owns for the window's life, or a pooled segment file. */
    private readonly file: number | LogFile,
    private readonly fileSize: number,
    public buf: Buffer,
  ) {}

  /** Offset of file position `pos` in `buf` with `len` bytes available, or -1 past the end. */
  ensure(pos: number, len: number): number {
    if (pos + len > this.fileSize) return -1;
    if (pos >= this.windowStart && pos + len <= this.windowEnd) return pos - this.windowStart;
    if (len > this.buf.length) this.buf = Buffer.allocUnsafe(len);
    const want = Math.min(this.buf.length, this.fileSize - pos);
    readFully(typeof this.file === 'number' ? this.file : this.file.logFd(), this.buf, 0, want, pos);
    this.windowStart = pos;
    this.windowEnd = pos + want;
    return 0;
  }
}

/** readSync until `length` bytes arrived; a short file is an error the caller never expects. */
export function readFully(fd: number, buf: Buffer, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, offset + done, length - done, position + done);
    if (n === 0) throw new Error(`unexpected end of file at ${position + done}, wanted ${length - done} more bytes`);
    done += n;
  }
}
