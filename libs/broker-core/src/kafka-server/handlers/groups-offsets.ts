import { groupCoordinatorOf, type GroupCoordinator } from '../../group/group-coordinator.js';
import type { FetchedOffset, OffsetFetchResult, PartitionError, TopicPartitionRef } from '../../group/group-results.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeOffsetCommitRequest, encodeOffsetCommitResponse, makeOffsetCommitResponse, makeOffsetCommitResponsePartition, makeOffsetCommitResponseTopic,
} from '../../protocol/offsetCommit/index.js';
import {
  decodeOffsetDeleteRequest, encodeOffsetDeleteResponse, makeOffsetDeleteResponse, makeOffsetDeleteResponsePartition, makeOffsetDeleteResponseTopic,
} from '../../protocol/offsetDelete/index.js';
import {
  decodeOffsetFetchRequest, encodeOffsetFetchResponse, makeOffsetFetchResponse, makeOffsetFetchResponseGroup, makeOffsetFetchResponsePartition,
  makeOffsetFetchResponsePartitions, makeOffsetFetchResponseTopic, makeOffsetFetchResponseTopics,
} from '../../protocol/offsetFetch/index.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { AclOperation } from '../../security/acl.js';
import { groupAuthorized, topicAuthorized } from '../../security/authorizer-door.js';
import type { ServerContext } from '../api-handler.js';
import { defineHandler } from './define-handler.js';
import { NO_COORDINATOR } from './groups-coordinator.js';

/** Kafka's INT64 fields as the coordinator's millisecond numbers: -1 stays -1, others are clamped to a safe range. */
function millis(value: bigint): number {
  const bound = 2n ** 52n;
  return Number(value > bound ? bound : value < -bound ? -bound : value);
}

const GROUP_DENIED = KAFKA_ERRORS.GROUP_AUTHORIZATION_FAILED.code;
const TOPIC_DENIED = KAFKA_ERRORS.TOPIC_AUTHORIZATION_FAILED.code;

/** Results in request order, grouped back by topic as the request named them. */
export function byTopic<T extends TopicPartitionRef>(items: readonly T[]): [string, T[]][] {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.topic);
    if (list === undefined) out.set(item.topic, [item]);
    else list.push(item);
  }
  return [...out];
}

/**
 * OffsetCommit v0-v9. Commits with generation -1 come from outside group management
 * (simple consumers, admin tools) and are only accepted while the group has no members.
 * v1 carries a commit timestamp per partition, v2-v4 a retention time (-1: the broker's
 * offsets.retention.minutes), v6+ the leader epoch of the committed offset. Answered once
 * the commit records are acknowledged by the offsets partition's ISR. Needs READ on the
 * group, and READ on each topic (its partitions fail alone otherwise).
 */
export const offsetCommitHandler = defineHandler({
  apiKey: API_KEYS.OffsetCommit,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 9,
  decode: decodeOffsetCommitRequest,
  encode: encodeOffsetCommitResponse,
  async handle(ctx, request) {
    const groupDenied = !groupAuthorized(ctx, AclOperation.READ, request.groupId);
    const readable = new Map(request.topics.map((t) => [t.name, topicAuthorized(ctx, AclOperation.READ, t.name)]));
    const all = request.topics.flatMap((t) => t.partitions.map((p) => ({
      topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch,
      metadata: p.committedMetadata, commitTimestampMs: millis(p.commitTimestamp),
    })));
    const denied: PartitionError[] = all.filter((o) => groupDenied || !readable.get(o.topic))
      .map((o) => ({ topic: o.topic, partition: o.partition, errorCode: groupDenied ? GROUP_DENIED : TOPIC_DENIED }));
    const offsets = groupDenied ? [] : all.filter((o) => readable.get(o.topic));
    const groups = groupCoordinatorOf(ctx.broker);
    const committed: PartitionError[] = offsets.length === 0 ? []
      : groups === undefined ? offsets.map((o) => ({ ...o, errorCode: NO_COORDINATOR })) : await groups.commitOffsets({
        groupId: request.groupId, generationId: request.generationIdOrMemberEpoch, memberId: request.memberId,
        groupInstanceId: request.groupInstanceId, retentionTimeMs: millis(request.retentionTimeMs), offsets,
      });
    const results = [...committed, ...denied];
    return makeOffsetCommitResponse({
      topics: byTopic(results).map(([name, partitions]) => makeOffsetCommitResponseTopic({
        name, partitions: partitions.map((p) => makeOffsetCommitResponsePartition({ partitionIndex: p.partition, errorCode: p.errorCode })),
      })),
    });
  },
});

/**
 * One group's committed offsets, as Kafka authorizes them: DESCRIBE on the group, and on
 * each topic (left out when all offsets were asked for, TOPIC_AUTHORIZATION_FAILED when named).
 */
function fetchGroup(
  ctx: ServerContext, groups: GroupCoordinator | undefined, groupId: string, topics: readonly { name: string; partitionIndexes: number[] }[] | null,
  requireStable: boolean,
): OffsetFetchResult {
  if (!groupAuthorized(ctx, AclOperation.DESCRIBE, groupId)) return { errorCode: GROUP_DENIED, offsets: [] };
  if (groups === undefined) return { errorCode: NO_COORDINATOR, offsets: [] };
  const partitions = topics === null ? null : topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
  const result = groups.fetchOffsets(groupId, partitions, requireStable);
  const describable = new Map<string, boolean>();
  const may = (topic: string): boolean => describable.get(topic) ?? describable.set(topic, topicAuthorized(ctx, AclOperation.DESCRIBE, topic)).get(topic)!;
  const offsets = topics === null ? result.offsets.filter((o) => may(o.topic))
    : result.offsets.map((o) => (may(o.topic) ? o : { ...o, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: TOPIC_DENIED }));
  return { ...result, offsets };
}

/**
 * OffsetFetch v0-v9: one group before v8 (all its offsets when topics is null, v2+), many
 * from v8; require_stable (v7+) reports partitions with a commit in flight as
 * UNSTABLE_OFFSET_COMMIT. A group error is top-level from v2 (per partition before, on
 * every partition asked for) and per group from v8.
 */
export const offsetFetchHandler = defineHandler({
  apiKey: API_KEYS.OffsetFetch,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 9,
  decode: decodeOffsetFetchRequest,
  encode: encodeOffsetFetchResponse,
  handle(ctx, request, header) {
    const groups = groupCoordinatorOf(ctx.broker);
    const version = header.apiVersion;
    if (version >= 8) {
      return makeOffsetFetchResponse({
        groups: request.groups.map((g) => {
          const result = fetchGroup(ctx, groups, g.groupId, g.topics, request.requireStable);
          return makeOffsetFetchResponseGroup({
            groupId: g.groupId, errorCode: result.errorCode,
            topics: byTopic(result.offsets).map(([name, partitions]) => makeOffsetFetchResponseTopics({
              name, partitions: partitions.map((p) => makeOffsetFetchResponsePartitions(partitionFields(p))),
            })),
          });
        }),
      });
    }
    // v0 and v1 have no way to ask for all offsets: their topics are never null.
    const result = fetchGroup(ctx, groups, request.groupId, request.topics, request.requireStable);
    const offsets: readonly FetchedOffset[] = result.errorCode === 0 || version >= 2 ? result.offsets
      : (request.topics ?? []).flatMap((t) => t.partitionIndexes.map((partition) => ({
        topic: t.name, partition, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: result.errorCode,
      })));
    return makeOffsetFetchResponse({
      errorCode: result.errorCode,
      topics: byTopic(offsets).map(([name, partitions]) => makeOffsetFetchResponseTopic({
        name, partitions: partitions.map((p) => makeOffsetFetchResponsePartition(partitionFields(p))),
      })),
    });
  },
});

function partitionFields(p: FetchedOffset): { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; metadata: string; errorCode: number } {
  return { partitionIndex: p.partition, committedOffset: p.offset, committedLeaderEpoch: p.leaderEpoch, metadata: p.metadata, errorCode: p.errorCode };
}

/**
 * OffsetDelete (KIP-496): an Empty group's offsets, or those of topics a consumer group no
 * longer subscribes to. Needs DELETE on the group and READ on each topic.
 */
export const offsetDeleteHandler = defineHandler({
  apiKey: API_KEYS.OffsetDelete,
  name: 'OffsetDelete',
  minVersion: 0,
  maxVersion: 0,
  decode: decodeOffsetDeleteRequest,
  encode: encodeOffsetDeleteResponse,
  async handle(ctx, request) {
    if (!groupAuthorized(ctx, AclOperation.DELETE, request.groupId)) return makeOffsetDeleteResponse({ errorCode: GROUP_DENIED });
    const groups = groupCoordinatorOf(ctx.broker);
    const all = request.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex })));
    const readable = new Map(request.topics.map((t) => [t.name, topicAuthorized(ctx, AclOperation.READ, t.name)]));
    const partitions = all.filter((p) => readable.get(p.topic));
    const denied = all.filter((p) => !readable.get(p.topic)).map((p) => ({ ...p, errorCode: TOPIC_DENIED }));
    const result = groups === undefined ? { errorCode: NO_COORDINATOR, partitions: [] } : await groups.deleteOffsets(request.groupId, partitions);
    return makeOffsetDeleteResponse({
      errorCode: result.errorCode,
      topics: byTopic([...result.partitions, ...denied]).map(([name, ps]) => makeOffsetDeleteResponseTopic({
        name, partitions: ps.map((p) => makeOffsetDeleteResponsePartition({ partitionIndex: p.partition, errorCode: p.errorCode })),
      })),
    });
  },
});
