import { FrameDecoder } from './frame-decoder.js';
import { FramePool, POOLED_FRAME_MIN_BYTES } from './frame-pool.js';

const PRODUCE = 0;
const FETCH = 1;

/** A size-prefixed frame of `size` bytes whose first INT16 is `apiKey`, then `fill`. */
function frame(apiKey: number, size: number, fill: number): Buffer {
  const out = Buffer.alloc(4 + size, fill);
  out.writeInt32BE(size, 0);
  out.writeInt16BE(apiKey, 4);
  return out;
}

/** Pushes `bytes` in 64 KiB chunks (as a socket delivers them) and returns the frames. */
function feed(decoder: FrameDecoder, bytes: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 65_536) frames.push(...decoder.push(Buffer.from(bytes.subarray(at, at + 65_536))));
  return frames;
}

describe('FramePool', () => {
  const size = POOLED_FRAME_MIN_BYTES * 3 + 17;

  it('joins a large frame of a pooled API key into memory it hands out again once released', () => {
    const pool = new FramePool();
    const decoder = new FrameDecoder(undefined, { pool, apiKeys: new Set([PRODUCE]) });
    const [first] = feed(decoder, frame(PRODUCE, size, 0xaa));
    expect(first).toEqual(frame(PRODUCE, size, 0xaa).subarray(4));
    pool.release(first!);
    expect(pool.pooledBytes).toBeGreaterThanOrEqual(size);
    const [second] = feed(decoder, frame(PRODUCE, size - 5, 0xbb));
    expect(second!.buffer).toBe(first!.buffer);
    expect(second).toEqual(frame(PRODUCE, size - 5, 0xbb).subarray(4));
    expect(pool.pooledBytes).toBe(0);
  });

  it('leaves other API keys, small frames and frames read in one chunk to ordinary memory', () => {
    const pool = new FramePool();
    const decoder = new FrameDecoder(undefined, { pool, apiKeys: new Set([PRODUCE]) });
    const frames = [
      ...feed(decoder, frame(FETCH, size, 1)),
      ...feed(decoder, frame(PRODUCE, 1000, 2)),
      ...decoder.push(frame(PRODUCE, size, 3)),
    ];
    expect(frames.map((f) => f.length)).toEqual([size, 1000, size]);
    for (const f of frames) pool.release(f);
    expect(pool.pooledBytes).toBe(0);
  });

  it('ignores a second release and keeps no more free memory than its bound', () => {
    const pool = new FramePool(2 * size);
    const lent = [pool.acquire(size), pool.acquire(size), pool.acquire(size)];
    for (const f of lent) pool.release(f);
    pool.release(lent[0]!);
    expect(pool.pooledBytes).toBeLessThanOrEqual(2 * size);
    expect(pool.pooledBytes).toBeGreaterThan(0);
  });
});
