import { BrokerHarness } from '../../libs/broker-core/src/broker/testing/broker-harness.js';
import type { BrokerApi } from '../../libs/broker-core/src/broker/broker-api.js';
import { consumerGroupLags, topicRanges } from '../../libs/broker-core/src/group/lag.js';
import { percentileOf } from './stats.js';

/**
 * A full refresh of the lag summary across every group, as the gateway's consumer-group
 * list computes it when sorted by lag (apps/gateway consumer-groups.service): the listing,
 * one range table describing each topic once, then every group's description, committed
 * offsets and lags (group/lag.ts). Seeded through the coordinator's commit path: `groups`
 * simple groups, each committing all `partitions` partitions of one of `topics` topics,
 * at distinct lags behind the high watermarks. The reference reads the same committed
 * offsets through the same BrokerApi without describing groups or computing lags.
 */
export interface LagRefreshShape {
  readonly groups: number;
  readonly partitions: number;
  readonly topics: number;
  readonly refreshes: number;
}

export interface LagRefreshResult {
  readonly committedOffsets: number;
  readonly totalLag: string;
  readonly refreshMs: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly readOffsetsMs: { readonly p50: number; readonly p95: number };
  readonly seedMs: number;
}

const RECORDS_PER_PARTITION = 50;

async function refresh(api: BrokerApi): Promise<bigint> {
  const groups = await api.listConsumerGroups();
  const ranges = topicRanges(api);
  let total = 0n;
  for (const g of groups) total += (await consumerGroupLags(api, g.groupId, ranges)).totalLag;
  return total;
}

async function readOffsets(api: BrokerApi): Promise<number> {
  const groups = await api.listConsumerGroups();
  let count = 0;
  for (const g of groups) for (const c of await api.fetchConsumerGroupOffsets(g.groupId)) count += c.offset >= 0n ? 1 : 0;
  return count;
}

export async function lagRefreshBench(shape: LagRefreshShape): Promise<LagRefreshResult> {
  const h = await BrokerHarness.start({ offsetsTopicReplicationFactor: 1 });
  try {
    const broker = h.broker;
    const topic = (t: number): string => `lag-topic-${t}`;
    for (let t = 0; t < shape.topics; t++) {
      await broker.createTopic({ name: topic(t), partitions: shape.partitions });
      for (let p = 0; p < shape.partitions; p++) {
        await broker.produce(topic(t), Array.from({ length: RECORDS_PER_PARTITION }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), partition: p })));
      }
    }
    await broker.groups.findCoordinator('lag-0', 0);
    const seedStarted = performance.now();
    const commits: Promise<unknown>[] = [];
    for (let g = 0; g < shape.groups; g++) {
      const offsets = Array.from({ length: shape.partitions }, (_, p) => ({
        topic: topic(g % shape.topics), partition: p, offset: BigInt(RECORDS_PER_PARTITION - ((g + p) % RECORDS_PER_PARTITION)), leaderEpoch: -1, metadata: null, commitTimestampMs: -1,
      }));
      commits.push(broker.groups.commitOffsets({ groupId: `lag-${g}`, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, offsets }).then((r) => {
        if (r.some((e) => e.errorCode !== 0)) throw new Error(`seeding lag-${g} failed: ${JSON.stringify(r.find((e) => e.errorCode !== 0))}`);
      }));
    }
    await Promise.all(commits);
    const seedMs = performance.now() - seedStarted;

    const committedOffsets = await readOffsets(broker);
    if (committedOffsets !== shape.groups * shape.partitions) throw new Error(`seeded ${committedOffsets} committed offsets, expected ${shape.groups * shape.partitions}`);
    let totalLag = await refresh(broker); // warm-up
    const refreshes: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < shape.refreshes; i++) {
      // Paired and alternating, so that drift on the shared machine touches both sides.
      const order = i % 2 === 0 ? ['refresh', 'read'] : ['read', 'refresh'];
      for (const side of order) {
        const started = performance.now();
        if (side === 'refresh') totalLag = await refresh(broker);
        else await readOffsets(broker);
        (side === 'refresh' ? refreshes : reads).push(performance.now() - started);
      }
    }
    return {
      committedOffsets, totalLag: String(totalLag), seedMs,
      refreshMs: { p50: percentileOf(refreshes, 50), p95: percentileOf(refreshes, 95), max: percentileOf(refreshes, 100) },
      readOffsetsMs: { p50: percentileOf(reads, 50), p95: percentileOf(reads, 95) },
    };
  } finally {
    await h.close();
  }
}
