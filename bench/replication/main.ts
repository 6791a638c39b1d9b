// Replication bench (W6). Run: npm run bench -- replication [--messages N] [--value-bytes B] [--rounds R] [--kills K]
// Prints a table; writes bench/results/replication.json. Needs `npm run build`, PostgreSQL
// (TEST_DATABASE_URL's server, else 127.0.0.1:5432) and kcat.
//
// Three broker processes (the built gateway, one broker each, registry in a fresh
// PostgreSQL database; test/support/cluster-processes.ts) on this machine. In the same
// run:
// - produce throughput of the same N values of B bytes through the same client, kcat
//   (librdkafka, the faster load generator here: see bench/wire), `kcat -P -l` timed from
//   spawn to exit (it exits once every message is acknowledged), to a topic of PARTITIONS
//   partitions with RF=3, acks=all, min.insync.replicas=2, versus one with RF=1, acks=1.
//   R rounds in alternating order, a fresh topic pair per round; the ratio reported is
//   the median of the per-round ratios. Broker CPU is the three processes' CPU time over
//   the run (from /proc), as shares of one core.
// - failover: K times, SIGKILL the leader of a random partition of an RF=3 topic, time
//   until REST reports a new leader and until an acks=all produce to the partition is
//   acknowledged (test/support/leader-failover.ts), then restart the broker and wait for
//   it to rejoin every ISR. p50 and max.
// References printed beside the figures: RF=3 acks=all reached 0.51 of the throughput
// without replication in Kafka's own three-machine benchmark (J. Kreps, "Benchmarking
// Apache Kafka: 2 Million Writes Per Second (On Three Cheap Machines)", 2014: 421,823 vs
// 821,557 records/s; there each broker had a machine, here three share the cores); a
// ZooKeeper-era controller notices a dead broker when its session expires, so failover
// is bounded by the session timeout plus the election (target: + 1 s).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../libs/broker-core/src/kafka-server/fuzz/random.js';
import { clusterKafkaClient } from '../../test/support/cluster-kafkajs.js';
import { ProcessCluster, TEST_SESSION_TIMEOUT_MS, waitFor } from '../../test/support/cluster-processes.js';
import { kcatMissing, kcatPath } from '../../test/support/kcat.js';
import { type FailoverSample, killLeaderAndRecover, spread } from '../../test/support/leader-failover.js';
import { benchSettings } from '../support/settings.js';
import { cpuSeconds } from '../support/process-cpu.js';

const PARTITIONS = 6;
const LINGER_SETTINGS = ['-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-X', 'queue.buffering.max.kbytes=1048576', '-X', 'queue.buffering.max.messages=2000000'];
const REFERENCE_RATIO = 0.51;
const FAILOVER_TARGET_MS = TEST_SESSION_TIMEOUT_MS + 1000;

const settings = benchSettings('replication', { messages: 200_000, 'value-bytes': 100, rounds: 3, kills: 5 });

interface Setup {
  readonly name: string;
  readonly replicationFactor: number;
  readonly acks: 'all' | '1';
  readonly minInsyncReplicas: number;
}
const REPLICATED: Setup = { name: 'RF=3 acks=all', replicationFactor: 3, acks: 'all', minInsyncReplicas: 2 };
const SINGLE: Setup = { name: 'RF=1 acks=1', replicationFactor: 1, acks: '1', minInsyncReplicas: 1 };

interface ProduceRun {
  readonly ms: number;
  readonly msgsPerSec: number;
  readonly payloadMBps: number;
  /** CPU time of the three broker processes over the run, as shares of one core. */
  readonly brokerCpu: number;
}

function brokersCpuSeconds(cluster: ProcessCluster): number {
  return cluster.brokers.reduce((sum, b) => sum + cpuSeconds(b.pid), 0);
}

/** N lines of `valueBytes` printable bytes (a sequence number, then filler). */
function writeInput(path: string, messages: number, valueBytes: number): void {
  const line = valueBytes + 1;
  const buf = Buffer.alloc(messages * line, 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil(line / 36)).slice(0, line));
  for (let i = 0; i < messages; i += 1) {
    buf.write(String(i).padStart(Math.min(10, valueBytes), '0'), i * line, 'latin1');
    buf[i * line + valueBytes] = 0x0a;
  }
  writeFileSync(path, buf);
}

async function produceOnce(cluster: ProcessCluster, setup: Setup, topic: string, input: string): Promise<ProduceRun> {
  await cluster.rest().createTopic(topic, { partitions: PARTITIONS, replicationFactor: setup.replicationFactor, configs: { 'min.insync.replicas': String(setup.minInsyncReplicas) } });
  await cluster.waitUntilFullyReplicated(topic, 60_000);
  const cpuBefore = brokersCpuSeconds(cluster);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const kcat = spawn(kcatPath()!, ['-P', '-b', cluster.bootstrap, '-t', topic, '-l', '-q', '-X', `acks=${setup.acks}`, ...LINGER_SETTINGS, input], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    kcat.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    kcat.on('error', reject);
    kcat.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kcat -P to ${topic} exited ${code}: ${stderr}`))));
  });
  const ms = performance.now() - started;
  const brokerCpu = (brokersCpuSeconds(cluster) - cpuBefore) / (ms / 1000);
  // Every message was acknowledged; a broker's REST may learn the leaders' high watermarks a fetch later.
  let stored = 0;
  await waitFor(`${topic}: high watermarks summing to ${settings.messages}`, async () => {
    stored = (await cluster.rest().partitions(topic)).reduce((n, p) => n + p.highWatermark, 0);
    return stored === settings.messages;
  }, 10_000).catch((err: Error) => {
    throw new Error(`${err.message} (last sum ${stored})`);
  });
  return { ms, msgsPerSec: settings.messages / (ms / 1000), payloadMBps: (settings.messages * settings['value-bytes']) / (ms / 1000) / (1024 * 1024), brokerCpu };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function failovers(cluster: ProcessCluster, kills: number): Promise<FailoverSample[]> {
  const topic = 'bench-failover';
  await cluster.rest().createTopic(topic, { partitions: PARTITIONS, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
  await cluster.waitUntilFullyReplicated(topic, 60_000);
  const probe = clusterKafkaClient(cluster.kafkaAddresses, { retries: 2, initialRetryTime: 50, maxRetryTime: 200 }).producer({ allowAutoTopicCreation: false });
  await probe.connect();
  const rng = new Rng(1);
  const samples: FailoverSample[] = [];
  try {
    for (let i = 0; i < kills; i += 1) {
      const sample = await killLeaderAndRecover(cluster, { topic, partition: rng.int(PARTITIONS), probe, probeValue: `probe-${i}`, failoverWithinMs: 60_000, rejoinWithinMs: 60_000 });
      console.log(`  kill ${i + 1}/${kills}: broker ${sample.killed} (leader of ${topic}-${sample.partition}) -> ${sample.newLeader}; leader reported ${Math.round(sample.leaderMs)} ms, produce acknowledged ${Math.round(sample.failoverMs)} ms`);
      samples.push(sample);
    }
  } finally {
    await probe.disconnect();
  }
  return samples;
}

async function main(): Promise<void> {
  const missing = kcatMissing();
  if (missing !== undefined) throw new Error(missing);
  const loadBefore = loadavg()[0]!;
  console.log(`replication bench: 3 broker processes, kcat load; ${cpus().length} cores, load average ${loadBefore.toFixed(2)}; ${settings.messages} values of ${settings['value-bytes']} B, ${PARTITIONS} partitions, ${settings.rounds} rounds, ${settings.kills} leader kills`);
  const cluster = await ProcessCluster.start({ name: 'bench', brokers: 3 });
  try {
    const input = join(cluster.dir, 'values.txt');
    writeInput(input, settings.messages, settings['value-bytes']);
    const runs = new Map<Setup, ProduceRun[]>([[REPLICATED, []], [SINGLE, []]]);
    const ratios: number[] = [];
    for (let round = 0; round < settings.rounds; round += 1) {
      const order = round % 2 === 0 ? [REPLICATED, SINGLE] : [SINGLE, REPLICATED];
      const got = new Map<Setup, ProduceRun>();
      for (const setup of order) {
        const run = await produceOnce(cluster, setup, `bench-rf${setup.replicationFactor}-${round}`, input);
        got.set(setup, run);
        runs.get(setup)!.push(run);
        console.log(`  round ${round + 1}: ${setup.name.padEnd(14)} ${Math.round(run.msgsPerSec).toLocaleString('en-US').padStart(10)} msgs/s  broker CPU ${Math.round(run.brokerCpu * 100)}%`);
      }
      ratios.push(got.get(REPLICATED)!.msgsPerSec / got.get(SINGLE)!.msgsPerSec);
    }
    const samples = await failovers(cluster, settings.kills);
    const failover = spread(samples.map((s) => s.failoverMs));
    const election = spread(samples.map((s) => s.leaderMs));
    const summary = (setup: Setup) => {
      const r = runs.get(setup)!;
      return { msgsPerSec: median(r.map((x) => x.msgsPerSec)), payloadMBps: median(r.map((x) => x.payloadMBps)), brokerCpu: median(r.map((x) => x.brokerCpu)), rounds: r.map((x) => x.msgsPerSec) };
    };
    const replicated = summary(REPLICATED);
    const single = summary(SINGLE);
    const ratio = median(ratios);

    console.log();
    console.log(`${'produce'.padEnd(16)}${'msgs/s'.padStart(12)}${'MB/s'.padStart(9)}${'broker CPU'.padStart(12)}  (medians of ${settings.rounds} rounds)`);
    for (const [setup, s] of [[SINGLE, single], [REPLICATED, replicated]] as const) {
      console.log(`${setup.name.padEnd(16)}${Math.round(s.msgsPerSec).toLocaleString('en-US').padStart(12)}${s.payloadMBps.toFixed(1).padStart(9)}${`${Math.round(s.brokerCpu * 100)}%`.padStart(12)}`);
    }
    console.log(`ratio RF=3 acks=all / RF=1 acks=1: ${ratio.toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})   reference: ${REFERENCE_RATIO} (Kafka, 3 machines, Kreps 2014)`);
    console.log(`failover over ${samples.length} leader kills (kill -> acknowledged acks=all produce): p50 ${Math.round(failover.p50)} ms, max ${Math.round(failover.max)} ms   reference: session timeout ${TEST_SESSION_TIMEOUT_MS} ms + 1 s = ${FAILOVER_TARGET_MS} ms`);
    console.log(`  new leader reported: p50 ${Math.round(election.p50)} ms, max ${Math.round(election.max)} ms; restarted brokers back in every ISR: ${samples.filter((s) => s.rejoinMs !== null).length}/${samples.length}`);
    console.log(`load average ${loadBefore.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end (${cpus().length} cores shared by the three brokers and kcat)`);

    mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
    writeFileSync(
      new URL('../results/replication.json', import.meta.url),
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          cores: cpus().length,
          loadAverage: { before: loadBefore, after: loadavg()[0]! },
          setup: {
            brokers: '3 gateway processes (one broker each), registry on PostgreSQL',
            loadGenerator: 'kcat -P -l (librdkafka), spawn to exit',
            messages: settings.messages,
            valueBytes: settings['value-bytes'],
            partitions: PARTITIONS,
            rounds: settings.rounds,
            produceSettings: LINGER_SETTINGS.filter((a) => a !== '-X'),
            sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS,
          },
          produce: { rf1Acks1: single, rf3AcksAll: replicated, ratio, roundRatios: ratios },
          failover: { kills: samples.length, failoverMs: failover, leaderReportedMs: election, samples },
          references: {
            ratio: REFERENCE_RATIO,
            ratioSource: 'Kafka, 3 machines: 3x synchronous replication 421,823 vs no replication 821,557 records/s (Kreps, 2014)',
            failoverTargetMs: FAILOVER_TARGET_MS,
          },
        },
        (_key, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value),
        2,
      )}\n`,
    );
    console.log('written to bench/results/replication.json');
  } finally {
    await cluster.close();
  }
}

await main();
