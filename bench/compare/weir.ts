// Weir's side of the compare bench: the broker in its own process (weir-broker.ts),
// librdkafka (kcat child processes) as the load generator, as in bench/wire:
// - produce: kcat -P -l of N values to a topic of plan.partitions partitions, acks=1 (the
//   headline) and acks=all, linger.ms=5, batch.num.messages=10000, no compression; timed
//   from spawn to exit (kcat exits once every message is acknowledged). In each round the
//   acks=1 produce alternates with the raw write of the same bytes (the log as stored).
// - consume: kcat -C -o beginning -e -f '' of that topic, no group, fetch.wait.max.ms=10;
//   the end offsets it reports must add up to N. It alternates with the raw read.
// - latency: kcat-latency.ts on a one-partition topic, acks=1, linger.ms=1.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { kcatPath } from '../../test/support/kcat.js';
import { cpuSeconds } from '../support/process-cpu.js';
import { rawRead, rawWrite } from '../support/raw-io.js';
import { median } from '../support/stats.js';
import { timeChild, type ChildRun } from '../support/timed-child.js';
import { writeValueFile } from '../support/value-file.js';
import { kcatLatency } from '../support/kcat-latency.js';
import type { Plan } from './plan.js';
import { MiB, payloadMBps, type Latency, type Throughput } from './results.js';
import type { WeirProcess } from './weir-process.js';

const PRODUCE = ['-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-X', 'queue.buffering.max.kbytes=1048576', '-X', 'queue.buffering.max.messages=2000000'];
const CONSUME = ['-X', 'fetch.wait.max.ms=10'];
const LATENCY_PRODUCE = ['-X', 'acks=1', '-X', 'linger.ms=1'];
export const WEIR_SETTINGS = { produce: PRODUCE, consume: CONSUME, latencyProduce: LATENCY_PRODUCE };

/** Raw disk references measured beside Weir's runs, on the filesystem of its data dir. */
export interface DiskReference {
  readonly valueBytes: number;
  /** The acks=1 log as stored (record batches): what the raw write and read move. */
  readonly storedBytes: number;
  readonly avgBatchBytes: number;
  readonly rawWriteMBps: number;
  readonly rawReadMBps: number;
  /** Weir acks=1 produce, log MB/s, over raw write MB/s: median of the per-round ratios. */
  readonly produceRatio: number;
  readonly produceRoundRatios: readonly number[];
  readonly weirProduceLogMBps: number;
  readonly consumeRatio: number;
  readonly weirConsumeLogMBps: number;
}

export interface WeirRun {
  readonly produce: Throughput[];
  readonly consume: Throughput[];
  readonly latency: Latency;
  readonly disk: DiskReference[];
}

interface Timed {
  readonly run: ChildRun;
  readonly serverCpu: number;
}

async function timed(weir: WeirProcess, args: readonly string[]): Promise<Timed> {
  const cpu = cpuSeconds(weir.pid);
  const run = await timeChild(kcatPath()!, args);
  return { run, serverCpu: (cpuSeconds(weir.pid) - cpu) / (run.ms / 1000) };
}

function throughput(valueBytes: number, messages: number, setting: string, runs: readonly Timed[]): Throughput {
  const ms = median(runs.map((r) => r.run.ms));
  return {
    valueBytes,
    messages,
    setting,
    msgsPerSec: messages / (ms / 1000),
    payloadMBps: payloadMBps(messages, valueBytes, ms),
    rounds: runs.map((r) => messages / (r.run.ms / 1000)),
    serverCpu: median(runs.map((r) => r.serverCpu)),
    clientCpu: median(runs.map((r) => r.run.childCpu)),
  };
}

/** kcat's "Reached end of topic" lines must add up to `messages`. */
function checkConsumed(run: ChildRun, messages: number, partitions: number): void {
  const seen = new Map([...run.stderr.matchAll(/Reached end of topic \S+ \[(\d+)\] at offset (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]));
  const total = [...seen.values()].reduce((a, b) => a + b, 0);
  if (seen.size !== partitions || total !== messages) throw new Error(`consumer reached offsets ${JSON.stringify([...seen])}, expected ${messages} in all`);
}

export async function runWeir(weir: WeirProcess, plan: Plan, inputDir: string): Promise<WeirRun> {
  const produce: Throughput[] = [];
  const consume: Throughput[] = [];
  const disk: DiskReference[] = [];
  const rawPath = join(weir.dataDir, 'raw-reference.bin');
  const mbps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
  for (const { valueBytes, messages } of plan.sizes) {
    const input = join(inputDir, `values-${valueBytes}.txt`);
    writeValueFile(input, messages, valueBytes);
    const runs: Record<'acks=1' | 'acks=all' | 'consume', Timed[]> = { 'acks=1': [], 'acks=all': [], consume: [] };
    const writes: number[] = [];
    const reads: number[] = [];
    const storedPerRound: number[] = [];
    let raw = { bytes: 0, chunk: 0 };
    for (let round = 0; round < plan.rounds; round++) {
      for (const acks of ['acks=1', 'acks=all'] as const) {
        const topic = `compare-${valueBytes}-${acks.slice(5)}-${round}`;
        await weir.call({ op: 'create', topic, partitions: plan.partitions });
        const doProduce = async () => {
          runs[acks].push(await timed(weir, ['-P', '-b', weir.bootstrap, '-t', topic, '-l', '-q', '-X', acks, ...PRODUCE, input]));
          // The batch walk reads the whole log: once, for the raw reference's size and chunk; file sizes after that.
          const walk = raw.bytes === 0;
          const stored = await weir.call<{ messages: number; bytes: number; batches?: number }>({ op: walk ? 'stored' : 'size', topic });
          if (stored.messages !== messages) throw new Error(`produced ${messages} messages but the log holds ${stored.messages}`);
          if (acks === 'acks=1') storedPerRound.push(stored.bytes);
          if (walk) raw = { bytes: stored.bytes, chunk: Math.round(stored.bytes / stored.batches!) };
        };
        if (acks === 'acks=all') {
          await doProduce();
          await weir.call({ op: 'delete', topic });
          continue;
        }
        const doWrite = () => {
          rmSync(rawPath, { force: true });
          writes.push(rawWrite(rawPath, raw.bytes, raw.chunk));
        };
        // The raw write needs the stored size: round 0 measures produce first.
        for (const step of round % 2 === 0 ? [doProduce, doWrite] : [doWrite, doProduce]) await step();
        const doConsume = async () => {
          const t = await timed(weir, ['-C', '-b', weir.bootstrap, '-t', topic, '-o', 'beginning', '-e', ...CONSUME, '-f', '']);
          checkConsumed(t.run, messages, plan.partitions);
          runs.consume.push(t);
        };
        const doRead = () => void reads.push(rawRead(rawPath, raw.bytes));
        for (const step of round % 2 === 0 ? [doConsume, doRead] : [doRead, doConsume]) await step();
        await weir.call({ op: 'delete', topic });
      }
    }
    rmSync(input, { force: true });
    rmSync(rawPath, { force: true });
    produce.push(throughput(valueBytes, messages, 'acks=1', runs['acks=1']), throughput(valueBytes, messages, 'acks=all', runs['acks=all']));
    consume.push(throughput(valueBytes, messages, '', runs.consume));
    const produceRatios = runs['acks=1'].map((t, i) => mbps(storedPerRound[i]!, t.run.ms) / mbps(raw.bytes, writes[i]!));
    const consumeRatios = runs.consume.map((t, i) => mbps(storedPerRound[i]!, t.run.ms) / mbps(raw.bytes, reads[i]!));
    const stored = median(storedPerRound);
    disk.push({
      valueBytes,
      storedBytes: raw.bytes,
      avgBatchBytes: raw.chunk,
      rawWriteMBps: mbps(raw.bytes, median(writes)),
      rawReadMBps: mbps(raw.bytes, median(reads)),
      produceRatio: median(produceRatios),
      produceRoundRatios: produceRatios,
      weirProduceLogMBps: mbps(stored, median(runs['acks=1'].map((t) => t.run.ms))),
      consumeRatio: median(consumeRatios),
      weirConsumeLogMBps: mbps(stored, median(runs.consume.map((t) => t.run.ms))),
    });
  }
  const latencyTopic = 'compare-latency';
  await weir.call({ op: 'create', topic: latencyTopic, partitions: 1 });
  const latency = await kcatLatency(weir.bootstrap, latencyTopic, plan.latency, LATENCY_PRODUCE);
  await weir.call({ op: 'delete', topic: latencyTopic });
  return { produce, consume, latency, disk };
}
