// Weir beside Redis Streams and NATS JetStream, on this machine, in one run:
//   npm run bench -- compare [--quick] [--cpu-prof] [--weir-client rdkafka-load|kcat]
// The same workload against each (produce of 100 B and 1 KiB values, consume, end-to-end
// latency at a fixed rate) with native load generators (a C program on librdkafka, or kcat
// with --weir-client kcat; redis-benchmark; a nats.go program), the physical references (raw disk write and read of Weir's log
// bytes, loopback TCP), and the issue's targets as ratios. Writes bench/results/compare.json,
// compare.md and compare.svg. --quick: smaller counts, one round. --cpu-prof: the Weir
// broker process runs under node --cpu-prof (bench/results/profiles/) and the top self-time
// frames are printed. Peers that are not running are started when their binaries exist;
// otherwise their rows say why not. See docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { kcatMissing } from '../../test/support/kcat.js';
import { readCpuProfile, topSelfFrames } from '../support/cpuprofile-top.js';
import { loopbackMBps } from '../support/loopback.js';
import { buildNatsLoad, natsInfo, NATS_DURABILITY, runNats } from './nats.js';
import { makePlan } from './plan.js';
import { buildRdkafkaLoad, kcatLoad, rdkafkaLoad } from './rdkafka-load/generator.js';
import { redisCli, redisDurability, redisMissing, runRedis } from './redis.js';
import { chartSvg, consoleReport, markdownReport, targets, type CompareResult } from './report.js';
import type { PeerResult } from './results.js';
import { freePort, startServer, waitFor, which, type OwnServer } from './servers.js';
import { runWeir, type DiskReference } from './weir.js';
import { startWeirProcess } from './weir-process.js';

const args = process.argv.slice(2);
const clientAt = args.indexOf('--weir-client');
const weirClient = clientAt >= 0 ? args.splice(clientAt, 2)[1] : 'rdkafka-load';
for (const arg of args) {
  if ((arg !== '--quick' && arg !== '--cpu-prof') || (weirClient !== 'rdkafka-load' && weirClient !== 'kcat')) {
    console.error('usage: npm run bench -- compare [--quick] [--cpu-prof] [--weir-client rdkafka-load|kcat]');
    process.exit(2);
  }
}
const plan = makePlan(args.includes('--quick'));
const cpuProf = args.includes('--cpu-prof');
const root = new URL('../../', import.meta.url).pathname;
const resultsDir = new URL('../results/', import.meta.url).pathname;
const profileDir = join(resultsDir, 'profiles');
const work = mkdtempSync(join(tmpdir(), 'weir-bench-compare-'));
const started = performance.now();

const firstLine = (command: string, ...argv: string[]) => {
  const run = spawnSync(command, argv, { encoding: 'utf8' });
  return run.status === 0 ? `${run.stdout}${run.stderr}`.trim() : 'not installed';
};
const kcatVersion = /Version (\S+) .*librdkafka (\S+)/.exec(firstLine('kcat', '-V'));
const versions: Record<string, string> = {
  node: process.version,
  'redis-server': /v=(\S+)/.exec(firstLine('redis-server', '--version'))?.[1] ?? 'not installed',
  'nats-server': firstLine('nats-server', '--version').replace(/^nats-server: /, ''),
  kcat: kcatVersion?.[1] ?? 'not installed',
  librdkafka: kcatVersion?.[2] ?? 'not installed',
  go: /go version (\S+)/.exec(firstLine('go', 'version'))?.[1] ?? 'not installed',
};
const notRun = (name: string, version: string, setup: string, durability: string, why: string): PeerResult => ({ name, version, setup, durability, notRun: why, produce: [], consume: [] });
const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
const step = (what: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${what}`);

async function weirPeer(): Promise<{ peer: PeerResult; disk: DiskReference[]; profile?: CompareResult['profile'] }> {
  const broker = `broker-core standalone broker in its own Node process (file-backed partition logs in a temp dir, registry store in memory), Kafka protocol on 127.0.0.1; ${plan.partitions} partitions`;
  const durability = 'partition log files, default flush policy: acknowledged once written to the log file (the OS page cache), no fsync per write; acks=1 and acks=all (one broker: the same single replica)';
  // rdkafka-load unless kcat was asked for or the C program cannot be built (then kcat, and the setup says why).
  const built = weirClient === 'kcat' ? { missing: 'asked for with --weir-client kcat' } : buildRdkafkaLoad(work);
  if ('missing' in built) {
    console.log(`Weir load generator: kcat (${built.missing})`);
    const missing = kcatMissing();
    if (missing !== undefined) return { peer: notRun('Weir', 'this tree', broker, durability, `rdkafka-load: ${built.missing}; kcat: ${missing}`), disk: [] };
  } else {
    console.log('Weir load generator: rdkafka-load (C on librdkafka)');
  }
  if (cpuProf) mkdirSync(profileDir, { recursive: true });
  const before = cpuProf ? new Set(readdirSync(profileDir)) : new Set<string>();
  const weir = await startWeirProcess(work, cpuProf ? profileDir : undefined);
  const load = 'path' in built ? rdkafkaLoad(built.path, weir.bootstrap, weir.pid) : kcatLoad(weir.bootstrap, weir.pid, work, `${versions.kcat} (librdkafka ${versions.librdkafka})`);
  const setup = `${broker}; load: ${load.describe}${'missing' in built ? ` (${built.missing})` : ''}`;
  let run;
  try {
    run = await runWeir(weir, load, plan);
  } finally {
    await weir.close();
  }
  const peer: PeerResult = { name: 'Weir', version: 'this tree', setup, durability, produce: run.produce, consume: run.consume, latency: run.latency };
  if (!cpuProf) return { peer, disk: run.disk };
  // node names profiles CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the broker's main thread (tsx's loader worker writes its own).
  const file = readdirSync(profileDir).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f) && !before.has(f)).sort((a, b) => statSync(join(profileDir, b)).mtimeMs - statSync(join(profileDir, a)).mtimeMs)[0];
  if (file === undefined) throw new Error(`no new .cpuprofile in ${profileDir}`);
  return { peer, disk: run.disk, profile: { file: relative(root, join(profileDir, file)), top: topSelfFrames(readCpuProfile(join(profileDir, file)), 15, root) } };
}

/** Redis as it runs on 127.0.0.1:6379, or (when it does not) one this bench starts with the same settings. */
async function redisPeer(name: string, aof: boolean): Promise<PeerResult> {
  const setup = 'redis-benchmark (C) -c 4 -P 64 XADD; -c 4 -P 16 XREADGROUP COUNT 1000 NOACK; latency probe in JavaScript';
  const missing = redisMissing();
  if (missing !== undefined) return notRun(name, versions['redis-server']!, setup, aof ? 'AOF everysec' : 'as configured', missing);
  let own: OwnServer | undefined;
  let port = 6379;
  let where = 'the machine\'s redis-server on 127.0.0.1:6379';
  if (aof || redisCli(port, 'PING') !== 'PONG') {
    port = await freePort();
    const dir = mkdtempSync(join(work, 'redis-'));
    const persistence = aof ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
    own = startServer('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...persistence], port);
    where = `a redis-server started by the bench on 127.0.0.1:${port} (data dir in a temp dir)`;
  }
  try {
    if (own !== undefined) await waitFor(`redis-server on ${port}`, () => redisCli(port, 'PING') === 'PONG');
    const durability = redisDurability(port);
    const run = await runRedis(port, plan);
    return { name, version: versions['redis-server']!, setup: `${where}; ${setup}`, durability, ...run };
  } finally {
    await own?.stop();
  }
}

async function natsPeer(): Promise<PeerResult> {
  const name = 'NATS JetStream';
  const setup = 'nats-load (Go, nats.go from Debian): PublishAsync (window 4000) with acks; pull consumer Fetch(1000), AckNone; latency: paced PublishAsync, pull requests kept outstanding';
  const built = buildNatsLoad(work);
  if ('missing' in built) return notRun(name, versions['nats-server']!, setup, NATS_DURABILITY, built.missing);
  let port = 4222;
  let own: OwnServer | undefined;
  let where = 'the machine\'s nats-server on 127.0.0.1:4222';
  const info = await natsInfo(port);
  if (info === undefined || !info.jetstream) {
    if (which('nats-server') === undefined) return notRun(name, 'not installed', setup, NATS_DURABILITY, 'no JetStream server on 127.0.0.1:4222 and nats-server is not installed');
    port = await freePort();
    own = startServer('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', mkdtempSync(join(work, 'nats-'))], port);
    where = `a nats-server -js started by the bench on 127.0.0.1:${port} (store in a temp dir)`;
  }
  try {
    let up = await natsInfo(port);
    for (const deadline = performance.now() + 10_000; up === undefined && performance.now() < deadline; up = await natsInfo(port)) await new Promise((resolve) => setTimeout(resolve, 50));
    if (up === undefined) throw new Error(`nats-server on ${port} did not answer`);
    const run = await runNats(built.path, port, plan);
    return { name, version: versions['nats-server']!, setup: `${where}; ${setup}`, durability: NATS_DURABILITY, ...run };
  } finally {
    await own?.stop();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  console.log(`compare: ${cpus().length} cores, load average ${loadBefore.toFixed(2)}; ${plan.quick ? 'quick (1 round, smaller counts)' : `${plan.rounds} rounds`}; ${plan.sizes.map((s) => `${s.messages.toLocaleString('en-US')} x ${s.valueBytes} B`).join(', ')}`);
  const peers: PeerResult[] = [];
  let disk: DiskReference[] = [];
  let profile: CompareResult['profile'];
  const attempt = async (what: string, run: () => Promise<PeerResult>, fallback: () => PeerResult) => {
    step(what);
    try {
      peers.push(await run());
    } catch (err) {
      console.error(`${what} failed: ${reason(err)}`);
      peers.push(fallback());
    }
  };
  await attempt('Weir', async () => {
    const weir = await weirPeer();
    disk = weir.disk;
    profile = weir.profile;
    return weir.peer;
  }, () => notRun('Weir', 'this tree', '', '', 'failed (see the output)'));
  await attempt('Redis Streams', () => redisPeer('Redis Streams', false), () => notRun('Redis Streams', versions['redis-server']!, '', '', 'failed (see the output)'));
  await attempt('Redis Streams (AOF everysec)', () => redisPeer('Redis Streams (AOF everysec)', true), () => notRun('Redis Streams (AOF everysec)', versions['redis-server']!, '', '', 'failed (see the output)'));
  await attempt('NATS JetStream', natsPeer, () => notRun('NATS JetStream', versions['nats-server']!, '', '', 'failed (see the output)'));
  step('loopback TCP');
  const loopback = await loopbackMBps(plan.loopbackBytes);
  const result: CompareResult = {
    date: new Date().toISOString(),
    plan,
    machine: { cores: cpus().length, loadAverage: { before: loadBefore, after: loadavg()[0]! }, versions },
    peers,
    references: {
      disk,
      loopbackMBps: loopback,
      loopbackMethod: `two Node processes, ${plan.loopbackBytes / 1024 / 1024} MiB in 64 KiB writes`,
      diskNote: "Raw write: Weir's acks=1 log bytes, in chunks of its average batch, on the filesystem of its data dir, with one fdatasync at the end (Weir did none). Raw read: the same file in 1 MiB reads, from the page cache (as Weir's consume; dropping caches needs root).",
    },
    targets: targets(peers, disk),
    ...(profile === undefined ? {} : { profile }),
    elapsedSeconds: (performance.now() - started) / 1000,
  };
  console.log();
  console.log(consoleReport(result));
  mkdirSync(resultsDir, { recursive: true });
  const round = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value);
  writeFileSync(join(resultsDir, 'compare.json'), `${JSON.stringify(result, round, 2)}\n`);
  writeFileSync(join(resultsDir, 'compare.md'), markdownReport(result));
  writeFileSync(join(resultsDir, 'compare.svg'), chartSvg(result));
  console.log(`\nwritten to bench/results/compare.json, compare.md, compare.svg (${result.elapsedSeconds.toFixed(0)} s)`);
}


try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
