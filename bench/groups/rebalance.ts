import type { Consumer, Kafka } from 'kafkajs';
import { kafkaClient } from '../../test/support/kafkajs.js';
import type { GroupBroker } from './group-broker.js';
import { percentileOf } from './stats.js';

/**
 * Rebalance time of a kafkajs consumer group: `members` consumers subscribe to one topic
 * of `partitions` partitions and start together; the time runs from the first JoinGroup
 * any of them sends (kafkajs's request instrumentation, createdAt) until the group is
 * Stable with every member and each member has received (GROUP_JOIN, after SyncGroup) an
 * assignment of that generation: together they cover every partition once. A fresh group
 * per round; consumers leave (disconnect) between rounds.
 */
export interface RebalanceResult {
  readonly members: number;
  readonly rounds: number[];
  readonly medianMs: number;
}

const POLL_MS = 5;
const ROUND_DEADLINE_MS = 120_000;

export async function rebalanceBench(target: GroupBroker, topic: string, partitions: number, members: number, rounds: number, label: string): Promise<RebalanceResult> {
  const kafka: Kafka = kafkaClient(target.bootstrap, { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 });
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const groupId = `${label}-${round}`;
    const consumers: Consumer[] = Array.from({ length: members }, () => kafka.consumer({ groupId, maxWaitTimeInMs: 100 }));
    let firstJoinAt = Infinity;
    const latest = new Map<string, { at: number; partitions: number[] }>();
    for (const consumer of consumers) {
      consumer.on(consumer.events.REQUEST, (e) => {
        if (e.payload.apiName === 'JoinGroup') firstJoinAt = Math.min(firstJoinAt, e.payload.createdAt);
      });
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        latest.set(e.payload.memberId, { at: e.timestamp, partitions: [...(e.payload.memberAssignment[topic] ?? [])] });
      });
    }
    try {
      await Promise.all(consumers.map((c) => c.connect()));
      await Promise.all(consumers.map((c) => c.subscribe({ topics: [topic], fromBeginning: true })));
      await Promise.all(consumers.map((c) => c.run({ eachMessage: async () => undefined })));
      const deadline = Date.now() + ROUND_DEADLINE_MS;
      let doneAt: number | undefined;
      while ((doneAt = completedAt(target, groupId, members, partitions, latest)) === undefined) {
        if (Date.now() > deadline) throw new Error(`${groupId}: ${members} members not all assigned after ${ROUND_DEADLINE_MS} ms`);
        await new Promise<void>((resolve) => setTimeout(resolve, POLL_MS));
      }
      times.push(doneAt - firstJoinAt);
    } finally {
      await Promise.all(consumers.map((c) => c.disconnect()));
    }
  }
  return { members, rounds: times, medianMs: percentileOf(times, 50) };
}

/** When the last member of the Stable generation got its assignment, if every partition is assigned once. */
function completedAt(target: GroupBroker, groupId: string, members: number, partitions: number, latest: ReadonlyMap<string, { at: number; partitions: number[] }>): number | undefined {
  const group = target.broker.groups.describeGroup(groupId);
  if (group.state !== 'Stable' || group.members.length !== members) return undefined;
  const owned = new Set<number>();
  let count = 0;
  let at = 0;
  for (const m of group.members) {
    const got = latest.get(m.memberId);
    if (got === undefined) return undefined;
    for (const p of got.partitions) owned.add(p);
    count += got.partitions.length;
    at = Math.max(at, got.at);
  }
  return owned.size === partitions && count === partitions ? at : undefined;
}
