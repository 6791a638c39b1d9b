// Redis Streams' side of the compare bench. Load: redis-benchmark (C, the native load
// generator that ships with Redis), sending arbitrary commands:
// - produce: XADD <key> * v <value>, 4 connections, 64 commands pipelined on each (-c 4
//   -P 64), N in all; timed from spawn to exit. redis-benchmark may send up to a pipeline
//   per connection more than N: XLEN (at least N) is the count the figures use.
// - consume: XGROUP CREATE <key> g 0, then N/1000 of XREADGROUP GROUP g c COUNT 1000 NOACK
//   STREAMS <key> > (-c 4 -P 16); the group's entries-read (XINFO GROUPS) must be N after.
// - latency: redis-latency.ts (a JavaScript client, its own process).
import { spawn, spawnSync } from 'node:child_process';
import { cpuSeconds } from '../support/process-cpu.js';
import { median } from '../support/stats.js';
import { timeChild } from '../support/timed-child.js';
import type { Plan } from './plan.js';
import { MiB, type Latency, type Throughput } from './results.js';
import { which } from './servers.js';

/** redis-cli against 127.0.0.1:<port>; its trimmed stdout, or undefined when it fails. */
export function redisCli(port: number, ...args: string[]): string | undefined {
  const cli = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 });
  return cli.status === 0 && !cli.stdout.startsWith('ERR') && !cli.stdout.startsWith('Could not connect') ? cli.stdout.trim() : undefined;
}

export function redisMissing(): string | undefined {
  for (const tool of ['redis-server', 'redis-cli', 'redis-benchmark']) if (which(tool) === undefined) return `${tool} is not installed`;
  return undefined;
}

/** appendonly / appendfsync / save as the server reports them, in words. */
export function redisDurability(port: number): string {
  const get = (name: string) => redisCli(port, 'CONFIG', 'GET', name)?.split('\n')[1] ?? '';
  const aof = get('appendonly');
  const save = get('save');
  const snapshots = save === '' ? 'no RDB snapshots' : `RDB snapshots "${save}"`;
  return aof === 'yes' ? `AOF on, appendfsync ${get('appendfsync')} (acknowledged when in the AOF buffer; written each event loop, fsync by policy); ${snapshots}` : `nothing on disk (appendonly no, ${snapshots}): acknowledged in memory only`;
}

function redisPid(port: number): number | undefined {
  const pid = /process_id:(\d+)/.exec(redisCli(port, 'INFO', 'server') ?? '')?.[1];
  return pid === undefined ? undefined : Number(pid);
}

interface Round {
  /** Messages moved (XLEN after the produce). */
  readonly messages: number;
  readonly ms: number;
  readonly serverCpu: number;
  readonly clientCpu: number;
}

async function bench(port: number, messages: number, args: readonly string[]): Promise<Round> {
  const pid = redisPid(port);
  const cpu = cpuSeconds(pid);
  const run = await timeChild('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-q', ...args]);
  return { messages, ms: run.ms, serverCpu: (cpuSeconds(pid) - cpu) / (run.ms / 1000), clientCpu: run.childCpu };
}

function summary(valueBytes: number, messages: number, rounds: readonly Round[]): Throughput {
  const rates = rounds.map((r) => r.messages / (r.ms / 1000));
  const msgsPerSec = median(rates);
  return {
    valueBytes,
    messages,
    setting: '',
    msgsPerSec,
    payloadMBps: (msgsPerSec * valueBytes) / MiB,
    rounds: rates,
    serverCpu: median(rounds.map((r) => r.serverCpu)),
    clientCpu: median(rounds.map((r) => r.clientCpu)),
  };
}

export async function runRedis(port: number, plan: Plan): Promise<{ produce: Throughput[]; consume: Throughput[]; latency: Latency }> {
  const produce: Throughput[] = [];
  const consume: Throughput[] = [];
  const key = 'compare-stream';
  for (const { valueBytes, messages } of plan.sizes) {
    const produced: Round[] = [];
    const consumed: Round[] = [];
    const value = 'v'.repeat(valueBytes);
    for (let round = 0; round < plan.rounds; round++) {
      redisCli(port, 'DEL', key);
      const run = await bench(port, 0, ['-c', '4', '-P', '64', '-n', String(messages), 'XADD', key, '*', 'v', value]);
      const length = Number(redisCli(port, 'XLEN', key));
      if (!(length >= messages && length <= messages + 4 * 64)) throw new Error(`redis: XLEN ${length} after ${messages} XADDs`);
      produced.push({ ...run, messages: length });
      if (redisCli(port, 'XGROUP', 'CREATE', key, 'g', '0') !== 'OK') throw new Error('redis: XGROUP CREATE failed');
      consumed.push(await bench(port, length, ['-c', '4', '-P', '16', '-n', String(Math.ceil(length / 1000)), 'XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1000', 'NOACK', 'STREAMS', key, '>']));
      const info = redisCli(port, 'XINFO', 'GROUPS', key) ?? '';
      const read = Number(/entries-read\n(\d+)/.exec(info)?.[1]);
      if (read !== length) throw new Error(`redis: the group read ${read} of ${length} entries`);
    }
    redisCli(port, 'DEL', key);
    produce.push(summary(valueBytes, messages, produced));
    consume.push(summary(valueBytes, messages, consumed));
  }
  const { rate, seconds, warmupSeconds, valueBytes } = plan.latency;
  const probe = spawn(process.execPath, ['--import', 'tsx', new URL('./redis-latency.ts', import.meta.url).pathname, String(port), String(rate), String(seconds), String(warmupSeconds), String(valueBytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  probe.stdout.setEncoding('utf8');
  probe.stdout.on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => probe.on('close', resolve));
  if (code !== 0) throw new Error(`redis latency probe exited ${code}`);
  return { produce, consume, latency: JSON.parse(out) as Latency };
}
