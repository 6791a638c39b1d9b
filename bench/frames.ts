// Request framing benchmark: how fast the listener's frame decoder joins large produce
// requests that arrive in 64 KiB socket reads (librdkafka sends up to 1 MiB per request),
// into fresh memory (every frame a new buffer, as before FramePool) and into pooled
// memory (each frame released once handled, as the listener does for Produce).
// Run: npm run bench -- frames [frameKiB]. Rounds alternate; medians of each side.
import { FrameDecoder, FramePool } from '@weir/broker-core';

const FRAME_BYTES = Number(process.argv[2] ?? 1024) * 1024;
const READ_BYTES = 64 * 1024;
const TOTAL_BYTES = 1536 * 1024 * 1024;
const ROUNDS = 5;
const PRODUCE_API_KEY = 0;

const frame = Buffer.alloc(4 + FRAME_BYTES, 7);
frame.writeInt32BE(FRAME_BYTES, 0);
frame.writeInt16BE(PRODUCE_API_KEY, 4);
const reads: Buffer[] = [];
for (let at = 0; at < frame.length; at += READ_BYTES) reads.push(frame.subarray(at, at + READ_BYTES));
const frames = Math.max(1, Math.floor(TOTAL_BYTES / FRAME_BYTES));

/** MB/s of frame bytes joined. */
function run(pooled: boolean): number {
  const pool = new FramePool();
  const decoder = new FrameDecoder(undefined, pooled ? { pool, apiKeys: new Set([PRODUCE_API_KEY]) } : undefined);
  const start = performance.now();
  for (let i = 0; i < frames; i++) {
    for (const read of reads) for (const joined of decoder.push(read)) pool.release(joined);
  }
  return (frames * FRAME_BYTES) / (1024 * 1024) / ((performance.now() - start) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const fresh: number[] = [];
const pooled: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? [false, true] : [true, false];
  for (const usePool of order) (usePool ? pooled : fresh).push(run(usePool));
}
console.log(`joining ${FRAME_BYTES / 1024} KiB produce frames from ${READ_BYTES / 1024} KiB reads, ${frames} frames per run, ${ROUNDS} rounds (medians):`);
console.log(`  fresh buffer per frame  ${median(fresh).toFixed(0).padStart(7)} MB/s   (rounds ${fresh.map((v) => v.toFixed(0)).join(', ')})`);
console.log(`  pooled (FramePool)      ${median(pooled).toFixed(0).padStart(7)} MB/s   (rounds ${pooled.map((v) => v.toFixed(0)).join(', ')})`);
console.log(`  pooled / fresh          ${(median(pooled) / median(fresh)).toFixed(1)}x`);
