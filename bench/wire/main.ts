// Kafka wire-protocol bench (W5). Run: npm run bench -- wire. Prints a table; writes
// bench/results/wire.json.
//
// The broker and its Kafka listener run in this process (broker-core's testing/standalone-broker.ts: Broker +
// KafkaListener from @weir/broker-core on a temp data dir, in-memory registry store,
// real time and timer; Nest cannot run under tsx, and the REST gateway is not on this
// path). librdkafka, through kcat child processes, is the load generator, with the
// settings a throughput-minded user would pick:
//
// - produce: `kcat -P -l <file>` of N newline-separated values, no keys, to a topic of
//   PARTITIONS partitions (librdkafka's partitioner spreads keyless messages), acks=all,
//   linger.ms=5, batch.num.messages=10000, a 1 GiB producer queue, no compression. Timed
//   from spawn to exit: kcat exits once every message is acknowledged.
// - consume: `kcat -C -o beginning -e` of the same topic, no group, librdkafka's default
//   fetch sizes (1 MiB per partition, 50 MiB per response) and fetch.wait.max.ms=10 (see
//   CONSUME_SETTINGS). Timed from spawn to exit: -e exits at the end of every partition;
//   the end offsets it reports are checked against N. Measured printing nothing (-f '',
//   the figure the ratio uses: broker and librdkafka, not kcat's formatting) and, once per
//   round, with kcat's default output (each value and a newline) to /dev/null.
//
// References, in the same run, on the same filesystem (the broker's data dir):
// - raw write: the same number of bytes the log holds after the produce, written with
//   writeSync in chunks of the log's average batch size, one fdatasync at the end (the
//   broker's default flush policy does not fsync at all, so this is the harder side).
// - raw read: that file read back with readSync in 1 MiB chunks (librdkafka's per-partition
//   fetch size). Both reads come from the page cache: the log and the raw file were just
//   written and dropping caches needs root; the output says so.
// Each pair (produce vs raw write, consume vs raw read) is measured ROUNDS times in
// alternating order; the ratio reported is the median of the per-round ratios of MB/s.
// The CPU columns (broker process, kcat child, as shares of one core) tell which side, if
// either, was saturated.
//
// Latency: a paced producer (pacer.ts, its own process, feeding kcat -P at LATENCY_RATE
// msgs/s, linger.ms=1) stamps each value with its send time; a kcat consumer started
// first prints each value (`-f '%s\n'`, unbuffered) and this process takes receive time
// minus send time. The first second is warm-up and left out.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { kcatMissing, kcatPath } from '../../test/support/kcat.js';
import { startStandaloneBroker as startBenchBroker, type StandaloneBroker as BenchBroker } from '../../libs/broker-core/src/kafka-server/testing/standalone-broker.js';
import { RAW_READ_CHUNK, rawRead, rawWrite } from '../support/raw-io.js';
import { kcatLatency, type Latency } from '../support/kcat-latency.js';
import { median } from '../support/stats.js';
import { storedBatches } from '../support/stored-batches.js';
import { timeChild } from '../support/timed-child.js';
import { writeValueFile } from '../support/value-file.js';

const PARTITIONS = 4;
const ROUNDS = 5;
const SIZES = [
  { valueBytes: 100, messages: 1_000_000 },
  { valueBytes: 1024, messages: 250_000 },
] as const;
/**
 * kcat -e stops at the end of a partition only after a fetch comes back empty there, and
 * the broker holds such a fetch for fetch.wait.max.ms (librdkafka's default 500 ms, as
 * Kafka would): 10 ms keeps that end-of-data wait from being half of a one-second run.
 */
const CONSUME_SETTINGS = ['-X', 'fetch.wait.max.ms=10'];
const PRODUCE_SETTINGS = ['-X', 'acks=all', '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-X', 'queue.buffering.max.kbytes=1048576', '-X', 'queue.buffering.max.messages=2000000'];
const LATENCY_RATE = 10_000;
const LATENCY_SECONDS = 6;
const LATENCY_WARMUP_SECONDS = 1;
const LATENCY_VALUE_BYTES = 100;
const LATENCY_PRODUCE_SETTINGS = ['-X', 'acks=all', '-X', 'linger.ms=1'];
const TARGET_RATIO = 0.5;
const MiB = 1024 * 1024;

interface ChildRun {
  readonly ms: number;
  readonly stderr: string;
  /** CPU time of this process (the broker) over the run, as a share of one core. */
  readonly brokerCpu: number;
  /** CPU time of the kcat child over the run, as a share of one core (NaN where /proc is not there). */
  readonly clientCpu: number;
}

/** Runs kcat with stdin and stdout on /dev/null; rejects on a non-zero exit or after `timeoutMs`. */
async function timeKcat(args: readonly string[], timeoutMs = 120_000): Promise<ChildRun> {
  const run = await timeChild(kcatPath()!, args, { timeoutMs });
  return { ms: run.ms, stderr: run.stderr, brokerCpu: run.selfCpu, clientCpu: run.childCpu };
}

interface Side {
  msgsPerSec: number;
  payloadMBps: number;
  /** Record batches as stored, per second: the bytes the raw reference moves. */
  logMBps: number;
  /** Median CPU of the broker process and of the kcat child over the run, as shares of one core. */
  brokerCpu: number;
  clientCpu: number;
}

interface SizeResult {
  valueBytes: number;
  messages: number;
  partitions: number;
  storedBytes: number;
  batches: number;
  avgBatchBytes: number;
  produce: Side & { rawWriteMBps: number; ratio: number; roundRatios: number[] };
  consume: Side & { rawReadMBps: number; ratio: number; roundRatios: number[] };
  /** The same consume with kcat printing every value (its default output) to /dev/null. */
  consumePrinting: Side;
}

/** Runs a measured pair in an order that alternates across rounds, so drift in the machine's load hits both sides alike. */
async function alternate(round: number, first: () => unknown, second: () => unknown): Promise<void> {
  for (const step of round % 2 === 0 ? [first, second] : [second, first]) await step();
}

/** The consumer's end offsets, from kcat's "Reached end of topic" lines, must add up to `messages`. */
function checkConsumed(run: ChildRun, messages: number): void {
  const ends = [...run.stderr.matchAll(/Reached end of topic \S+ \[(\d+)\] at offset (\d+)/g)];
  const seen = new Map(ends.map((m) => [Number(m[1]), Number(m[2])]));
  const total = [...seen.values()].reduce((a, b) => a + b, 0);
  if (seen.size !== PARTITIONS || total !== messages) throw new Error(`consumer reached offsets ${JSON.stringify([...seen])}, expected ${messages} in all`);
}

async function throughput(bench: BenchBroker, inputDir: string, valueBytes: number, messages: number): Promise<SizeResult> {
  const input = join(inputDir, `values-${valueBytes}.txt`);
  writeValueFile(input, messages, valueBytes);
  const rawPath = join(bench.dataDir, `raw-${valueBytes}.bin`);
  const produceRuns: ChildRun[] = [];
  const consumeRuns: ChildRun[] = [];
  const printingRuns: ChildRun[] = [];
  const rawWriteRuns: number[] = [];
  const rawReadRuns: number[] = [];
  let stored = { bytes: 0, batches: 0 };
  const storedPerRound: number[] = [];
  /** Fixed by the first round's log: every raw run writes and reads this many bytes in these chunks. */
  let raw = { bytes: 0, chunk: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const topic = `wire-${valueBytes}-${round}`;
    await bench.broker.createTopic({ name: topic, partitions: PARTITIONS });
    const produce = async () => {
      produceRuns.push(await timeKcat(['-P', '-b', bench.bootstrap, '-t', topic, '-l', '-q', ...PRODUCE_SETTINGS, input]));
      const appended = bench.broker.describeTopic(topic).partitions.reduce((n, p) => n + Number(p.highWatermark), 0);
      if (appended !== messages) throw new Error(`produced ${messages} messages but the log holds ${appended}`);
      stored = { bytes: 0, batches: 0 };
      for (let p = 0; p < PARTITIONS; p++) {
        const s = await storedBatches(bench.broker, topic, p);
        stored = { bytes: stored.bytes + s.bytes, batches: stored.batches + s.batches };
      }
      storedPerRound.push(stored.bytes);
      if (raw.bytes === 0) raw = { bytes: stored.bytes, chunk: Math.round(stored.bytes / stored.batches) };
    };
    const write = () => {
      rmSync(rawPath, { force: true });
      rawWriteRuns.push(rawWrite(rawPath, raw.bytes, raw.chunk));
    };
    // The raw write needs the stored size: round 0 (even) measures produce first.
    await alternate(round, produce, write);
    // Consumers print nothing (-f ''), so the figure is the broker's and librdkafka's, not kcat's
    // formatting; the printing run shows what kcat's default output costs on top.
    const consume = async () => {
      const run = await timeKcat(['-C', '-b', bench.bootstrap, '-t', topic, '-o', 'beginning', '-e', ...CONSUME_SETTINGS, '-f', '']);
      checkConsumed(run, messages);
      consumeRuns.push(run);
    };
    await alternate(round, consume, () => void rawReadRuns.push(rawRead(rawPath, raw.bytes)));
    const printing = await timeKcat(['-C', '-b', bench.bootstrap, '-t', topic, '-o', 'beginning', '-e', ...CONSUME_SETTINGS]);
    checkConsumed(printing, messages);
    printingRuns.push(printing);
    await bench.broker.deleteTopic(topic);
  }
  rmSync(rawPath, { force: true });
  rmSync(input, { force: true });

  // Ratios of MB/s of the same kind of bytes (a round's log may batch a little differently from the first).
  const mbps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
  const payloadBytes = messages * valueBytes;
  const side = (runs: readonly ChildRun[]): Side => {
    const ms = median(runs.map((r) => r.ms));
    return {
      msgsPerSec: messages / (ms / 1000),
      payloadMBps: mbps(payloadBytes, ms),
      logMBps: mbps(median(storedPerRound), ms),
      brokerCpu: median(runs.map((r) => r.brokerCpu)),
      clientCpu: median(runs.map((r) => r.clientCpu)),
    };
  };
  const produceRatios = produceRuns.map((r, i) => mbps(storedPerRound[i]!, r.ms) / mbps(raw.bytes, rawWriteRuns[i]!));
  const consumeRatios = consumeRuns.map((r, i) => mbps(storedPerRound[i]!, r.ms) / mbps(raw.bytes, rawReadRuns[i]!));
  return {
    valueBytes,
    messages,
    partitions: PARTITIONS,
    storedBytes: stored.bytes,
    batches: stored.batches,
    avgBatchBytes: Math.round(stored.bytes / stored.batches),
    produce: { ...side(produceRuns), rawWriteMBps: mbps(raw.bytes, median(rawWriteRuns)), ratio: median(produceRatios), roundRatios: produceRatios },
    consume: { ...side(consumeRuns), rawReadMBps: mbps(raw.bytes, median(rawReadRuns)), ratio: median(consumeRatios), roundRatios: consumeRatios },
    consumePrinting: side(printingRuns),
  };
}

async function latency(bench: BenchBroker): Promise<Latency> {
  const topic = 'wire-latency';
  await bench.broker.createTopic({ name: topic, partitions: 1 });
  return kcatLatency(bench.bootstrap, topic, { rate: LATENCY_RATE, seconds: LATENCY_SECONDS, warmupSeconds: LATENCY_WARMUP_SECONDS, valueBytes: LATENCY_VALUE_BYTES }, LATENCY_PRODUCE_SETTINGS);
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const met = (ratio: number) => (ratio >= TARGET_RATIO ? 'MET' : 'MISSED');

async function main(): Promise<void> {
  const missing = kcatMissing();
  if (missing !== undefined) throw new Error(`${missing} The wire bench needs kcat as its load generator.`);
  const inputDir = mkdtempSync(join(tmpdir(), 'weir-bench-wire-input-'));
  const bench = await startBenchBroker();
  try {
    const loadBefore = loadavg()[0]!;
    console.log(`Kafka wire bench: broker + listener in this process, kcat (librdkafka) load in child processes; ${cpus().length} cores, load average ${f2(loadBefore)}; ${PARTITIONS} partitions, ${ROUNDS} rounds (medians)`);
    const sizes: SizeResult[] = [];
    for (const { valueBytes, messages } of SIZES) sizes.push(await throughput(bench, inputDir, valueBytes, messages));
    const lat = await latency(bench);

    const pct = (share: number) => (Number.isNaN(share) ? '   -' : `${Math.round(share * 100)}%`.padStart(4));
    const header = `${'value'.padEnd(8)}${'messages'.padStart(10)}  ${'run'.padEnd(17)}${'msgs/s'.padStart(11)}${'payload MB/s'.padStart(14)}${'log MB/s'.padStart(10)}  ${'CPU broker/kcat'.padStart(15)}   ${'raw reference, same bytes'.padEnd(31)}${'ratio'.padStart(6)}  target >= ${TARGET_RATIO}`;
    const row = (value: string, messages: string, run: string, side: Side, reference = '', ratio = '', verdict = '') =>
      console.log(`${value.padEnd(8)}${messages.padStart(10)}  ${run.padEnd(17)}${f0(side.msgsPerSec).padStart(11)}${f1(side.payloadMBps).padStart(14)}${f1(side.logMBps).padStart(10)}  ${`${pct(side.brokerCpu)} / ${pct(side.clientCpu)}`.padStart(15)}   ${reference.padEnd(31)}${ratio.padStart(6)}  ${verdict}`);
    console.log();
    console.log(header);
    console.log('-'.repeat(header.length + 20));
    for (const s of sizes) {
      const rounds = (r: readonly number[]) => `(rounds ${r.map(f2).join(', ')})`;
      row(`${s.valueBytes} B`, f0(s.messages), 'produce', s.produce, `write+fdatasync ${f1(s.produce.rawWriteMBps)} MB/s`, f2(s.produce.ratio), `${met(s.produce.ratio)} ${rounds(s.produce.roundRatios)}`);
      row('', '', 'consume', s.consume, `read (page cache) ${f1(s.consume.rawReadMBps)} MB/s`, f2(s.consume.ratio), `${met(s.consume.ratio)} ${rounds(s.consume.roundRatios)}`);
      row('', '', 'consume, printing', s.consumePrinting);
      console.log(`${''.padEnd(20)}log: ${f1(s.storedBytes / MiB)} MiB in ${f0(s.batches)} batches (avg ${f0(s.avgBatchBytes)} B, the raw write's chunk size)`);
    }
    console.log();
    console.log(`Ceilings: log MB/s divided by CPU share is what a side moves per core of CPU; kcat is multi-threaded, so with all ${cpus().length} cores`);
    console.log('to itself (and a broker that cost nothing) it would reach at most its per-core figure times the cores:');
    for (const s of sizes) {
      for (const [run, side, reference] of [['produce', s.produce, s.produce.rawWriteMBps], ['consume', s.consume, s.consume.rawReadMBps]] as const) {
        const needed = TARGET_RATIO * reference;
        const kcatPerCore = side.logMBps / side.clientCpu;
        const brokerPerCore = side.logMBps / side.brokerCpu;
        const kcatMachine = kcatPerCore * cpus().length;
        const verdict = kcatMachine < needed ? `out of reach of this load generator on ${cpus().length} cores` : brokerPerCore < needed ? 'the broker is the limit' : 'neither side alone is the limit';
        console.log(`  ${`${s.valueBytes} B ${run}`.padEnd(16)} target needs ${f1(needed).padStart(7)} MB/s; kcat ${f1(kcatPerCore).padStart(7)} MB/s per core (${f1(kcatMachine).padStart(7)} on all cores), broker ${f1(brokerPerCore).padStart(7)} MB/s per core: ${verdict}`);
      }
    }
    console.log();
    console.log('log MB/s and the raw references count the same bytes: the record batches as stored. Raw write: one fdatasync at the end (the broker did none).');
    console.log('Reads: from the page cache on both sides (log and raw file just written; caches not dropped, that needs root).');
    console.log("consume: kcat prints nothing (-f ''); consume, printing: kcat's default output (each value and a newline) to /dev/null.");
    console.log('CPU: of the broker process and of the kcat child over the run, as shares of one core (the medians of the rounds).');
    console.log();
    console.log(`end-to-end latency at ${f0(lat.rate)} msgs/s (achieved ${f0(lat.achievedRate)}), ${lat.valueBytes} B values, ${lat.seconds} s, first ${lat.warmupSeconds} s left out, ${f0(lat.measured)} messages:`);
    console.log(`  p50 ${f2(lat.p50Ms)} ms   p99 ${f2(lat.p99Ms)} ms   max ${f2(lat.maxMs)} ms   (paced kcat -P with ${LATENCY_PRODUCE_SETTINGS.filter((a) => a !== '-X').join(' ')} -> broker -> kcat -C -u)`);
    console.log(`load average ${f2(loadBefore)} at the start, ${f2(loadavg()[0]!)} at the end (${cpus().length} cores; other work on the machine shows in the spread of the rounds)`);

    mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
    writeFileSync(
      new URL('../results/wire.json', import.meta.url),
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          cores: cpus().length,
          loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) },
          setup: {
            broker: 'Broker + KafkaListener in the bench process (in-memory registry store, real timer)',
            loadGenerator: 'kcat (librdkafka) child processes',
            partitions: PARTITIONS,
            rounds: ROUNDS,
            produceSettings: PRODUCE_SETTINGS.filter((a) => a !== '-X'),
            consumeSettings: `librdkafka defaults but ${CONSUME_SETTINGS.filter((a) => a !== '-X').join(' ')}; -o beginning -e, no output (-f ''); printing: default output to /dev/null`,
            rawWrite: 'same bytes as stored, chunks of the average batch size, one fdatasync at the end',
            rawRead: `same bytes, ${RAW_READ_CHUNK / MiB} MiB reads, page cache (warm) on both sides`,
          },
          sizes,
          latency: { ...lat, produceSettings: LATENCY_PRODUCE_SETTINGS.filter((a) => a !== '-X') },
          targets: { produceVsRawWrite: TARGET_RATIO, consumeVsRawRead: TARGET_RATIO },
        },
        // Three decimals are plenty for figures this noisy.
        (_key, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value),
        2,
      )}\n`,
    );
    console.log('written to bench/results/wire.json');
  } finally {
    await bench.close();
    rmSync(inputDir, { recursive: true, force: true });
  }
}

await main();
