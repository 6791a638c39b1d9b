import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { spawnKcat } from '../../test/support/kcat.js';
import { percentile } from './stats.js';

/** End-to-end latency at a fixed rate: percentiles of receive time minus send time, warm-up left out. */
export interface Latency {
  readonly rate: number;
  readonly achievedRate: number;
  readonly valueBytes: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly measured: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly method: string;
}

export interface LatencyPlan {
  readonly rate: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly valueBytes: number;
}

/**
 * End-to-end latency through a Kafka listener: a kcat consumer (-u, unbuffered, printing
 * each value) starts first; bench/wire/pacer.ts, its own process, feeds kcat -P at the
 * planned rate, each value starting with its sequence number and send time; receive time
 * minus send time, warm-up left out.
 */
export async function kcatLatency(bootstrap: string, topic: string, plan: LatencyPlan, produceSettings: readonly string[]): Promise<Latency> {
  const total = plan.rate * plan.seconds;
  const warmup = plan.rate * plan.warmupSeconds;
  const samples: number[] = [];
  let firstSent = Infinity;
  let lastSent = -Infinity;
  let seen = 0;
  const consumer = spawnKcat(['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-u', '-q', '-f', '%s\\n']);
  consumer.stdin.end();
  let done: () => void = () => undefined;
  const allReceived = new Promise<void>((resolve) => (done = resolve));
  onStampedValues(consumer.stdout, (seq, sentAt, at) => {
    seen++;
    if (seq >= warmup) {
      samples.push(at - sentAt);
      firstSent = Math.min(firstSent, sentAt);
      lastSent = Math.max(lastSent, sentAt);
    }
    if (seen >= total) done();
  });
  const consumerErr: Buffer[] = [];
  consumer.stderr.on('data', (chunk: Buffer) => consumerErr.push(chunk));
  let deadline: NodeJS.Timeout | undefined;
  try {
    const pacer = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('../wire/pacer.ts', import.meta.url).pathname, bootstrap, topic, String(plan.rate), String(plan.seconds), String(plan.valueBytes), ...produceSettings],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const pacerCode = await new Promise<number | null>((resolve) => pacer.on('close', resolve));
    if (pacerCode !== 0) throw new Error(`paced producer exited ${pacerCode}`);
    const late = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => reject(new Error(`consumer saw ${seen} of ${total} messages; stderr: ${Buffer.concat(consumerErr).toString()}`)), 15_000);
    });
    await Promise.race([allReceived, late]);
    samples.sort((a, b) => a - b);
    return {
      rate: plan.rate,
      achievedRate: ((samples.length - 1) * 1000) / (lastSent - firstSent),
      valueBytes: plan.valueBytes,
      seconds: plan.seconds,
      warmupSeconds: plan.warmupSeconds,
      measured: samples.length,
      p50Ms: percentile(samples, 50),
      p99Ms: percentile(samples, 99),
      p999Ms: percentile(samples, 99.9),
      maxMs: samples[samples.length - 1]!,
      method: `paced kcat -P (${produceSettings.filter((a) => a !== '-X').join(' ')}) -> broker -> kcat -C -u, 1 partition`,
    };
  } finally {
    clearTimeout(deadline);
    consumer.kill('SIGTERM');
  }
}

/**
 * Calls `onValue` for every line a kcat consumer prints (`-f '%s\\n'`) of a value the pacer
 * stamped ("<seq> <send time ms> ..."), with the time the chunk holding it arrived.
 */
export function onStampedValues(stdout: Readable, onValue: (seq: number, sentAtMs: number, atMs: number) => void): void {
  let pending = '';
  stdout.setEncoding('latin1');
  stdout.on('data', (chunk: string) => {
    const at = performance.timeOrigin + performance.now();
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const [seq, sentAt] = line.split(' ', 2).map(Number) as [number, number];
      onValue(seq, sentAt, at);
    }
  });
}
