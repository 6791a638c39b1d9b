import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecordBatch } from '../batch/record-batch-encoder.js';
import { iterateBatches } from '../batch/record-batch-decoder.js';
import type { StorageLogger } from '../logger.js';

/** A batch of `count` records with `valueBytes`-byte values, all stamped `timestamp`. */
export function makeBatch(count: number, timestamp: number, valueBytes = 100, tag = 0): Buffer {
  const records = [];
  for (let i = 0; i < count; i++) {
    const value = Buffer.alloc(valueBytes, (tag + i) & 0xff);
    records.push({ key: Buffer.from(`k${tag}-${i}`), value, timestamp: BigInt(timestamp) });
  }
  return encodeRecordBatch({ records, defaultTimestamp: BigInt(timestamp) });
}

/** Decodes every batch in `records` (CRC checked) and returns their record offsets. */
export function offsetsIn(records: Buffer): bigint[] {
  const offsets: bigint[] = [];
  for (const batch of iterateBatches(records)) for (const r of batch.records) offsets.push(r.offset);
  return offsets;
}

export class RecordingLogger implements StorageLogger {
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  info(): void {}
  warn(message: string): void {
    this.warnings.push(message);
  }
  error(message: string): void {
    this.errors.push(message);
  }
}

/** A fresh directory under the OS temp dir; `cleanup()` removes it. */
export function tempDir(prefix = 'weir-log-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function partitionDir(root: string): string {
  return join(root, 'topic-0');
}
