// Micro figures behind docs/performance.md, each beside its same-run reference:
// - CRC-32C: the native @node-rs/crc32 the log validates every produced batch with, against
//   a plain JS table implementation (kafkajs's approach), MB/s over 1 MiB.
// - Compressed appends: how long one append of a ~1 MiB compressed batch holds the event
//   loop, per codec, for a compacted topic (the only case where the log decompresses on
//   produce: compaction needs every key) and a delete topic (CRC only), with the time of
//   an uncompressed append of the same records as the reference.
// Run: npm run bench -- fast-paths.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { PartitionLog, encodeRecordBatch, logConfig, type LogConfig } from '@weir/broker-core';

const ROUNDS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const CASTAGNOLI = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  CASTAGNOLI[i] = c;
}
function crc32cTable(bytes: Buffer): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CASTAGNOLI[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function crcFigures(): void {
  const data = Buffer.alloc(1 << 20);
  for (let i = 0; i < data.length; i++) data[i] = Math.imul(i, 2654435761) >>> 24;
  if (crc32cTable(data) !== crc32c(data) >>> 0) throw new Error('the two CRC-32C implementations disagree');
  const mbps = (fn: () => unknown, times: number) => {
    const start = performance.now();
    for (let i = 0; i < times; i++) fn();
    return times / ((performance.now() - start) / 1000);
  };
  const native: number[] = [];
  const table: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    native.push(mbps(() => crc32c(data), 1000));
    table.push(mbps(() => crc32cTable(data), 50));
  }
  console.log(`CRC-32C over 1 MiB: native ${median(native).toFixed(0)} MB/s, JS table ${median(table).toFixed(0)} MB/s (x${(median(native) / median(table)).toFixed(1)})`);
}

const CODECS = [['none', 0], ['gzip', 1], ['snappy', 2], ['lz4', 3], ['zstd', 4]] as const;

async function appendFigures(): Promise<void> {
  // ~1 MiB of JSON-like values: Kafka's default max.message.bytes bounds a batch near this.
  const records = Array.from({ length: 1000 }, (_, i) => ({ key: Buffer.from(`key-${i}`), value: Buffer.from(JSON.stringify({ i, text: 'lorem ipsum '.repeat(80 + (i % 7)) })) }));
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-fast-paths-'));
  try {
    for (const policy of ['compact', 'delete'] as const) {
      const config: LogConfig = logConfig({ cleanupPolicy: [policy], maxMessageBytes: 64 * 1024 * 1024 });
      const row: string[] = [];
      for (const [name, compression] of CODECS) {
        const template = encodeRecordBatch({ records, defaultTimestamp: BigInt(Date.now()), compression });
        const dir = join(root, `${policy}-${name}`);
        const log = PartitionLog.open(dir, { config });
        const samples: number[] = [];
        for (let round = 0; round < ROUNDS * 4; round++) {
          const batch = Buffer.from(template);
          const start = performance.now();
          log.append(batch);
          samples.push(performance.now() - start);
        }
        row.push(`${name} ${median(samples).toFixed(2)} ms (${(template.length / 1024).toFixed(0)} KiB)`);
        await log.close();
      }
      console.log(`one append of 1,000 records (~1 MiB uncompressed), ${policy} topic, event loop held: ${row.join(', ')}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

crcFigures();
await appendFigures();
