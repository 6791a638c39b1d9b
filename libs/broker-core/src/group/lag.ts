import type {
  BrokerApi, CommittedOffset, ConsumerGroupInfo, ConsumerGroupLags, PartitionLagInfo, TopicDescription, TopicPartitionRef,
} from '../broker/broker-api.js';
import { isKafkaError } from '../errors.js';
import { byTopicPartition } from './group-admin.js';

/** A partition's log range as lag sees it: the log start and the end a consumer reads to. */
export interface PartitionRange {
  readonly logStartOffset: bigint;
  /** The HW for read_uncommitted (the LSO for read_committed, once transactions exist). */
  readonly logEndOffset: bigint;
}

/** Looks a partition's range up; undefined for a partition that no longer exists. */
export type PartitionRanges = (topic: string, partition: number) => PartitionRange | undefined;

/**
 * Consumer lag, as kafka-consumer-groups --describe computes it: for every partition the
 * group has committed, or that a member is assigned, end offset minus committed offset.
 * A partition without a commit has no lag figure (null; the tool prints "-"). A lag is not
 * clamped: a commit past the end (possible after the log was truncated) shows negative, as
 * the tool shows it, but counts 0 towards the total. Partitions of deleted topics are left out. Pure; callers fetch the
 * inputs (`consumerGroupLags` below).
 */
export function computeLags(group: ConsumerGroupInfo, committed: readonly CommittedOffset[], ranges: PartitionRanges): ConsumerGroupLags {
  if (group.members.length === 0) return committedOnlyLags(group.groupId, committed, ranges);
  const owners = new Map<string, { memberId: string; groupInstanceId: string | null; clientId: string }>();
  for (const m of group.members) {
    for (const tp of m.assignment) owners.set(key(tp), { memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId });
  }
  const offsets = new Map<string, bigint>();
  const seen = new Set<string>();
  const refs: TopicPartitionRef[] = [];
  const include = (tp: TopicPartitionRef): void => {
    if (seen.has(key(tp))) return;
    seen.add(key(tp));
    refs.push(tp);
  };
  for (const c of committed) {
    include(c);
    offsets.set(key(c), c.offset);
  }
  for (const m of group.members) for (const tp of m.assignment) include(tp);
  refs.sort(byTopicPartition);

  const partitions: PartitionLagInfo[] = [];
  let totalLag = 0n;
  let maxLag: PartitionLagInfo | null = null;
  for (const ref of refs) {
    const range = ranges(ref.topic, ref.partition);
    if (range === undefined) continue;
    const committedOffset = offsets.get(key(ref)) ?? null;
    const lag = committedOffset === null ? null : range.logEndOffset - committedOffset;
    const owner = owners.get(key(ref));
    const info: PartitionLagInfo = {
      topic: ref.topic, partition: ref.partition, committedOffset, logStartOffset: range.logStartOffset, logEndOffset: range.logEndOffset, lag,
      memberId: owner?.memberId ?? null, groupInstanceId: owner?.groupInstanceId ?? null, clientId: owner?.clientId ?? null,
    };
    partitions.push(info);
    if (lag !== null) {
      if (lag > 0n) totalLag += lag;
      if (maxLag === null || lag > maxLag.lag!) maxLag = info;
    }
  }
  return { groupId: group.groupId, partitions, totalLag, maxLag };
}

/**
 * computeLags for a group without members (most groups of a large cluster, and every
 * group a lag summary walks between rebalances): its partitions are exactly its commits,
 * one entry each, so no owner map, no de-duplication and no string keys are needed.
 */
function committedOnlyLags(groupId: string, committed: readonly CommittedOffset[], ranges: PartitionRanges): ConsumerGroupLags {
  const sorted = [...committed].sort(byTopicPartition);
  const partitions: PartitionLagInfo[] = [];
  let totalLag = 0n;
  let maxLag: PartitionLagInfo | null = null;
  for (const c of sorted) {
    const range = ranges(c.topic, c.partition);
    if (range === undefined) continue;
    const lag = range.logEndOffset - c.offset;
    const info: PartitionLagInfo = {
      topic: c.topic, partition: c.partition, committedOffset: c.offset, logStartOffset: range.logStartOffset, logEndOffset: range.logEndOffset, lag,
      memberId: null, groupInstanceId: null, clientId: null,
    };
    partitions.push(info);
    if (lag > 0n) totalLag += lag;
    if (maxLag === null || lag > maxLag.lag!) maxLag = info;
  }
  return { groupId, partitions, totalLag, maxLag };
}

/**
 * Ranges from topic descriptions, each topic described once per lookup table (a lag
 * summary over many groups shares one table). Descriptions carry the HW of partitions led
 * in other processes as their leader last reported it (LocalCluster).
 */
export function topicRanges(api: Pick<BrokerApi, 'describeTopic'>): PartitionRanges {
  const topics = new Map<string, TopicDescription | null>();
  return (topic, partition) => {
    let described = topics.get(topic);
    if (described === undefined) {
      try {
        described = api.describeTopic(topic);
      } catch (err) {
        if (!isKafkaError(err, 'UNKNOWN_TOPIC_OR_PARTITION')) throw err;
        described = null;
      }
      topics.set(topic, described);
    }
    const p = described?.partitions[partition];
    return p === undefined ? undefined : { logStartOffset: p.logStartOffset, logEndOffset: p.highWatermark };
  };
}

/** The lags of one group through a BrokerApi (what Broker and LocalCluster answer consumerGroupLags with). */
export async function consumerGroupLags(
  api: Pick<BrokerApi, 'describeConsumerGroup' | 'fetchConsumerGroupOffsets' | 'describeTopic'>, groupId: string, ranges: PartitionRanges = topicRanges(api),
): Promise<ConsumerGroupLags> {
  const [group, committed] = await Promise.all([api.describeConsumerGroup(groupId), api.fetchConsumerGroupOffsets(groupId)]);
  return computeLags(group, committed, ranges);
}

function key(tp: TopicPartitionRef): string {
  return `${tp.partition}:${tp.topic}`;
}
