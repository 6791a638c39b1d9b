// `npm run fuzz -- wire [--frames 1000000] [--seed 1] [--concurrency 32] [--rss-limit-mb 256]
//   [--deadline-ms 10000] [--max-request-bytes 104857600] [--data-dir-parent DIR] [--out bench/results/fuzz-wire.json]`
//
// Protocol fuzzing of a live Kafka listener (W5): a real broker and listener in a child
// process, and here a deterministic stream of valid, mutated and random request frames
// over many connections, each frame checked for a response or a close; a well-behaved
// client on its own connection throughout; the child's RSS read from /proc. Prints a
// summary, writes it as JSON, and exits non-zero on any violation or if the child dies.
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { processRss, runWireFuzz, type WireFuzzProgress } from '../../libs/broker-core/src/kafka-server/fuzz/index.js';
import type { FromServer, ServerReady, ServerStopped, ToServer } from './protocol.js';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '32' },
    'rss-limit-mb': { type: 'string', default: '256' },
    'deadline-ms': { type: 'string', default: '10000' },
    'max-request-bytes': { type: 'string', default: String(100 * 1024 * 1024) },
    'data-dir-parent': { type: 'string', default: '' },
    out: { type: 'string', default: join(root, 'bench', 'results', 'fuzz-wire.json') },
  },
});
const frames = Number(values.frames);
const seed = Number(values.seed);
const rssLimitBytes = Number(values['rss-limit-mb']) * 1024 * 1024;

const child = fork(join(import.meta.dirname, 'server.ts'), [], {
  execArgv: ['--import', 'tsx', '--conditions=weir-source'],
  env: { ...process.env, WEIR_FUZZ_MAX_REQUEST_BYTES: values['max-request-bytes'], WEIR_FUZZ_DATA_DIR_PARENT: values['data-dir-parent'] },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const messages: FromServer[] = [];
const waiters: (() => void)[] = [];
child.on('message', (m: FromServer) => {
  messages.push(m);
  for (const wake of waiters.splice(0)) wake();
});
let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
const stopping = { now: false };
const crash = new AbortController();
child.on('exit', (code, signal) => {
  exit = { code, signal };
  for (const wake of waiters.splice(0)) wake();
  if (!stopping.now) crash.abort(`the server process exited (code ${code}, signal ${signal}) while being fuzzed`);
});

async function next<T extends FromServer['type']>(type: T, timeoutMs: number): Promise<Extract<FromServer, { type: T }> | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = messages.find((m) => m.type === type);
    if (found !== undefined) return found as Extract<FromServer, { type: T }>;
    if (exit !== undefined || Date.now() > deadline) return undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

const ready = (await next('ready', 60_000)) as ServerReady | undefined;
if (ready === undefined) {
  console.error('the fuzz server did not start');
  child.kill();
  process.exit(1);
}
const pid = child.pid!;
const mib = (bytes: number | undefined): string => (bytes === undefined ? '?' : `${(bytes / 2 ** 20).toFixed(1)} MiB`);
const rssStart = processRss(pid);
console.log(`fuzzing the Kafka listener on 127.0.0.1:${ready.port} (server pid ${pid}, RSS ${mib(rssStart)}): ${frames.toLocaleString('en-US')} frames, seed ${seed}`);

const report = await runWireFuzz({
  port: ready.port,
  frames,
  seed,
  concurrency: Number(values.concurrency),
  maxRequestBytes: ready.maxRequestBytes,
  deadlineMs: Number(values['deadline-ms']),
  memory: { sample: () => processRss(pid), maxGrowthBytes: rssLimitBytes, intervalMs: 250 },
  signal: crash.signal,
  progressIntervalMs: 5000,
  onProgress: (p: WireFuzzProgress) => {
    const rate = p.framesSent / (p.elapsedMs / 1000);
    console.log(
      `${String(Math.round(p.elapsedMs / 1000)).padStart(4)} s  ${p.framesSent.toLocaleString('en-US').padStart(9)} frames (${Math.round(rate)}/s)  ` +
        `answered ${p.outcomes.answered}  closed ${p.outcomes.closed}  silent ${p.outcomes.silent}  unanswered ${p.outcomes.unanswered}  ` +
        `violations ${p.violations}  good rounds ${p.goodRounds}/${p.goodFailures} failed  server RSS ${mib(p.rssBytes)}`,
    );
  },
});

stopping.now = true;
let stopped: ServerStopped | undefined;
if (exit === undefined) {
  child.send({ type: 'stop' } satisfies ToServer);
  stopped = (await next('stopped', 60_000)) as ServerStopped | undefined;
}
const rssMaxSeen = report.memory?.maxBytes;
const crashed = (exit !== undefined && stopped === undefined) || crash.signal.aborted;
const serverProblems = (stopped?.errorLogs ?? 0) > 0 || (stopped !== undefined && stopped.maxInFlightPerConnection > stopped.maxInFlightAllowed);
const ok = report.ok && !crashed && stopped !== undefined && !serverProblems;
if (crashed) console.error(String(crash.signal.reason ?? 'the server process exited'));

const summary = {
  when: new Date().toISOString(),
  node: process.version,
  seed,
  frames: report.framesSent,
  framesSkipped: report.framesSkipped,
  outcomes: report.outcomes,
  responsesChecked: report.responsesChecked,
  connections: report.connections,
  sessions: report.sessions,
  byMutation: report.byMutation,
  goodClient: report.goodClient,
  serverRss: { startBytes: rssStart, warmupBytes: report.memory?.baselineBytes, maxBytes: rssMaxSeen, endBytes: report.memory?.endBytes, growthAfterWarmupBytes: report.memory?.growthBytes, limitBytes: rssLimitBytes },
  server: stopped === undefined ? { exited: exit } : { errorLogs: stopped.errorLogs, firstErrors: stopped.firstErrors.map((line) => line.split('\n')[0]), closedOnBadInput: stopped.closedOnBadInput, janitorDeletes: stopped.janitorDeletes, maxInFlightPerConnection: stopped.maxInFlightPerConnection, maxInFlightAllowed: stopped.maxInFlightAllowed, eventLoopDelayMs: stopped.eventLoopDelayMs },
  servingAfter: report.servingAfter,
  violations: report.violations,
  durationMs: Math.round(report.durationMs),
  framesPerSecond: Math.round(report.framesSent / (report.durationMs / 1000)),
  ok,
};
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, `${JSON.stringify(summary, null, 2)}\n`);

const o = report.outcomes;
const g = report.goodClient;
console.log(`
frames              ${report.framesSent.toLocaleString('en-US')} (${report.framesSkipped} skipped for asking > 50 partitions) in ${(report.durationMs / 1000).toFixed(1)} s (${summary.framesPerSecond}/s), ${report.connections.toLocaleString('en-US')} connections
  answered          ${o.answered.toLocaleString('en-US')} (${report.responsesChecked.toLocaleString('en-US')} responses decoded and checked)
  closed by server  ${o.closed.toLocaleString('en-US')}
  silent (acks=0)   ${o.silent.toLocaleString('en-US')}
  unanswered        ${o.unanswered}
  unsent            ${o.unsent}
good client         ${g?.rounds ?? 0} rounds, ${g?.failures ?? 0} failed, slowest ${g?.maxRoundMs.toFixed(0) ?? '?'} ms, mean ${g?.meanRoundMs.toFixed(1) ?? '?'} ms
server RSS          start ${mib(rssStart)}, after warm-up ${mib(report.memory?.baselineBytes)}, max ${mib(rssMaxSeen)}, end ${mib(report.memory?.endBytes)} (growth ${mib(report.memory?.growthBytes)}, limit ${mib(rssLimitBytes)})
server              ${stopped === undefined ? `EXITED ${JSON.stringify(exit)}` : `${stopped.errorLogs} error logs, ${stopped.closedOnBadInput.toLocaleString('en-US')} connections closed on bad input, ${stopped.janitorDeletes} topics swept, at most ${stopped.maxInFlightPerConnection} requests in flight on a connection (limit ${stopped.maxInFlightAllowed}), event-loop delay p99 ${stopped.eventLoopDelayMs.p99.toFixed(1)} ms max ${stopped.eventLoopDelayMs.max.toFixed(1)} ms`}
serving after       ${report.servingAfter ? 'yes' : 'NO'}
violations          ${report.violations.total}${report.violations.total > 0 ? ` ${JSON.stringify(report.violations.byKind)}` : ''}
result              ${ok ? 'OK' : 'FAILED'} (written to ${values.out})`);
for (const sample of report.violations.samples.slice(0, 5)) console.log(`  ${sample.kind}: ${sample.detail}${sample.frames ? ` [frames ${sample.frames.map((f) => `${f.index}:${f.mutation}:${f.apiKey}v${f.version}`).join(', ')}]` : ''}`);
for (const line of stopped?.firstErrors ?? []) console.log(`  server error: ${line.split('\n')[0]}`);
process.exit(ok ? 0 : 1);
