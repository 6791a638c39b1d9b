// NATS JetStream's side of the compare bench. Load: nats-load/main.go, a native client on
// nats.go (Debian's golang-github-nats-io-go-nats-dev), built offline at bench time into
// a temp dir (GO111MODULE=off, GOPATH=/usr/share/gocode). Stream with file storage, one
// replica; see main.go for each mode.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { cpuSeconds } from '../support/process-cpu.js';
import { median } from '../support/stats.js';
import { timeChild } from '../support/timed-child.js';
import type { Plan } from './plan.js';
import { payloadMBps, type Latency, type Throughput } from './results.js';
import { which } from './servers.js';

const GOPATH = '/usr/share/gocode';
export const NATS_DURABILITY =
  'JetStream file store (one replica): acknowledged once written to the file (the OS page cache); fsync on the sync interval, 2 minutes by default (docs.nats.io, sync_interval), not per message';

/** Builds nats-load into `dir`; its path, or why it cannot be built. */
export function buildNatsLoad(dir: string): { path: string } | { missing: string } {
  if (which('go') === undefined) return { missing: 'go is not installed (apt-get install golang-go golang-github-nats-io-go-nats-dev)' };
  if (!existsSync(join(GOPATH, 'src/github.com/nats-io/nats.go'))) return { missing: 'nats.go is not installed (apt-get install golang-github-nats-io-go-nats-dev)' };
  const path = join(dir, 'nats-load');
  const build = spawnSync('go', ['build', '-o', path, '.'], {
    cwd: new URL('./nats-load/', import.meta.url).pathname,
    env: { ...process.env, GO111MODULE: 'off', GOPATH, GOCACHE: join(dir, 'go-cache'), GOFLAGS: '' },
    encoding: 'utf8',
  });
  return build.status === 0 ? { path } : { missing: `go build of nats-load failed: ${build.stderr.trim()}` };
}

/** The server's INFO line at 127.0.0.1:<port>, or undefined when nothing answers within a second. */
export function natsInfo(port: number): Promise<{ version: string; jetstream: boolean; pid?: number } | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let buf = '';
    const done = (value: { version: string; jetstream: boolean } | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), 1000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      const line = /^INFO (\{.*\})\s*\r\n/.exec(buf);
      if (line === null) return;
      const info = JSON.parse(line[1]!) as { version: string; jetstream?: boolean };
      done({ version: info.version, jetstream: info.jetstream === true });
    });
    socket.on('error', () => done(undefined));
  });
}

/** The pid of the nats-server listening on `port`, found through /proc (for its CPU), if any. */
function natsPid(port: number): number | undefined {
  const pgrep = spawnSync('pgrep', ['-f', `nats-server.*-p ${port}`], { encoding: 'utf8' });
  const pid = Number(pgrep.stdout.split('\n')[0]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

interface Round {
  readonly ms: number;
  readonly serverCpu: number;
  readonly clientCpu: number;
}

export async function runNats(natsLoad: string, port: number, plan: Plan): Promise<{ produce: Throughput[]; consume: Throughput[]; latency: Latency }> {
  const url = `nats://127.0.0.1:${port}`;
  const pid = natsPid(port);
  const load = async (args: readonly string[]): Promise<Round> => {
    const cpu = cpuSeconds(pid);
    const run = await timeChild(natsLoad, ['-url', url, ...args], { keepStdout: true, timeoutMs: 300_000 });
    const out = JSON.parse(run.stdout) as { ms: number };
    // The client's own timing (from its first publish or fetch): connecting and (re)creating the stream are left out.
    return { ms: out.ms, serverCpu: (cpuSeconds(pid) - cpu) / (run.ms / 1000), clientCpu: run.childCpu };
  };
  const produce: Throughput[] = [];
  const consume: Throughput[] = [];
  const summary = (valueBytes: number, messages: number, rounds: readonly Round[]): Throughput => {
    const ms = median(rounds.map((r) => r.ms));
    return { valueBytes, messages, setting: '', msgsPerSec: messages / (ms / 1000), payloadMBps: payloadMBps(messages, valueBytes, ms), rounds: rounds.map((r) => messages / (r.ms / 1000)), serverCpu: median(rounds.map((r) => r.serverCpu)), clientCpu: median(rounds.map((r) => r.clientCpu)) };
  };
  for (const { valueBytes, messages } of plan.sizes) {
    const produced: Round[] = [];
    const consumed: Round[] = [];
    for (let round = 0; round < plan.rounds; round++) {
      produced.push(await load(['-mode', 'produce', '-n', String(messages), '-size', String(valueBytes)]));
      consumed.push(await load(['-mode', 'consume', '-n', String(messages)]));
    }
    produce.push(summary(valueBytes, messages, produced));
    consume.push(summary(valueBytes, messages, consumed));
  }
  const { rate, seconds, warmupSeconds, valueBytes } = plan.latency;
  const run = await timeChild(natsLoad, ['-url', url, '-mode', 'latency', '-rate', String(rate), '-seconds', String(seconds), '-warmup', String(warmupSeconds), '-size', String(valueBytes)], { keepStdout: true });
  const latency = JSON.parse(run.stdout) as Omit<Latency, 'rate' | 'valueBytes' | 'seconds' | 'warmupSeconds' | 'method'>;
  return {
    produce,
    consume,
    latency: { ...latency, rate, valueBytes, seconds, warmupSeconds, method: 'paced PublishAsync (Go, every millisecond) -> pull consumer with pull requests kept outstanding (Go), AckNone' },
  };
}
