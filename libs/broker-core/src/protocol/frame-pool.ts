/** Frames below this size are allocated as usual: malloc serves them from memory it reuses. */
export const POOLED_FRAME_MIN_BYTES = 128 * 1024;
/** Free buffers the pool keeps, in bytes, across every connection that shares it (default). */
export const DEFAULT_POOLED_BYTES = 32 * 1024 * 1024;

/**
 * Reusable memory for large request frames that a frame decoder must assemble from
 * several socket reads.
 *
 * Why: a buffer of more than 128 KiB is a fresh mmap from malloc, so copying a 1 MiB
 * produce request into a new one page-faults on every 4 KiB page; the copy then runs at
 * ~1 GB/s instead of memory speed (measured: 1.3 GB/s fresh, over 20 GB/s into a buffer
 * reused), and at 1 KiB messages it was the largest broker cost after the disk write.
 *
 * Contract: the owner of a frame taken from `acquire` calls `release` once it and
 * everything decoded from it (subarrays included) are no longer read; a released frame's
 * bytes are overwritten by the next request. Frames not released are simply collected.
 * Free buffers are kept up to `maxPooledBytes` in all; past that a released buffer is
 * dropped. One event loop uses a pool: no locking.
 */
export class FramePool {
  /** Free buffers, each a whole ArrayBuffer, smallest first. */
  private readonly free: Buffer[] = [];
  private freeBytes = 0;
  /** Backing stores this pool handed out and not yet took back: release ignores anything else. */
  private readonly lent = new WeakSet<ArrayBuffer>();

  constructor(private readonly maxPooledBytes = DEFAULT_POOLED_BYTES) {}

  /** Bytes held free for reuse. */
  get pooledBytes(): number {
    return this.freeBytes;
  }

  /** `size` bytes of uninitialised memory (a fresh buffer when none free is large enough). */
  acquire(size: number): Buffer {
    let whole: Buffer | undefined;
    const at = this.free.findIndex((buf) => buf.length >= size);
    if (at >= 0) {
      whole = this.free.splice(at, 1)[0]!;
      this.freeBytes -= whole.length;
    } else {
      // Rounded up to 64 KiB, so that frames of nearly one size reuse each other's buffers.
      whole = Buffer.allocUnsafeSlow(Math.ceil(size / 65_536) * 65_536);
    }
    this.lent.add(whole.buffer as ArrayBuffer);
    return whole.subarray(0, size);
  }

  /** Takes back a frame from `acquire` (anything else, or a second release, is ignored). */
  release(frame: Buffer): void {
    const store = frame.buffer as ArrayBuffer;
    if (!this.lent.delete(store)) return;
    if (this.freeBytes + store.byteLength > this.maxPooledBytes) return;
    const whole = Buffer.from(store);
    let at = 0;
    while (at < this.free.length && this.free[at]!.length < whole.length) at++;
    this.free.splice(at, 0, whole);
    this.freeBytes += whole.length;
  }
}
