// Weir's load generators for the compare bench, behind one interface: rdkafka-load (load.c,
// a small C program on librdkafka, built at bench time) by default, kcat (librdkafka's
// command-line client, the tool users know) with --weir-client kcat or when the C program
// cannot be built. Both drive the same librdkafka with the same settings.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { kcatPath } from '../../../test/support/kcat.js';
import { kcatLatency, type LatencyPlan } from '../../support/kcat-latency.js';
import { cpuSeconds } from '../../support/process-cpu.js';
import { timeChild } from '../../support/timed-child.js';
import { writeValueFile } from '../../support/value-file.js';
import type { Latency } from '../results.js';
import { which } from '../servers.js';

/** One timed run of the generator: its ms, and server and client CPU as shares of one core. */
export interface LoadRun {
  readonly ms: number;
  readonly serverCpu: number;
  readonly clientCpu: number;
}

export interface WeirLoad {
  /** What ran, for the report: name, version and settings. */
  readonly describe: string;
  produce(topic: string, acks: 'acks=1' | 'acks=all', messages: number, valueBytes: number): Promise<LoadRun>;
  /** Reads every partition from the beginning to its end; rejects unless exactly `messages` were seen. */
  consume(topic: string, partitions: number, messages: number): Promise<LoadRun>;
  latency(topic: string, plan: LatencyPlan): Promise<Latency>;
}

const PRODUCE = ['linger.ms=5', 'batch.num.messages=10000', 'queue.buffering.max.kbytes=1048576', 'queue.buffering.max.messages=2000000'];
const CONSUME = ['fetch.wait.max.ms=10'];
const LATENCY_PRODUCE = ['acks=1', 'linger.ms=1'];
const settings = (list: readonly string[]) => list.join(' ');
const kcatX = (list: readonly string[]) => list.flatMap((s) => ['-X', s]);

/** Builds load.c into `dir` with cc and librdkafka; its path, or why it cannot be built. */
export function buildRdkafkaLoad(dir: string): { path: string } | { missing: string } {
  if (which('cc') === undefined) return { missing: 'cc is not installed (apt-get install gcc)' };
  if (!existsSync('/usr/include/librdkafka/rdkafka.h')) return { missing: 'librdkafka headers are not installed (apt-get install librdkafka-dev)' };
  const path = join(dir, 'weir-rdkafka-load');
  const build = spawnSync('cc', ['-O2', '-o', path, new URL('./load.c', import.meta.url).pathname, '-lrdkafka', '-lpthread'], { encoding: 'utf8' });
  return build.status === 0 ? { path } : { missing: `cc of rdkafka-load failed: ${build.stderr.trim()}` };
}

function librdkafkaVersion(): string {
  const run = spawnSync('sh', ['-c', 'dpkg-query -W -f \'${Version}\' librdkafka1'], { encoding: 'utf8' });
  return run.status === 0 && run.stdout !== '' ? run.stdout : 'unknown';
}

/** rdkafka-load: one process per run, timed by itself (see load.c), CPU over the process's life. */
export function rdkafkaLoad(path: string, bootstrap: string, serverPid: number): WeirLoad {
  const run = async (args: readonly string[]) => {
    const cpu = cpuSeconds(serverPid);
    const child = await timeChild(path, args, { keepStdout: true, timeoutMs: 300_000 });
    const out = JSON.parse(child.stdout) as { ms: number; messages: number };
    return { out, load: { ms: out.ms, serverCpu: (cpuSeconds(serverPid) - cpu) / (child.ms / 1000), clientCpu: child.childCpu } };
  };
  return {
    describe: `rdkafka-load (C on librdkafka ${librdkafkaVersion()}, one process per run, timed by itself: first produce to last acknowledgement; client start to the end of every partition); produce ${settings(PRODUCE)}, values prebuilt once, no key; consume ${settings(CONSUME)}, assign from the beginning, no group commits`,
    async produce(topic, acks, messages, valueBytes) {
      const { out, load } = await run(['produce', bootstrap, topic, String(messages), String(valueBytes), acks, ...PRODUCE]);
      if (out.messages !== messages) throw new Error(`rdkafka-load acknowledged ${out.messages} of ${messages}`);
      return load;
    },
    async consume(topic, partitions, messages) {
      // rdkafka-load exits non-zero unless it saw exactly `messages`.
      return (await run(['consume', bootstrap, topic, String(partitions), String(messages), ...CONSUME])).load;
    },
    async latency(topic, plan) {
      const child = await timeChild(path, ['latency', bootstrap, topic, String(plan.rate), String(plan.seconds), String(plan.warmupSeconds), String(plan.valueBytes)], { keepStdout: true });
      const out = JSON.parse(child.stdout) as Omit<Latency, 'rate' | 'valueBytes' | 'seconds' | 'warmupSeconds' | 'method'>;
      return { ...out, ...plan, method: `rdkafka-load (C): producer paced by absolute deadlines (${settings(LATENCY_PRODUCE)}) -> broker -> consumer thread in the same process (fetch.wait.max.ms=10), CLOCK_MONOTONIC stamps, 1 partition` };
    },
  };
}

/** kcat child processes, timed spawn to exit; the produce input is a file of newline-separated values. */
export function kcatLoad(bootstrap: string, serverPid: number, inputDir: string, version: string): WeirLoad {
  const run = async (args: readonly string[]) => {
    const cpu = cpuSeconds(serverPid);
    const child = await timeChild(kcatPath()!, args);
    return { child, load: { ms: child.ms, serverCpu: (cpuSeconds(serverPid) - cpu) / (child.ms / 1000), clientCpu: child.childCpu } };
  };
  let input = { path: '', messages: 0, valueBytes: 0 };
  return {
    describe: `kcat ${version} child processes, timed spawn to exit; produce kcat -P -l ${settings(PRODUCE)}; consume kcat -C -o beginning -e -f '' ${settings(CONSUME)}`,
    async produce(topic, acks, messages, valueBytes) {
      if (input.messages !== messages || input.valueBytes !== valueBytes) {
        if (input.path !== '') rmSync(input.path, { force: true });
        input = { path: join(inputDir, `values-${valueBytes}.txt`), messages, valueBytes };
        writeValueFile(input.path, messages, valueBytes);
      }
      return (await run(['-P', '-b', bootstrap, '-t', topic, '-l', '-q', '-X', acks, ...kcatX(PRODUCE), input.path])).load;
    },
    async consume(topic, partitions, messages) {
      const { child, load } = await run(['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', ...kcatX(CONSUME), '-f', '']);
      // kcat's "Reached end of topic" lines must add up to `messages`.
      const seen = new Map([...child.stderr.matchAll(/Reached end of topic \S+ \[(\d+)\] at offset (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]));
      const total = [...seen.values()].reduce((a, b) => a + b, 0);
      if (seen.size !== partitions || total !== messages) throw new Error(`consumer reached offsets ${JSON.stringify([...seen])}, expected ${messages} in all`);
      return load;
    },
    latency: (topic, plan) => kcatLatency(bootstrap, topic, plan, kcatX(LATENCY_PRODUCE)),
  };
}
