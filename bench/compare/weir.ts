// Weir's side of the compare bench: the broker in its own process (weir-broker.ts),
// librdkafka as the load generator (rdkafka-load/generator.ts: a C program by default,
// kcat on request or when the C program cannot be built), as in bench/wire:
// - produce: N values to a topic of plan.partitions partitions, acks=1 (the headline) and
//   acks=all, linger.ms=5, batch.num.messages=10000, no compression. In each round the
//   acks=1 produce alternates with the raw write of the same bytes (the log as stored).
// - consume: every partition from the beginning to its end, no group, fetch.wait.max.ms=10;
//   exactly N messages must be seen. It alternates with the raw read.
// - latency: on a one-partition topic, acks=1, linger.ms=1.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { rawRead, rawWrite } from '../support/raw-io.js';
import { median } from '../support/stats.js';
import type { Plan } from './plan.js';
import type { LoadRun, WeirLoad } from './rdkafka-load/generator.js';
import { MiB, payloadMBps, type Latency, type Throughput } from './results.js';
import type { WeirProcess } from './weir-process.js';

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

function throughput(valueBytes: number, messages: number, setting: string, runs: readonly LoadRun[]): Throughput {
  const ms = median(runs.map((r) => r.ms));
  return {
    valueBytes,
    messages,
    setting,
    msgsPerSec: messages / (ms / 1000),
    payloadMBps: payloadMBps(messages, valueBytes, ms),
    rounds: runs.map((r) => messages / (r.ms / 1000)),
    serverCpu: median(runs.map((r) => r.serverCpu)),
    clientCpu: median(runs.map((r) => r.clientCpu)),
  };
}

export async function runWeir(weir: WeirProcess, load: WeirLoad, plan: Plan): Promise<WeirRun> {
  const produce: Throughput[] = [];
  const consume: Throughput[] = [];
  const disk: DiskReference[] = [];
  const rawPath = join(weir.dataDir, 'raw-reference.bin');
  const mbps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
  for (const { valueBytes, messages } of plan.sizes) {
    const runs: Record<'acks=1' | 'acks=all' | 'consume', LoadRun[]> = { 'acks=1': [], 'acks=all': [], consume: [] };
    const writes: number[] = [];
    const reads: number[] = [];
    const storedPerRound: number[] = [];
    let raw = { bytes: 0, chunk: 0 };
    for (let round = 0; round < plan.rounds; round++) {
      for (const acks of ['acks=1', 'acks=all'] as const) {
        const topic = `compare-${valueBytes}-${acks.slice(5)}-${round}`;
        await weir.call({ op: 'create', topic, partitions: plan.partitions });
        const doProduce = async () => {
          runs[acks].push(await load.produce(topic, acks, messages, valueBytes));
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
          runs.consume.push(await load.consume(topic, plan.partitions, messages));
        };
        const doRead = () => void reads.push(rawRead(rawPath, raw.bytes));
        for (const step of round % 2 === 0 ? [doConsume, doRead] : [doRead, doConsume]) await step();
        await weir.call({ op: 'delete', topic });
      }
    }
    rmSync(rawPath, { force: true });
    produce.push(throughput(valueBytes, messages, 'acks=1', runs['acks=1']), throughput(valueBytes, messages, 'acks=all', runs['acks=all']));
    consume.push(throughput(valueBytes, messages, '', runs.consume));
    const produceRatios = runs['acks=1'].map((t, i) => mbps(storedPerRound[i]!, t.ms) / mbps(raw.bytes, writes[i]!));
    const consumeRatios = runs.consume.map((t, i) => mbps(storedPerRound[i]!, t.ms) / mbps(raw.bytes, reads[i]!));
    const stored = median(storedPerRound);
    disk.push({
      valueBytes,
      storedBytes: raw.bytes,
      avgBatchBytes: raw.chunk,
      rawWriteMBps: mbps(raw.bytes, median(writes)),
      rawReadMBps: mbps(raw.bytes, median(reads)),
      produceRatio: median(produceRatios),
      produceRoundRatios: produceRatios,
      weirProduceLogMBps: mbps(stored, median(runs['acks=1'].map((t) => t.ms))),
      consumeRatio: median(consumeRatios),
      weirConsumeLogMBps: mbps(stored, median(runs.consume.map((t) => t.ms))),
    });
  }
  const latencyTopic = 'compare-latency';
  await weir.call({ op: 'create', topic: latencyTopic, partitions: 1 });
  const latency = await load.latency(latencyTopic, plan.latency);
  await weir.call({ op: 'delete', topic: latencyTopic });
  return { produce, consume, latency, disk };
}
