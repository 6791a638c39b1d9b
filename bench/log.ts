// Partition log benchmark: append and fetch throughput against raw sequential file I/O
// of the same bytes, and open time after a clean shutdown for 1,000 vs 10 segments.
// Run: npm run bench -- log. Prints figures and ratios; writes bench/results/log.json.
//
// Append: the raw reference is a plain positional writeSync loop of the same batch bytes
// (fdatasync awaited on the same schedule as the log's flush.messages); the log path
// validates every batch (CRC included) and awaits each append's `durable` promise, as a
// broker does. The machine is shared and noisy (2 cores, other work, disk writeback), so
// raw and log runs are paired in ROUNDS rounds whose order alternates (raw first, then
// log first), each pair giving one log/raw ratio; the ratio reported is the median of
// those, with their spread, and the MB/s figures are the medians of each side. Every run
// ends synced so that no writeback is left to slow the next one. Fetch figures are paired
// the same way; open times alternate between the 10- and the 1,000-segment log.
import { closeSync, fdatasync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionLog, encodeRecordBatch, logConfig, type LogConfig } from '@weir/broker-core';

const RECORD_BYTES = 1024;
const RECORDS_PER_BATCH = 16;
const TOTAL_BYTES = 256 * 1024 * 1024;
const FETCH_MAX_BYTES = 1024 * 1024;
const FSYNC_EVERY_RECORDS = 1024; // flush.messages for the "fsync" policy: every 64 batches, ~1 MiB
const ROUNDS = 7;

const root = mkdtempSync(join(tmpdir(), 'weir-bench-log-'));
const now = () => performance.now();

function makeBatch(): Buffer {
  const records = Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({ key: null, value: Buffer.alloc(RECORD_BYTES, i) }));
  return encodeRecordBatch({ records, defaultTimestamp: BigInt(Date.now()) });
}

const template = makeBatch();
const batchCount = Math.floor(TOTAL_BYTES / template.length);
const bytes = batchCount * template.length;
const records = batchCount * RECORDS_PER_BATCH;

function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/** Raw: one positional write per batch, fdatasync every `fsyncEveryBatches` (awaited), like the log's flush policy. */
async function rawWrite(path: string, fsyncEveryBatches: number): Promise<number> {
  const fd = openSync(path, 'w');
  const start = now();
  let position = 0;
  for (let i = 0; i < batchCount; i++) {
    position += writeSync(fd, template, 0, template.length, position);
    if ((i + 1) % fsyncEveryBatches === 0) await fdatasyncAsync(fd);
  }
  const ms = now() - start;
  fdatasyncSync(fd); // leave no dirty pages to throttle the next run
  closeSync(fd);
  return ms;
}

async function logAppend(dir: string, config: LogConfig): Promise<number> {
  const log = PartitionLog.open(dir, { config });
  const batch = Buffer.from(template);
  const start = now();
  for (let i = 0; i < batchCount; i++) {
    const info = log.append(batch);
    await info.durable; // resolves at once unless the policy asked for an fsync
  }
  const ms = now() - start;
  await log.close();
  return ms;
}

function rawRead(path: string): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(FETCH_MAX_BYTES);
  const start = now();
  let position = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, FETCH_MAX_BYTES, position);
    if (n === 0) break;
    position += n;
  }
  const ms = now() - start;
  closeSync(fd);
  return ms;
}

async function logRead(dir: string, reuseBuffer: boolean): Promise<number> {
  const log = PartitionLog.open(dir, { config: logConfig({ segmentBytes: 1024 * 1024 * 1024 }) });
  log.updateHighWatermark(log.logEndOffset);
  const buffer = reuseBuffer ? Buffer.allocUnsafe(FETCH_MAX_BYTES) : undefined;
  const start = now();
  let offset = 0n;
  let total = 0;
  while (offset < log.logEndOffset) {
    const data = log.read(offset, FETCH_MAX_BYTES, { minOneMessage: true, maxOffset: log.highWatermark, buffer });
    total += data.records.length;
    // The next fetch offset: one past the last batch returned, from its header (no
    // decode), as a consumer computes it.
    const r = data.records;
    if (r.length === 0) throw new Error(`no data at offset ${offset} below the log end ${log.logEndOffset}`);
    let pos = 0;
    let lastPos = 0;
    while (pos < r.length) {
      lastPos = pos;
      pos += 12 + r.readInt32BE(pos + 8);
    }
    offset = r.readBigInt64BE(lastPos) + BigInt(r.readInt32BE(lastPos + 23)) + 1n;
  }
  const ms = now() - start;
  if (total !== bytes) throw new Error(`read ${total} bytes, expected ${bytes}`);
  await log.close();
  return ms;
}

const openConfig = logConfig({ segmentBytes: template.length });

async function createLog(segments: number): Promise<string> {
  const dir = join(root, `open-${segments}`);
  const log = PartitionLog.open(dir, { config: openConfig });
  for (let i = 0; i < segments; i++) log.append(Buffer.from(template));
  await log.close();
  return dir;
}

async function openOnce(dir: string, segments: number): Promise<number> {
  const start = now();
  const reopened = PartitionLog.open(dir, { config: openConfig });
  const ms = now() - start;
  if (!reopened.hadCleanShutdown || reopened.segmentCount !== segments) throw new Error('expected a clean open');
  await reopened.close();
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const mbps = (ms: number) => bytes / (1024 * 1024) / (ms / 1000);
const recps = (ms: number) => records / (ms / 1000);
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  console.log(`partition log bench: ${batchCount} batches of ${RECORDS_PER_BATCH} x ${RECORD_BYTES} B records (${(bytes / 2 ** 20).toFixed(0)} MiB), uncompressed`);
  const results: Record<string, unknown> = { batchBytes: template.length, batchCount, bytes, records };
  const policies: [string, LogConfig, number][] = [
    ['page cache (default flush policy, no fsync)', logConfig(), Number.MAX_SAFE_INTEGER],
    [`fsync every ${FSYNC_EVERY_RECORDS} records (flush.messages)`, logConfig({ flushMessages: FSYNC_EVERY_RECORDS }), FSYNC_EVERY_RECORDS / RECORDS_PER_BATCH],
  ];
  for (const [name, config, fsyncEveryBatches] of policies) {
    const key = fsyncEveryBatches === Number.MAX_SAFE_INTEGER ? 'appendPageCache' : 'appendFsync';
    const rawPath = join(root, `${key}-raw.bin`);
    const logDir = join(root, `${key}-log`);
    const runRaw = async () => {
      rmSync(rawPath, { force: true });
      const ms = await rawWrite(rawPath, fsyncEveryBatches);
      rmSync(rawPath, { force: true });
      return ms;
    };
    const runLog = async () => {
      rmSync(logDir, { recursive: true, force: true });
      return logAppend(logDir, config);
    };
    const rawRuns: number[] = [];
    const logRuns: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      if (i % 2 === 0) {
        rawRuns.push(await runRaw());
        logRuns.push(await runLog());
      } else {
        logRuns.push(await runLog());
        rawRuns.push(await runRaw());
      }
    }
    const ratios = rawRuns.map((raw, i) => raw / logRuns[i]!);
    const ratio = median(ratios);
    const rawMs = median(rawRuns);
    const logMs = median(logRuns);
    console.log(`append, ${name}:`);
    console.log(`  PartitionLog.append  ${fmt(mbps(logMs))} MB/s  ${fmt(recps(logMs), 0)} records/s  (median of ${ROUNDS})`);
    console.log(`  raw fs.writeSync     ${fmt(mbps(rawMs))} MB/s  ${fmt(recps(rawMs), 0)} records/s  (median of ${ROUNDS})`);
    console.log(`  ratio log/raw        ${fmt(ratio, 2)}  (target >= 0.70; median of ${ROUNDS} paired rounds, spread ${fmt(Math.min(...ratios), 2)}-${fmt(Math.max(...ratios), 2)})`);
    results[key] = { logMBps: mbps(logMs), logRecordsPerSec: recps(logMs), rawMBps: mbps(rawMs), rawRecordsPerSec: recps(rawMs), ratio, roundRatios: ratios };
    if (key === 'appendFsync') rmSync(logDir, { recursive: true, force: true });
    rmSync(rawPath, { force: true });
  }

  const readDir = join(root, 'appendPageCache-log');
  const segmentFile = join(readDir, `${'0'.padStart(20, '0')}.log`);
  rawRead(segmentFile); // warm the page cache for both
  // Paired rounds in alternating order, like the append figures.
  const rawReads: number[] = [];
  const logReads: number[] = [];
  const freshReads: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) rawReads.push(rawRead(segmentFile));
    logReads.push(await logRead(readDir, true));
    freshReads.push(await logRead(readDir, false));
    if (i % 2 === 1) rawReads.push(rawRead(segmentFile));
  }
  const rawReadMs = median(rawReads);
  const logReadMs = median(logReads);
  const freshReadMs = median(freshReads);
  const readRatios = rawReads.map((raw, i) => raw / logReads[i]!);
  const readRatio = median(readRatios);
  console.log(`fetch path, ${FETCH_MAX_BYTES / 1024} KiB per read, from the page cache (medians of ${ROUNDS}):`);
  console.log(`  PartitionLog.read    ${fmt(mbps(logReadMs))} MB/s  (into a reused buffer, as raw does)`);
  console.log(`  raw fs.readSync      ${fmt(mbps(rawReadMs))} MB/s  (one reused buffer)`);
  console.log(`  ratio log/raw        ${fmt(readRatio, 2)}  (target >= 0.70; median of ${ROUNDS} paired rounds, spread ${fmt(Math.min(...readRatios), 2)}-${fmt(Math.max(...readRatios), 2)})`);
  console.log(`  PartitionLog.read    ${fmt(mbps(freshReadMs))} MB/s  (a fresh buffer per read: ratio ${fmt(rawReadMs / freshReadMs, 2)})`);
  results.read = { logMBps: mbps(logReadMs), rawMBps: mbps(rawReadMs), ratio: readRatio, roundRatios: readRatios, freshBufferMBps: mbps(freshReadMs), freshBufferRatio: rawReadMs / freshReadMs };
  rmSync(readDir, { recursive: true, force: true });

  // Opens of the two logs alternate, so that noise hits both alike.
  const dir10 = await createLog(10);
  const dir1000 = await createLog(1000);
  const samples10: number[] = [];
  const samples1000: number[] = [];
  for (let i = 0; i < 41; i++) {
    samples10.push(await openOnce(dir10, 10));
    samples1000.push(await openOnce(dir1000, 1000));
  }
  const open10 = median(samples10);
  const open1000 = median(samples1000);
  const openRatio = open1000 / open10;
  console.log('open after a clean shutdown (median of 41):');
  console.log(`  10 segments          ${fmt(open10, 3)} ms`);
  console.log(`  1,000 segments       ${fmt(open1000, 3)} ms`);
  console.log(`  ratio 1000/10        ${fmt(openRatio, 2)}  (target < 2)`);
  results.open = { tenSegmentsMs: open10, thousandSegmentsMs: open1000, ratio: openRatio };

  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/log.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2)}\n`);
  console.log('written to bench/results/log.json');
}

try {
  await main();
} finally {
  rmSync(root, { recursive: true, force: true });
}
