import type { BrokerDefaults, BrokerLogger } from '../broker/broker-options.js';
import type { TopicTable } from '../broker/topic-table.js';
import { KAFKA_ERRORS } from '../errors.js';
import type { Time } from '../time.js';
import { CONSUMER_PROTOCOL_TYPE } from './consumer-protocol.js';
import type { GroupCache } from './group-cache.js';
import type { GroupMembership } from './group-membership.js';
import type { GroupMetadata } from './group-metadata.js';
import type { OffsetWrite } from './group-offsets.js';
import type {
  OffsetCommitInput, OffsetDeleteResult, OffsetFetchResult, PartitionError, TopicPartitionRef,
} from './group-results.js';
import type { GroupStore } from './group-store.js';

const E = KAFKA_ERRORS;

export interface OffsetOperationsContext {
  readonly cache: GroupCache;
  readonly membership: GroupMembership;
  readonly store: GroupStore;
  readonly table: TopicTable;
  readonly time: Time;
  readonly logger: BrokerLogger;
  readonly defaults: BrokerDefaults;
}

/**
 * The offsets half of the coordinator (Kafka's handleCommitOffsets, handleFetchOffsets,
 * handleDeleteOffsets, handleDeleteGroups and the offset expiration task): commits are
 * checked against the group's generation and member, written to the group's offsets
 * partition with acks=all and answered once acknowledged; fetches read the in-memory
 * cache the same records built; removals (OffsetDelete, DeleteGroups, expiration,
 * deleted topics) forget offsets at once and write tombstones.
 */
export class OffsetOperations {
  constructor(private readonly ctx: OffsetOperationsContext) {}

  async commit(input: OffsetCommitInput): Promise<PartitionError[]> {
    const { cache, table, defaults } = this.ctx;
    const codes = new Array<number>(input.offsets.length).fill(-2);
    const valid: number[] = [];
    input.offsets.forEach((o, i) => {
      if (table.partition(o.topic, o.partition) === undefined) codes[i] = E.UNKNOWN_TOPIC_OR_PARTITION.code;
      else if ((o.metadata?.length ?? 0) > defaults.offsetMetadataMaxBytes) codes[i] = E.OFFSET_METADATA_TOO_LARGE.code;
      else valid.push(i);
    });
    const answer = (): PartitionError[] => input.offsets.map((o, i) => ({ topic: o.topic, partition: o.partition, errorCode: codes[i]! }));
    const fail = (code: number): PartitionError[] => {
      for (const i of valid) codes[i] = code;
      return answer();
    };
    if (valid.length === 0) return answer();
    const status = cache.validate(input.groupId, 'offsets');
    if (status !== undefined) return fail(status);
    let group = cache.get(input.groupId);
    if (group === undefined) {
      // Without a group, only commits outside group management are accepted: they create a "simple" group.
      if (input.generationId >= 0) return fail(E.ILLEGAL_GENERATION.code);
      group = cache.getOrCreate(input.groupId);
    }
    const invalid = validateOffsetCommit(this.ctx.membership, group, input, false);
    if (invalid !== undefined) return fail(invalid);
    if (group.is('CompletingRebalance')) return fail(E.REBALANCE_IN_PROGRESS.code);
    // A commit during PreparingRebalance is allowed: the heartbeat tells the member to rejoin.
    if (!group.is('Empty')) this.ctx.membership.completeAndScheduleNextHeartbeatExpiration(group, group.get(input.memberId));

    const nowMs = this.ctx.time.milliseconds();
    const writes: OffsetWrite[] = valid.map((i) => {
      const o = input.offsets[i]!;
      return {
        topic: o.topic, partition: o.partition,
        value: {
          offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata ?? '',
          commitTimestampMs: o.commitTimestampMs === -1 ? nowMs : o.commitTimestampMs,
          expireTimestampMs: input.retentionTimeMs === -1 ? -1 : nowMs + input.retentionTimeMs,
        },
      };
    });
    group.offsets.prepare(writes);
    const outcome = await this.ctx.store.storeOffsets(group.groupId, writes);
    if (!group.is('Dead')) {
      if (outcome.errorCode === 0) group.offsets.onAppended(writes, outcome.baseOffset);
      else group.offsets.onAppendFailed(writes);
    }
    return fail(outcome.errorCode);
  }

  /** Committed offsets (-1 where none), whatever the group's state; null partitions means all it has. */
  fetch(groupId: string, partitions: readonly TopicPartitionRef[] | null, requireStable: boolean): OffsetFetchResult {
    const status = this.ctx.cache.validate(groupId, 'offsets');
    if (status !== undefined) return { errorCode: status, offsets: [] };
    const group = this.ctx.cache.get(groupId);
    const none = (p: TopicPartitionRef, errorCode = 0): OffsetFetchResult['offsets'][number] => ({ ...p, offset: -1n, leaderEpoch: -1, metadata: '', errorCode });
    if (group === undefined || group.is('Dead')) return { errorCode: 0, offsets: (partitions ?? []).map((p) => none(p)) };
    const refs = partitions ?? group.offsets.all();
    return {
      errorCode: 0,
      offsets: refs.map(({ topic, partition }) => {
        if (requireStable && group.offsets.hasPending(topic, partition)) return none({ topic, partition }, E.UNSTABLE_OFFSET_COMMIT.code);
        const v = group.offsets.get(topic, partition);
        return v === undefined ? none({ topic, partition }) : { topic, partition, offset: v.offset, leaderEpoch: v.leaderEpoch, metadata: v.metadata, errorCode: 0 };
      }),
    };
  }

  /** OffsetDelete: an Empty group's offsets, or a consumer group's offsets of topics it no longer subscribes to. */
  async deleteOffsets(groupId: string, partitions: readonly TopicPartitionRef[]): Promise<OffsetDeleteResult> {
    const status = this.ctx.cache.validate(groupId, 'offsets');
    if (status !== undefined) return { errorCode: status, partitions: [] };
    const group = this.ctx.cache.get(groupId);
    if (group === undefined || group.is('Dead')) return { errorCode: E.GROUP_ID_NOT_FOUND.code, partitions: [] };
    if (!group.is('Empty') && !group.isConsumerGroup) return { errorCode: E.NON_EMPTY_GROUP.code, partitions: [] };
    const codes = partitions.map((p) => {
      if (this.ctx.table.partition(p.topic, p.partition) === undefined) return E.UNKNOWN_TOPIC_OR_PARTITION.code;
      return !group.is('Empty') && group.isSubscribedToTopic(p.topic) ? E.GROUP_SUBSCRIBED_TO_TOPIC.code : 0;
    });
    const eligible = partitions.filter((_, i) => codes[i] === 0);
    if (eligible.length > 0) await this.cleanup([group], (g) => g.offsets.remove(eligible));
    return { errorCode: 0, partitions: partitions.map((p, i) => ({ ...p, errorCode: codes[i]! })) };
  }

  /** DeleteGroups: Empty groups go with all their offsets (tombstones for both); others are NON_EMPTY_GROUP. One answer per distinct id. */
  async deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]> {
    const codes = new Map<string, number>();
    const eligible: GroupMetadata[] = [];
    for (const groupId of new Set(groupIds)) {
      const status = this.ctx.cache.validate(groupId, 'describe');
      const group = this.ctx.cache.get(groupId);
      if (status !== undefined) codes.set(groupId, status);
      else if (group === undefined || group.is('Dead')) codes.set(groupId, E.GROUP_ID_NOT_FOUND.code);
      else if (!group.is('Empty')) codes.set(groupId, E.NON_EMPTY_GROUP.code);
      else {
        group.transitionTo('Dead');
        eligible.push(group);
        codes.set(groupId, 0);
      }
    }
    if (eligible.length > 0) await this.cleanup(eligible, (g) => g.offsets.removeAll());
    return [...codes].map(([groupId, errorCode]) => ({ groupId, errorCode }));
  }

  /** The periodic task: offsets past offsets.retention.minutes go (Kafka's removeExpiredOffsets rules). */
  expire(): Promise<number> {
    const nowMs = this.ctx.time.milliseconds();
    const retentionMs = this.ctx.defaults.offsetsRetentionMinutes * 60_000;
    return this.cleanup(this.ctx.cache.all(), (g) => expiredOffsets(g, nowMs, retentionMs));
  }

  /** A topic was deleted: every group forgets its offsets (Kafka's handleDeletedPartitions). */
  async topicDeleted(topic: string): Promise<void> {
    await this.cleanup(this.ctx.cache.all(), (g) => g.offsets.remove(g.offsets.all().filter((o) => o.topic === topic)));
  }

  /**
   * Removes what `select` picks from each group; an Empty group left without offsets is
   * Dead and leaves the cache. Tombstones follow for the removed offsets and for a dead
   * group that ever had a generation (one that only committed has no metadata record).
   */
  private async cleanup(groups: readonly GroupMetadata[], select: (g: GroupMetadata) => TopicPartitionRef[]): Promise<number> {
    let removed = 0;
    await Promise.all(groups.map((group) => {
      const offsets = select(group);
      if (group.is('Empty') && !group.offsets.hasOffsets) group.transitionTo('Dead');
      const groupGone = group.is('Dead') && this.ctx.cache.removeIfCached(group) && group.generationId > 0;
      removed += offsets.length;
      if (offsets.length > 0) this.ctx.logger.info(`removed ${offsets.length} offset(s) of group ${group.groupId}`);
      return this.ctx.store.writeTombstones(group.groupId, offsets, groupGone);
    }));
    return removed;
  }
}

/**
 * Kafka's validateOffsetCommit: generation -1 commits only while the group is Empty, and
 * a commit naming a member or generation must match them. A transactional commit without
 * them is taken in any state (TxnOffsetCommit before v3 cannot name them).
 */
export function validateOffsetCommit(
  membership: GroupMembership, group: GroupMetadata, input: Pick<OffsetCommitInput, 'generationId' | 'memberId' | 'groupInstanceId'>, transactional: boolean,
): number | undefined {
  if (group.is('Dead')) return E.COORDINATOR_NOT_AVAILABLE.code;
  if (input.generationId < 0 && group.is('Empty')) return undefined;
  if (input.generationId >= 0 || input.memberId !== '' || input.groupInstanceId !== null) {
    const invalid = membership.validateCurrentMember(group, input.memberId, input.groupInstanceId);
    if (invalid !== undefined) return invalid;
    return input.generationId !== group.generationId ? E.ILLEGAL_GENERATION.code : undefined;
  }
  return transactional || group.is('Empty') ? undefined : E.UNKNOWN_MEMBER_ID.code;
}

/**
 * Which offsets of a group have expired: in an Empty group with a protocol, all of them
 * once the retention has passed since it became Empty (since their commit when that time
 * is unknown); in a stable consumer group that knows its subscriptions, those of topics
 * it no longer subscribes to, counted from their commit; in a group that only commits,
 * each from its own commit. Offsets committed with an explicit retention (OffsetCommit
 * v2-v4) expire at their own time.
 */
function expiredOffsets(group: GroupMetadata, nowMs: number, retentionMs: number): TopicPartitionRef[] {
  const byCommit = (v: { commitTimestampMs: number }): number => v.commitTimestampMs;
  if (group.protocolType !== null && group.is('Empty')) {
    const since = group.stateTimestampMs;
    return group.offsets.removeExpired(nowMs, retentionMs, since >= 0 ? () => since : byCommit, new Set());
  }
  const subscribed = group.knownSubscribedTopics;
  if (group.protocolType === CONSUMER_PROTOCOL_TYPE && subscribed !== null && group.is('Stable')) {
    return group.offsets.removeExpired(nowMs, retentionMs, byCommit, subscribed);
  }
  if (group.protocolType === null) return group.offsets.removeExpired(nowMs, retentionMs, byCommit, new Set());
  return [];
}
