import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../libs/broker-core/src/kafka-server/fuzz/random.js';
import type { ProcessCluster } from '../support/cluster-processes.js';
import { waitFor } from '../support/cluster-rest.js';
import { clusterKafkaClient } from '../support/cluster-kafkajs.js';
import { type FailoverSample, killLeaderAndRecover, spread, type Spread } from '../support/leader-failover.js';
import { type ChaosVerdict, judge } from './chaos-verdict.js';
import { SequencedProducer } from './sequenced-producer.js';
import { readTopic } from './topic-read-back.js';

export interface ChaosOptions {
  /** Uniquely numbered records to write (at least this many are attempted). */
  readonly records: number;
  /** Leader kills, one at a time, spread over the run. */
  readonly kills: number;
  readonly partitions: number;
  readonly seed: number;
  /** Records per send (one send in flight at a time). Default 500. */
  readonly batchSize?: number;
  /** Bound on one kill's failover (kill until an acknowledged produce). Default 60 s. */
  readonly failoverWithinMs?: number;
  /** Bound on a restarted broker's return to every ISR before the next kill. Default 60 s. */
  readonly rejoinWithinMs?: number;
  /** Progress lines (also written to chaos.log in the cluster dir). */
  readonly log?: (line: string) => void;
}

export interface ChaosResult {
  readonly topic: string;
  readonly options: ChaosOptions;
  readonly replicationFactor: number;
  readonly verdict: ChaosVerdict;
  readonly kills: readonly FailoverSample[];
  /** Kill until an acknowledged acks=all produce to the partition. */
  readonly failover: Spread;
  /** Kill until REST reports the new leader. */
  readonly election: Spread;
  readonly rejoinMisses: number;
  readonly failedSends: number;
  readonly lastSendError: string | undefined;
  readonly elapsedMs: number;
}

/**
 * The chaos run: a topic with RF=3 (or the broker count, if smaller), min.insync.replicas=2
 * and unclean election off; a kafkajs producer writing numbered records with acks=all
 * while a random partition's leader is SIGKILLed and restarted, `kills` times, one at a
 * time (each restart waits, bounded, for the broker to rejoin every ISR). The producer is
 * held to a quota per kill so that every kill falls while records are being written.
 * Afterwards the topic is read back with kcat and judged (see ChaosVerdict).
 */
export async function runChaos(cluster: ProcessCluster, options: ChaosOptions): Promise<ChaosResult> {
  const started = performance.now();
  const logFile = join(cluster.dir, 'chaos.log');
  const log = (line: string) => {
    const stamped = `[${((performance.now() - started) / 1000).toFixed(1)}s] ${line}`;
    appendFileSync(logFile, `${stamped}\n`);
    options.log?.(stamped);
  };
  const topic = `chaos-${options.seed}`;
  const replicationFactor = Math.min(3, cluster.brokers.length);
  const failoverWithinMs = options.failoverWithinMs ?? 60_000;
  const rejoinWithinMs = options.rejoinWithinMs ?? 60_000;
  await cluster.rest().createTopic(topic, {
    partitions: options.partitions,
    replicationFactor,
    configs: { 'min.insync.replicas': String(Math.min(2, replicationFactor)), 'unclean.leader.election.enable': 'false' },
  });
  await cluster.waitUntilFullyReplicated(topic, 60_000);
  log(`topic ${topic}: ${options.partitions} partitions, RF=${replicationFactor}; ${options.records} records, ${options.kills} kills, seed ${options.seed}`);

  // Retries outlast a failover: kafkajs backs off from 100 ms up to 1 s between tries, about 25 s in all.
  const client = clusterKafkaClient(cluster.kafkaAddresses, { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 });
  const producer = client.producer({ idempotent: false, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const probe = clusterKafkaClient(cluster.kafkaAddresses, { retries: 2, initialRetryTime: 50, maxRetryTime: 200 }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await probe.connect();
  const quota = Math.ceil(options.records / (options.kills + 1));
  const writer = new SequencedProducer(producer, topic, options.records, options.partitions, options.batchSize ?? 500, quota);
  const writing = writer.run();
  const rng = new Rng(options.seed);
  const kills: FailoverSample[] = [];
  try {
    for (let i = 0; i < options.kills; i += 1) {
      // Half-way through this kill's quota: the rest is written across the failover.
      const threshold = Math.floor((i + 0.5) * quota);
      await waitFor(`the producer to pass record ${threshold}`, async () => writer.sent >= Math.min(threshold, options.records), 10 * 60_000, 20);
      const partition = rng.int(options.partitions);
      const sample = await killLeaderAndRecover(cluster, {
        topic,
        partition,
        probe,
        probeValue: `probe-${i}`,
        failoverWithinMs,
        rejoinWithinMs,
        onKilled: (id) => log(`kill ${i + 1}/${options.kills}: broker ${id}, leader of ${topic}-${partition} (${writer.sent} records sent, ${writer.acked} acknowledged)`),
      });
      kills.push(sample);
      log(`  new leader ${sample.newLeader} after ${sample.leaderMs.toFixed(0)} ms, produce acknowledged after ${sample.failoverMs.toFixed(0)} ms, ${sample.rejoinMs === null ? `not back in every ISR within ${rejoinWithinMs} ms` : `back in sync ${sample.rejoinMs.toFixed(0)} ms after restart`}`);
      writer.allowUpTo((i + 2) * quota);
    }
    writer.allowUpTo(options.records);
    await writing;
  } finally {
    writer.stop();
    await writing;
    await producer.disconnect();
    await probe.disconnect();
  }
  log(`produced: ${writer.acked} acknowledged, ${writer.failedSends} sends failed${writer.lastError === undefined ? '' : ` (last: ${writer.lastError})`}`);

  await cluster.waitUntilFullyReplicated(topic, rejoinWithinMs).catch(() => log('not every replica is in sync before the read-back'));
  const contents = await readTopic(cluster.bootstrap, topic, 5 * 60_000);
  log(`read back ${contents.records} records`);
  return {
    topic,
    options,
    replicationFactor,
    verdict: judge(writer.states, contents),
    kills,
    failover: spread(kills.map((k) => k.failoverMs)),
    election: spread(kills.map((k) => k.leaderMs)),
    rejoinMisses: kills.filter((k) => k.rejoinMs === null).length,
    failedSends: writer.failedSends,
    lastSendError: writer.lastError,
    elapsedMs: performance.now() - started,
  };
}

/** Whether the run kept Kafka's promise: every acknowledged record present, in order. */
export function chaosHeld(result: ChaosResult): boolean {
  return result.verdict.missingAcked === 0 && result.verdict.orderViolations === 0 && result.kills.length === result.options.kills;
}

export function formatChaosSummary(r: ChaosResult): string {
  const v = r.verdict;
  const ms = (n: number) => (Number.isNaN(n) ? '-' : `${Math.round(n)} ms`);
  return [
    `chaos: ${r.options.records} records to ${r.topic} (${r.options.partitions} partitions, RF=${r.replicationFactor}, acks=all, min.insync.replicas=${Math.min(2, r.replicationFactor)}), ${r.kills.length} leader kills, seed ${r.options.seed}, ${(r.elapsedMs / 1000).toFixed(0)} s`,
    `  acknowledged ${v.acked}, not acknowledged ${v.unacked} (${r.failedSends} failed sends${r.lastSendError === undefined ? '' : `; last: ${r.lastSendError}`})`,
    `  acknowledged but missing: ${v.missingAcked}${v.missingAckedExamples.length > 0 ? ` (e.g. ${v.missingAckedExamples.join(', ')})` : ''}`,
    `  per-partition order violations: ${v.orderViolations}${v.orderViolationExamples.length > 0 ? ` (${v.orderViolationExamples.join('; ')})` : ''}`,
    `  duplicates: ${v.duplicates}; not acknowledged but present: ${v.unackedPresent}; probe records: ${v.probes}${v.foreign.length > 0 ? `; foreign: ${v.foreign.join(' | ')}` : ''}`,
    `  failover (kill -> acknowledged produce): p50 ${ms(r.failover.p50)}, max ${ms(r.failover.max)}; new leader reported: p50 ${ms(r.election.p50)}, max ${ms(r.election.max)}`,
    `  restarted brokers not back in every ISR within the bound: ${r.rejoinMisses}`,
    `  verdict: ${chaosHeld(r) ? 'HELD' : 'BROKEN'}`,
  ].join('\n');
}
