import type { BrokerApi, CommittedOffset, IsolationLevel } from '../broker/broker-api.js';
import { committedOnlyLags, topicRanges } from './lag.js';
import { withoutMarkers } from './lag-markers.js';

/** One group's committed offsets on one topic, as its coordinator holds them. */
export interface GroupTopicCommits {
  readonly groupId: string;
  readonly topic: string;
  /** The group commits inside transactions: its lag is measured to the LSO (as consumerGroupLags does). */
  readonly transactional: boolean;
  readonly offsets: readonly CommittedOffset[];
}

/** The groups consuming a topic (those with committed offsets on it) and their summed lag. */
export interface TopicConsumers {
  readonly topic: string;
  /** Sorted. */
  readonly groupIds: readonly string[];
  /** Sum over the groups of their lag on the topic (group/lag.ts: negative lags count 0, markers are not lag). */
  readonly totalLag: bigint;
}

/**
 * Consumers of a few topics (a page of a topics table) from the commits the coordinators
 * hold in memory: each (group, topic) pair's lag through the same code as a group's lag
 * (committedOnlyLags, then withoutMarkers), every topic described once for the lot.
 * Topics without a commit get an empty entry; the result follows `topics`' order.
 */
export async function topicConsumers(
  api: Pick<BrokerApi, 'describeTopic' | 'countControlRecords'>, commits: readonly GroupTopicCommits[], topics: readonly string[],
): Promise<TopicConsumers[]> {
  const ranges = topicRanges(api);
  const lags = await Promise.all(commits.map((c) => {
    const isolation: IsolationLevel = c.transactional ? 'read_committed' : 'read_uncommitted';
    return withoutMarkers(api, committedOnlyLags(c.groupId, c.offsets, ranges, isolation), ranges);
  }));
  const byTopic = new Map(topics.map((t) => [t, { groupIds: [] as string[], totalLag: 0n }]));
  commits.forEach((c, i) => {
    const entry = byTopic.get(c.topic);
    if (entry === undefined) return;
    entry.groupIds.push(c.groupId);
    entry.totalLag += lags[i]!.totalLag;
  });
  return topics.map((topic) => {
    const { groupIds, totalLag } = byTopic.get(topic)!;
    return { topic, groupIds: groupIds.sort(), totalLag };
  });
}
