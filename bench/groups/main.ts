// Consumer group bench (W7). Run: npm run bench -- groups [--members N] [--rounds R] [--groups G] [--refreshes F] [--commit-rounds C]
// Prints figures beside references measured in the same run; writes bench/results/groups.json.
//
// - rebalance: N kafkajs consumers (50) join one new group at once on a broker serving
//   the Kafka protocol in this process with group.initial.rebalance.delay.ms=0; the time
//   from the first JoinGroup until every member has its assignment, median of R rounds.
//   References: the same for 1 member, and for N members with Kafka's default delay (3 s).
// - lag summary: G groups (2,000) x 100 partitions of committed offsets seeded through the
//   coordinator's commit path; a full refresh of every group's lag as the gateway's list
//   sorted by lag computes it, p50/p95 over F refreshes (target < 200 ms), beside reading
//   the same committed offsets through the same BrokerApi without computing lags.
// - __consumer_offsets under 100 groups x 100 partitions x C rounds of commits (C=100:
//   1,000,000), 32 KiB segments, the broker's cleaner on its timer: bytes written, the
//   largest size seen before a pass, the size after the last, the bound from the live
//   keys; then the reload after a restart, checked against every group's last commits.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { startGroupBroker } from './group-broker.js';
import { lagRefreshBench } from './lag-refresh.js';
import { offsetsCompactionBench } from './offsets-compaction.js';
import { rebalanceBench, type RebalanceResult } from './rebalance.js';
import { ms } from './stats.js';
import { benchSettings } from '../support/settings.js';

const settings = benchSettings('groups', { members: 50, rounds: 5, groups: 2000, refreshes: 21, 'commit-rounds': 100 });

const PARTITIONS = 100;
const LAG_TOPICS = 20;
const LAG_TARGET_MS = 200;
const SEGMENT_BYTES = 32 * 1024;
const KAFKA_DEFAULT_INITIAL_DELAY_MS = 3_000;

async function rebalances(delayMs: number, members: readonly number[]): Promise<RebalanceResult[]> {
  const target = await startGroupBroker({ groupInitialRebalanceDelayMs: delayMs, offsetsTopicReplicationFactor: 1 });
  try {
    const topic = 'rebalance';
    await target.broker.createTopic({ name: topic, partitions: PARTITIONS });
    const results: RebalanceResult[] = [];
    for (const n of members) results.push(await rebalanceBench(target, topic, PARTITIONS, n, settings.rounds, `bench-${n}-delay-${delayMs}`));
    return results;
  } finally {
    await target.close();
  }
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  console.log(`groups bench: ${cpus().length} cores, load average ${loadBefore.toFixed(2)}; ${settings.members} members x ${settings.rounds} rounds; ${settings.groups} groups x ${PARTITIONS} partitions, ${settings.refreshes} refreshes; ${settings['commit-rounds']} commit rounds`);

  const [single, many] = await rebalances(0, [1, settings.members]);
  const [delayed] = await rebalances(KAFKA_DEFAULT_INITIAL_DELAY_MS, [settings.members]);
  console.log(`rebalance, ${many!.members} members joining at once (delay 0): median ${ms(many!.medianMs)} (rounds ${many!.rounds.map(ms).join(', ')})`);
  console.log(`  reference: 1 member ${ms(single!.medianMs)}; ${delayed!.members} members with the default 3 s initial delay ${ms(delayed!.medianMs)}`);

  const lag = await lagRefreshBench({ groups: settings.groups, partitions: PARTITIONS, topics: LAG_TOPICS, refreshes: settings.refreshes });
  console.log(`lag summary, full refresh of ${settings.groups} groups (${lag.committedOffsets.toLocaleString('en-US')} committed offsets): p50 ${ms(lag.refreshMs.p50)}, p95 ${ms(lag.refreshMs.p95)}, max ${ms(lag.refreshMs.max)}   target < ${LAG_TARGET_MS} ms`);
  console.log(`  reference: reading the same committed offsets through the BrokerApi p50 ${ms(lag.readOffsetsMs.p50)}, p95 ${ms(lag.readOffsetsMs.p95)} (seeding took ${ms(lag.seedMs)})`);

  const shape = { topic: 'orders', groups: 100, partitions: PARTITIONS, rounds: settings['commit-rounds'] };
  const compaction = await offsetsCompactionBench(shape, SEGMENT_BYTES, (line) => console.log(line));
  console.log(`__consumer_offsets, ${compaction.commits.toLocaleString('en-US')} commits: written ${kib(compaction.writtenBytes)}, largest before a pass ${kib(compaction.largestBeforePassBytes)}, after the last round's pass ${kib(compaction.boundedBytes)}, after further passes ${kib(compaction.finalBytes)}`);
  console.log(`  reference: live keys ${kib(compaction.liveBytes)}, bound (2 x live + a ${kib(SEGMENT_BYTES)} segment per partition) ${kib(compaction.boundBytes)}; ${Math.round(compaction.commitsPerSec).toLocaleString('en-US')} commits/s, ${ms(compaction.totalMs)} in all; reload after a restart ${ms(compaction.reloadMs)}, every last commit read back`);
  console.log(`load average ${loadBefore.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end`);

  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../results/groups.json', import.meta.url), `${JSON.stringify({
    date: new Date().toISOString(), cores: cpus().length, loadAverage: { before: loadBefore, after: loadavg()[0]! }, settings,
    rebalance: { partitions: PARTITIONS, delay0: many, oneMember: single, defaultDelay: delayed },
    lagSummary: { ...lag, topics: LAG_TOPICS, partitionsPerGroup: PARTITIONS, targetMs: LAG_TARGET_MS },
    offsetsCompaction: compaction,
  }, null, 2)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
