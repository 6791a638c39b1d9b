import { closeSync, fdatasyncSync, openSync, readSync, writeSync } from 'node:fs';

/** librdkafka's per-partition fetch size: the chunk of the raw read reference. */
export const RAW_READ_CHUNK = 1024 * 1024;

/**
 * The raw write reference: `bytes` written to `path` with writeSync in chunks of
 * `chunkBytes`, one fdatasync at the end (inside the timing). Returns milliseconds.
 */
export function rawWrite(path: string, bytes: number, chunkBytes: number): number {
  const chunk = Buffer.alloc(chunkBytes, 0x61);
  const fd = openSync(path, 'w');
  const start = performance.now();
  let written = 0;
  while (written < bytes) written += writeSync(fd, chunk, 0, Math.min(chunkBytes, bytes - written), written);
  fdatasyncSync(fd);
  const ms = performance.now() - start;
  closeSync(fd);
  return ms;
}

/** The raw read reference: the whole file read with readSync in RAW_READ_CHUNK reads; checks it held `bytes`. Returns milliseconds. */
export function rawRead(path: string, bytes: number): number {
  const buf = Buffer.allocUnsafe(RAW_READ_CHUNK);
  const fd = openSync(path, 'r');
  const start = performance.now();
  let read = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, RAW_READ_CHUNK, read);
    if (n === 0) break;
    read += n;
  }
  const ms = performance.now() - start;
  closeSync(fd);
  if (read !== bytes) throw new Error(`raw read ${read} bytes, expected ${bytes}`);
  return ms;
}
