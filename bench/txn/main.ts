// Transactions bench (W8). Run: npm run bench -- txn [--transactions N] [--records R] [--value-bytes B] [--rounds K]
// Prints a table; writes bench/results/txn.json.
//
// One broker: the gateway as its own process (from the sources, one broker, embedded
// registry; test/txn/txn-gateway.ts), so that the client and the broker do not share an
// event loop. The load is kafkajs in this process, maxInFlightRequests 1, acks=all:
// - transactional: N transactions of R records (100) each, records spread over the
//   topic's PARTITIONS partitions; each is AddPartitionsToTxn, one Produce, EndTxn (the
//   coordinator then writes a COMMIT marker to each partition);
// - reference, in the same run: a non-transactional IDEMPOTENT producer sending the same
//   N x R records in the same N requests of R records.
// K rounds in alternating order, a fresh topic per run; each figure is the median over
// the rounds, the ratio the median of the per-round ratios. A transactional run ends when
// its last commit is answered; the run after it starts once that transaction's markers
// are written (LSO = HW), so runs do not overlap. CPU of the bench process (kafkajs) and of
// the broker process over each run, as shares of one core, say which side is the limit.
// Reference printed beside the ratio: Kafka's designers measured 3% less throughput for
// 1 KB records in transactions committed every 100 ms than for the idempotent, in-order
// producer (Confluent, "Transactions in Apache Kafka", 2017); transactions of 100 records
// here are far shorter, so the fixed cost per transaction weighs more.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka, Message, Producer } from 'kafkajs';
import { waitFor } from '../../test/support/cluster-rest.js';
import { percentileOf } from '../groups/stats.js';
import { kafkaClient } from '../../test/support/kafkajs.js';
import type { GatewayChild } from '../../test/support/gateway-child.js';
import { startTxnGateway } from '../../test/txn/txn-gateway.js';
import { WireProbe } from '../../test/txn/wire-probe.js';
import { benchSettings } from '../support/settings.js';
import { cpuSeconds } from '../support/process-cpu.js';

const PARTITIONS = 3;
const READY_MS = 120_000;
const REFERENCE_RATIO = 0.97;
const RETRY = { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 };

const settings = benchSettings('txn', { transactions: 300, records: 100, 'value-bytes': 100, rounds: 5 });

type Mode = 'transactional' | 'idempotent';

interface Run {
  readonly ms: number;
  readonly msgsPerSec: number;
  /** Transactions (or, for the reference, requests of the same records) per second. */
  readonly requestsPerSec: number;
  readonly clientCpu: number;
  readonly brokerCpu: number;
}

/** Nearest-rank median: one of the rounds' own figures. */
const median = (values: readonly number[]): number => percentileOf(values, 50);

/** The R records of request `i`: values of B bytes, round-robin over the partitions. */
function requestMessages(i: number): Message[] {
  const filler = 'x'.repeat(settings['value-bytes']);
  return Array.from({ length: settings.records }, (_, r) => {
    const n = i * settings.records + r;
    return { partition: n % PARTITIONS, value: `${n}${filler}`.slice(0, settings['value-bytes']) };
  });
}

class Load {
  private constructor(
    private readonly kafka: Kafka,
    private readonly transactional: Producer,
    private readonly idempotent: Producer,
    private readonly probe: WireProbe,
  ) {}

  static async start(gateway: GatewayChild): Promise<Load> {
    const kafka = kafkaClient(gateway.bootstrap, RETRY);
    const transactional = kafka.producer({ transactionalId: 'bench-txn', idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: RETRY });
    const idempotent = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: RETRY });
    await transactional.connect();
    await idempotent.connect();
    return new Load(kafka, transactional, idempotent, await WireProbe.connect(gateway.bootstrap));
  }

  async run(mode: Mode, topic: string, requests: number, pid: number | undefined): Promise<Run> {
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
    await admin.disconnect();
    const batches = Array.from({ length: requests }, (_, i) => requestMessages(i));
    const clientBefore = process.cpuUsage();
    const brokerBefore = cpuSeconds(pid);
    const started = performance.now();
    for (const messages of batches) {
      if (mode === 'transactional') {
        const txn = await this.transactional.transaction();
        await txn.send({ topic, acks: -1, messages });
        await txn.commit();
      } else {
        await this.idempotent.send({ topic, acks: -1, messages });
      }
    }
    const ms = performance.now() - started;
    const client = process.cpuUsage(clientBefore);
    const brokerCpu = (cpuSeconds(pid) - brokerBefore) / (ms / 1000);
    await this.settled(topic, BigInt(Math.floor((requests * settings.records) / PARTITIONS)));
    return {
      ms, msgsPerSec: (requests * settings.records) / (ms / 1000), requestsPerSec: requests / (ms / 1000),
      clientCpu: (client.user + client.system) / 1000 / ms, brokerCpu,
    };
  }

  /** Every partition holds its records and no transaction is open on it (markers written). */
  private async settled(topic: string, recordsPerPartition: bigint): Promise<void> {
    await waitFor(`${topic}: every record stored and every marker written`, async () => {
      for (let p = 0; p < PARTITIONS; p += 1) {
        const ends = await this.probe.ends(topic, p);
        if (ends.lastStableOffset !== ends.highWatermark || ends.highWatermark < recordsPerPartition) return false;
      }
      return true;
    }, 30_000, 20);
  }

  async close(): Promise<void> {
    this.probe.close();
    await this.transactional.disconnect();
    await this.idempotent.disconnect();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  console.log(`txn bench: 1 broker process, kafkajs load (maxInFlightRequests 1, acks=all); ${cpus().length} cores, load average ${loadBefore.toFixed(2)}; ${settings.transactions} transactions x ${settings.records} records of ${settings['value-bytes']} B over ${PARTITIONS} partitions, ${settings.rounds} rounds`);
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-txn-'));
  const gateway = await startTxnGateway(dir, READY_MS);
  let load: Load | undefined;
  try {
    const running = await Load.start(gateway);
    load = running;
    const pid = gateway.pid;
    // Warm-up: connections, producer ids, the transaction coordinator's topic, JIT.
    for (const mode of ['transactional', 'idempotent'] as const) await running.run(mode, `bench-warmup-${mode}`, 20, pid);
    const runs: Record<Mode, Run[]> = { transactional: [], idempotent: [] };
    const ratios: number[] = [];
    for (let round = 0; round < settings.rounds; round += 1) {
      const order: Mode[] = round % 2 === 0 ? ['transactional', 'idempotent'] : ['idempotent', 'transactional'];
      const got: Partial<Record<Mode, Run>> = {};
      for (const mode of order) {
        const run = await running.run(mode, `bench-${mode}-${round}`, settings.transactions, pid);
        got[mode] = run;
        runs[mode].push(run);
        console.log(`  round ${round + 1}: ${mode.padEnd(14)}${Math.round(run.msgsPerSec).toLocaleString('en-US').padStart(9)} msgs/s${Math.round(run.requestsPerSec).toLocaleString('en-US').padStart(7)} ${mode === 'transactional' ? 'txns/s' : 'reqs/s'}  client CPU ${Math.round(run.clientCpu * 100)}%, broker CPU ${Math.round(run.brokerCpu * 100)}%`);
      }
      ratios.push(got.transactional!.msgsPerSec / got.idempotent!.msgsPerSec);
    }
    const summary = (mode: Mode) => {
      const r = runs[mode];
      return {
        msgsPerSec: median(r.map((x) => x.msgsPerSec)), requestsPerSec: median(r.map((x) => x.requestsPerSec)),
        clientCpu: median(r.map((x) => x.clientCpu)), brokerCpu: median(r.map((x) => x.brokerCpu)), rounds: r.map((x) => x.msgsPerSec),
      };
    };
    const transactional = summary('transactional');
    const idempotent = summary('idempotent');
    const ratio = median(ratios);

    console.log();
    console.log(`${'produce'.padEnd(34)}${'msgs/s'.padStart(10)}${'per s'.padStart(8)}${'client CPU'.padStart(12)}${'broker CPU'.padStart(12)}  (medians of ${settings.rounds} rounds)`);
    for (const [name, s] of [[`transactions of ${settings.records} records`, transactional], [`idempotent, ${settings.records} records a request`, idempotent]] as const) {
      console.log(`${name.padEnd(34)}${Math.round(s.msgsPerSec).toLocaleString('en-US').padStart(10)}${Math.round(s.requestsPerSec).toLocaleString('en-US').padStart(8)}${`${Math.round(s.clientCpu * 100)}%`.padStart(12)}${`${Math.round(s.brokerCpu * 100)}%`.padStart(12)}`);
    }
    console.log(`ratio transactional / idempotent: ${ratio.toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})   reference: ${REFERENCE_RATIO} (Kafka, 1 KB records, a commit every 100 ms; Confluent 2017)`);
    console.log(`load average ${loadBefore.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end (${cpus().length} cores shared by the broker and kafkajs)`);

    mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
    writeFileSync(
      new URL('../results/txn.json', import.meta.url),
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          cores: cpus().length,
          loadAverage: { before: loadBefore, after: loadavg()[0]! },
          setup: {
            broker: '1 gateway process (one broker, embedded registry), run from the sources',
            loadGenerator: 'kafkajs in the bench process, maxInFlightRequests 1, acks=all',
            partitions: PARTITIONS,
            ...settings,
          },
          transactional,
          idempotent,
          ratio,
          roundRatios: ratios,
          reference: { ratio: REFERENCE_RATIO, source: 'Kafka: 3% lower throughput for 1 KB records in transactions committed every 100 ms than the idempotent in-order producer (Confluent, "Transactions in Apache Kafka", 2017)' },
        },
        (_key, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value),
        2,
      )}\n`,
    );
    console.log('written to bench/results/txn.json');
  } finally {
    await load?.close();
    await gateway.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
