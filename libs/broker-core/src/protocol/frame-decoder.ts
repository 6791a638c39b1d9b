import { KafkaError } from '../errors.js';
import { POOLED_FRAME_MIN_BYTES, type FramePool } from './frame-pool.js';

/** Kafka's default `socket.request.max.bytes`: the largest request frame a broker accepts. */
export const DEFAULT_SOCKET_REQUEST_MAX_BYTES = 104_857_600;

const SIZE_PREFIX_BYTES = 4;

/** Which frames a decoder assembles in pooled memory: requests whose API key is in `apiKeys` (a request's first INT16). */
export interface PooledFrames {
  readonly pool: FramePool;
  readonly apiKeys: ReadonlySet<number>;
}

/**
 * Splits a socket's byte stream into request frames (INT32 size, then that many bytes).
 *
 * Chunks are kept as they arrive and joined once per complete frame, so a large frame
 * that trickles in costs one copy, not one per chunk. The size prefix is checked before
 * anything is allocated for the frame: a peer cannot make the broker reserve memory by
 * merely claiming a huge frame.
 *
 * A bad size throws INVALID_REQUEST and leaves the decoder failed (every later push throws
 * the same error): the stream has lost its framing, so the caller must close the
 * connection.
 *
 * With `pooled`, a large frame of one of its API keys that has to be joined is joined
 * into memory from the pool (see FramePool): the caller then owes the pool a `release`
 * of that frame. A frame that arrived in one chunk is a slice of it, as always.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being assembled, or -1 while its prefix is still awaited. */
  private frameSize = -1;
  private failure: KafkaError | undefined;

  constructor(
    private readonly maxFrameBytes = DEFAULT_SOCKET_REQUEST_MAX_BYTES,
    private readonly pooled?: PooledFrames,
  ) {}

  /** Bytes held but not yet returned as frames (for backpressure accounting). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): Buffer[] {
    if (this.failure) throw this.failure;
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.frameSize < 0) {
        if (this.buffered < SIZE_PREFIX_BYTES) break;
        const size = this.take(SIZE_PREFIX_BYTES).readInt32BE(0);
        if (size < 0 || size > this.maxFrameBytes) this.fail(size);
        this.frameSize = size;
      }
      if (this.buffered < this.frameSize) break;
      frames.push(this.take(this.frameSize));
      this.frameSize = -1;
    }
    return frames;
  }

  private fail(size: number): never {
    this.chunks = [];
    this.buffered = 0;
    this.failure = new KafkaError(
      'INVALID_REQUEST',
      `frame size ${size} is outside 0..${this.maxFrameBytes} (socket.request.max.bytes)`,
    );
    throw this.failure;
  }

  /** Removes `n` buffered bytes from the front; a slice when one chunk holds them all. */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    if (n === 0 || first === undefined) return Buffer.alloc(0);
    this.buffered -= n;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = this.pooledFrame(first, n) ? this.pooled!.pool.acquire(n) : Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const k = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, k);
      filled += k;
      if (k === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(k);
    }
    return out;
  }

  /** Whether a frame of `n` bytes starting at `first` is to be joined in pooled memory. */
  private pooledFrame(first: Buffer, n: number): boolean {
    return this.pooled !== undefined && n >= POOLED_FRAME_MIN_BYTES && first.length >= 2 && this.pooled.apiKeys.has(first.readInt16BE(0));
  }
}
