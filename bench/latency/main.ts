// Focused end-to-end latency bench (W11): the wire bench's latency run on its own, short,
// with the broker's own view beside it. Run:
//   npm run bench -- latency [--rate 10000] [--seconds 6] [--warmup 1] [--clients defaults|latency] [--runs 1]
//
// The broker and its Kafka listener run in this process (standalone broker: temp data dir,
// in-memory registry store, real timer). A paced producer (bench/wire/pacer.ts, its own
// process, feeding `kcat -P` at the rate, acks=all linger.ms=1) stamps each value with its
// send time; a `kcat -C -u` consumer started first prints each value and this process takes
// receive time minus send time. The first `--warmup` seconds are left out.
//
// Client settings (`--clients`), stated in the output:
// - defaults: librdkafka's own on the consumer (fetch.wait.max.ms=500, fetch.min.bytes=1,
//   Nagle left on: socket.nagle.disable=false) and acks=all linger.ms=1 on the producer.
// - latency: what a latency-minded user adds: Nagle off on both sides, and on the consumer
//   fetch.wait.max.ms=5 and fetch.error.backoff.ms=1. The broker answers a waiting fetch as
//   soon as an append lands either way; these only trim the clients' own waits.
//
// Beside the percentiles it prints what the broker's event loop saw over the run: its delay
// (perf_hooks.monitorEventLoopDelay, 1 ms resolution) and the GC pauses (PerformanceObserver
// 'gc'), so a tail can be put down to the loop, the collector or neither.
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { kcatMissing, spawnKcat } from '../../test/support/kcat.js';
import { startStandaloneBroker, type StandaloneBroker } from '../../libs/broker-core/src/kafka-server/testing/standalone-broker.js';
import { onStampedValues } from '../support/kcat-latency.js';
import { percentile } from '../support/stats.js';

/** librdkafka settings of each side, by `--clients`. */
const CLIENT_SETTINGS = {
  defaults: { consumer: [] as string[], producer: [] as string[] },
  latency: {
    consumer: ['-X', 'fetch.wait.max.ms=5', '-X', 'fetch.error.backoff.ms=1', '-X', 'socket.nagle.disable=true'],
    producer: ['-X', 'socket.nagle.disable=true'],
  },
} as const;
const PRODUCE_SETTINGS = ['-X', 'acks=all', '-X', 'linger.ms=1'];
const VALUE_BYTES = 100;

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '1' },
    clients: { type: 'string', default: 'defaults' },
    runs: { type: 'string', default: '1' },
  },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const warmupSeconds = Number(args.warmup);
const runs = Number(args.runs);
const clients = CLIENT_SETTINGS[args.clients as keyof typeof CLIENT_SETTINGS];
if (clients === undefined) throw new Error(`--clients must be one of ${Object.keys(CLIENT_SETTINGS).join(', ')}`);
const produceSettings = [...PRODUCE_SETTINGS, ...clients.producer];

interface Run {
  measured: number;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  gcPauses: number;
  gcMaxMs: number;
  gcTotalMs: number;
}

async function measure(bench: StandaloneBroker, topic: string): Promise<Run> {
  await bench.broker.createTopic({ name: topic, partitions: 1 });
  const total = rate * seconds;
  const seqs = new Float64Array(total).fill(Number.NaN);
  const sentAts = new Float64Array(total);
  let received = 0;
  const consumer = spawnKcat(['-C', '-b', bench.bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-u', '-q', ...clients.consumer, '-f', '%s\\n']);
  consumer.stdin.end();
  let done: () => void = () => undefined;
  const allReceived = new Promise<void>((resolve) => (done = resolve));
  onStampedValues(consumer.stdout, (seq, sentAt, at) => {
    if (seq < total && Number.isNaN(seqs[seq]!)) {
      seqs[seq] = at - sentAt;
      sentAts[seq] = sentAt;
      received++;
    }
    if (received >= total) done();
  });
  const consumerErr: Buffer[] = [];
  consumer.stderr.on('data', (chunk: Buffer) => consumerErr.push(chunk));

  const loop = monitorEventLoopDelay({ resolution: 1 });
  const gc: number[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc.push(entry.duration);
  });
  try {
    const pacer = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('../wire/pacer.ts', import.meta.url).pathname, bench.bootstrap, topic, String(rate), String(seconds), String(VALUE_BYTES), ...produceSettings],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    // Measure the broker's loop once warm-up is over, as the latency samples are.
    const warmupTimer = setTimeout(() => {
      loop.enable();
      gcObserver.observe({ entryTypes: ['gc'] });
    }, warmupSeconds * 1000);
    const pacerCode = await new Promise<number | null>((resolve) => pacer.on('close', resolve));
    clearTimeout(warmupTimer);
    if (pacerCode !== 0) throw new Error(`paced producer exited ${pacerCode}`);
    let deadlineTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      deadlineTimer = setTimeout(() => reject(new Error(`consumer saw ${received} of ${total} messages; stderr: ${Buffer.concat(consumerErr).toString()}`)), 15_000);
    });
    try {
      await Promise.race([allReceived, deadline]);
    } finally {
      clearTimeout(deadlineTimer);
    }
    loop.disable();
    gcObserver.disconnect();
    const from = rate * warmupSeconds;
    const kept = Array.from(seqs.subarray(from)).sort((a, b) => a - b);
    const sent = sentAts.subarray(from);
    const sendSpanMs = sent.reduce((max, s) => Math.max(max, s), -Infinity) - sent.reduce((min, s) => Math.min(min, s), Infinity);
    return {
      measured: kept.length,
      achievedRate: ((kept.length - 1) * 1000) / sendSpanMs,
      p50Ms: percentile(kept, 50),
      p99Ms: percentile(kept, 99),
      p999Ms: percentile(kept, 99.9),
      maxMs: kept[kept.length - 1]!,
      // The histogram counts from its 1 ms resolution timer: a value above 1 ms is time the loop was busy.
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      loopDelayMaxMs: loop.max / 1e6,
      gcPauses: gc.length,
      gcMaxMs: gc.reduce((a, b) => Math.max(a, b), 0),
      gcTotalMs: gc.reduce((a, b) => a + b, 0),
    };
  } finally {
    consumer.kill('SIGTERM');
    await bench.broker.deleteTopic(topic);
  }
}

const f2 = (n: number) => n.toFixed(2);

async function main(): Promise<void> {
  const missing = kcatMissing();
  if (missing !== undefined) throw new Error(`${missing} The latency bench needs kcat.`);
  const bench = await startStandaloneBroker();
  try {
    const settings = (list: readonly string[]) => list.filter((a) => a !== '-X').join(' ');
    console.log(`e2e latency: ${rate} msgs/s, ${VALUE_BYTES} B values, ${seconds} s (first ${warmupSeconds} s left out), ${cpus().length} cores, load average ${f2(loadavg()[0]!)}`);
    console.log(`producer: paced kcat -P ${settings(produceSettings)}; consumer: kcat -C -u, ${settings(clients.consumer) || "librdkafka's defaults"}`);
    for (let i = 0; i < runs; i++) {
      const r = await measure(bench, `latency-${i}`);
      console.log(
        `run ${i + 1}: ${r.measured} msgs at ${Math.round(r.achievedRate)}/s  p50 ${f2(r.p50Ms)} ms  p99 ${f2(r.p99Ms)} ms  p999 ${f2(r.p999Ms)} ms  max ${f2(r.maxMs)} ms` +
          ` | broker loop delay p99 ${f2(r.loopDelayP99Ms)} ms max ${f2(r.loopDelayMaxMs)} ms; GC ${r.gcPauses} pauses, max ${f2(r.gcMaxMs)} ms, total ${f2(r.gcTotalMs)} ms`,
      );
    }
  } finally {
    await bench.close();
  }
}

await main();
