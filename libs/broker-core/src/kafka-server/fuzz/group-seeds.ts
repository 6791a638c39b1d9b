import { encodeConsumerAssignment, encodeConsumerSubscription, makeConsumerSubscription } from '../../group/consumer-protocol.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import { encodeDeleteGroupsRequest, makeDeleteGroupsRequest } from '../../protocol/deleteGroups/index.js';
import { encodeDescribeGroupsRequest, makeDescribeGroupsRequest } from '../../protocol/describeGroups/index.js';
import { encodeFindCoordinatorRequest, makeFindCoordinatorRequest } from '../../protocol/findCoordinator/index.js';
import { encodeHeartbeatRequest, makeHeartbeatRequest } from '../../protocol/heartbeat/index.js';
import { encodeJoinGroupRequest, makeJoinGroupRequest, makeJoinGroupRequestProtocol } from '../../protocol/joinGroup/index.js';
import { encodeLeaveGroupRequest, makeLeaveGroupRequest, makeLeaveGroupRequestMemberIdentity } from '../../protocol/leaveGroup/index.js';
import { encodeListGroupsRequest, makeListGroupsRequest } from '../../protocol/listGroups/index.js';
import {
  encodeOffsetCommitRequest, makeOffsetCommitRequest, makeOffsetCommitRequestPartition, makeOffsetCommitRequestTopic,
} from '../../protocol/offsetCommit/index.js';
import { encodeOffsetDeleteRequest, makeOffsetDeleteRequest, makeOffsetDeleteRequestPartition, makeOffsetDeleteRequestTopic } from '../../protocol/offsetDelete/index.js';
import {
  encodeOffsetFetchRequest, makeOffsetFetchRequest, makeOffsetFetchRequestGroup, makeOffsetFetchRequestTopic, makeOffsetFetchRequestTopics,
} from '../../protocol/offsetFetch/index.js';
import { encodeSyncGroupRequest, makeSyncGroupRequest, makeSyncGroupRequestAssignment } from '../../protocol/syncGroup/index.js';
import type { Rng } from './random.js';
import { bool, count, int32, int64, partition, text, times, topicName, wide, type SeedBuilder, type SeedContext } from './seeds.js';

/**
 * Seeds for the group coordinator's APIs. Group ids come mostly from a few names, so
 * that frames meet each other's groups (commits, fetches, joins, deletes of the same
 * group); member ids are mostly unknown ones (the fuzzer never reads the ids it is
 * given), so SyncGroup, Heartbeat and LeaveGroup answer at once. JoinGroups that would
 * park (a new member before v4, or a static one) have their session timeout rewritten by
 * the stream model (oracle.ts), so none waits for a rebalance fuzz clients never finish.
 */
const GROUPS = ['fuzz-group', 'fuzz-group-2', 'fuzz-simple'];

function groupId(rng: Rng): string {
  return rng.weighted([[12, () => rng.pick(GROUPS)], [1, () => ''], [1, () => text(rng)], [1, () => `fuzz-g-${rng.int(1000)}`]])();
}

function memberId(rng: Rng): string {
  return rng.weighted([[4, () => ''], [3, () => `weir-fuzz-${rng.int(100)}`], [1, () => text(rng)]])();
}

function instanceId(rng: Rng): string | null {
  return rng.chance(0.8) ? null : rng.pick(['instance-1', 'instance-2', '']);
}

function generation(rng: Rng): number {
  return rng.weighted([[4, -1], [4, rng.range(0, 5)], [1, int32(rng)]]);
}

function subscription(rng: Rng, ctx: SeedContext): Buffer {
  return rng.weighted([
    [6, () => encodeConsumerSubscription(makeConsumerSubscription({ topics: times(count(rng, 2), () => topicName(rng, ctx)) }), rng.range(0, 3))],
    [1, () => Buffer.alloc(0)],
    [1, () => rng.bytes(rng.size(64))],
  ])();
}

function topicsOf<T>(rng: Rng, ctx: SeedContext, make: (name: string) => T): T[] {
  return times(count(rng, 2), () => make(topicName(rng, ctx)));
}

const findCoordinator: SeedBuilder = (rng, v, _ctx, out) => {
  encodeFindCoordinatorRequest(out, makeFindCoordinatorRequest({
    key: groupId(rng),
    keyType: rng.weighted([[8, 0], [2, 1], [1, rng.range(-128, 127)]]),
    coordinatorKeys: wide(rng, () => groupId(rng)),
  }), v);
};

const joinGroup: SeedBuilder = (rng, v, ctx, out) => {
  encodeJoinGroupRequest(out, makeJoinGroupRequest({
    groupId: groupId(rng),
    sessionTimeoutMs: rng.weighted([[8, rng.range(6000, 12_000)], [1, 0], [1, int32(rng)]]),
    rebalanceTimeoutMs: rng.weighted([[8, rng.range(0, 200)], [1, int32(rng)]]),
    memberId: memberId(rng),
    groupInstanceId: instanceId(rng),
    protocolType: rng.weighted([[8, 'consumer'], [1, ''], [1, text(rng)]]),
    protocols: times(count(rng, 2), () => makeJoinGroupRequestProtocol({ name: rng.pick(['range', 'roundrobin', 'cooperative-sticky', '']), metadata: subscription(rng, ctx) })),
    reason: rng.chance(0.7) ? null : text(rng),
  }), v);
};

const syncGroup: SeedBuilder = (rng, v, ctx, out) => {
  encodeSyncGroupRequest(out, makeSyncGroupRequest({
    groupId: groupId(rng),
    generationId: generation(rng),
    memberId: memberId(rng),
    groupInstanceId: instanceId(rng),
    protocolType: rng.chance(0.5) ? 'consumer' : null,
    protocolName: rng.chance(0.5) ? 'range' : null,
    assignments: times(count(rng, 2), () => makeSyncGroupRequestAssignment({
      memberId: memberId(rng),
      assignment: rng.chance(0.8) ? encodeConsumerAssignment({ assignedPartitions: topicsOf(rng, ctx, (topic) => ({ topic, partitions: [partition(rng)] })), userData: null }) : rng.bytes(rng.size(32)),
    })),
  }), v);
};

const heartbeat: SeedBuilder = (rng, v, _ctx, out) => {
  encodeHeartbeatRequest(out, makeHeartbeatRequest({ groupId: groupId(rng), generationId: generation(rng), memberId: memberId(rng), groupInstanceId: instanceId(rng) }), v);
};

const leaveGroup: SeedBuilder = (rng, v, _ctx, out) => {
  encodeLeaveGroupRequest(out, makeLeaveGroupRequest({
    groupId: groupId(rng),
    memberId: memberId(rng),
    members: wide(rng, () => makeLeaveGroupRequestMemberIdentity({ memberId: memberId(rng), groupInstanceId: instanceId(rng), reason: rng.chance(0.7) ? null : text(rng) })),
  }), v);
};

const offsetCommit: SeedBuilder = (rng, v, ctx, out) => {
  encodeOffsetCommitRequest(out, makeOffsetCommitRequest({
    groupId: groupId(rng),
    generationIdOrMemberEpoch: generation(rng),
    memberId: memberId(rng),
    groupInstanceId: instanceId(rng),
    retentionTimeMs: rng.weighted([[6, -1n], [1, 60_000n], [1, int64(rng)]]),
    topics: topicsOf(rng, ctx, (name) => makeOffsetCommitRequestTopic({
      name,
      partitions: wide(rng, () => makeOffsetCommitRequestPartition({
        partitionIndex: partition(rng),
        committedOffset: rng.weighted([[6, BigInt(rng.range(0, 100))], [1, -1n], [1, int64(rng)]]),
        committedLeaderEpoch: rng.weighted([[6, -1], [2, 0], [1, int32(rng)]]),
        commitTimestamp: rng.weighted([[6, -1n], [1, int64(rng)]]),
        committedMetadata: rng.weighted<string | null>([[6, ''], [2, null], [1, text(rng)], [1, 'm'.repeat(rng.range(4000, 5000))]]),
      })),
    })),
  }), v);
};

const offsetFetch: SeedBuilder = (rng, v, ctx, out) => {
  const topics = (): { name: string; partitionIndexes: number[] }[] | null =>
    rng.chance(0.3) && v >= 2 ? null : topicsOf(rng, ctx, (name) => ({ name, partitionIndexes: wide(rng, () => partition(rng)) }));
  encodeOffsetFetchRequest(out, makeOffsetFetchRequest({
    groupId: groupId(rng),
    topics: topics()?.map((t) => makeOffsetFetchRequestTopic(t)) ?? null,
    groups: times(count(rng, 2), () => makeOffsetFetchRequestGroup({
      groupId: groupId(rng),
      memberId: rng.chance(0.8) ? null : memberId(rng),
      memberEpoch: rng.weighted([[8, -1], [1, int32(rng)]]),
      topics: topics()?.map((t) => makeOffsetFetchRequestTopics(t)) ?? null,
    })),
    requireStable: bool(rng),
  }), v);
};

const offsetDelete: SeedBuilder = (rng, v, ctx, out) => {
  encodeOffsetDeleteRequest(out, makeOffsetDeleteRequest({
    groupId: groupId(rng),
    topics: topicsOf(rng, ctx, (name) => makeOffsetDeleteRequestTopic({ name, partitions: wide(rng, () => makeOffsetDeleteRequestPartition({ partitionIndex: partition(rng) })) })),
  }), v);
};

const describeGroups: SeedBuilder = (rng, v, _ctx, out) => {
  encodeDescribeGroupsRequest(out, makeDescribeGroupsRequest({ groups: wide(rng, () => groupId(rng)), includeAuthorizedOperations: bool(rng) }), v);
};

const listGroups: SeedBuilder = (rng, v, _ctx, out) => {
  const states = ['Empty', 'Stable', 'PreparingRebalance', 'CompletingRebalance', 'Dead', 'stable', 'bogus'];
  encodeListGroupsRequest(out, makeListGroupsRequest({ statesFilter: rng.chance(0.5) ? [] : times(count(rng, 2), () => rng.pick(states)) }), v);
};

const deleteGroups: SeedBuilder = (rng, v, _ctx, out) => {
  encodeDeleteGroupsRequest(out, makeDeleteGroupsRequest({ groupsNames: wide(rng, () => groupId(rng)) }), v);
};

/** Seed builders of the group coordinator's APIs, merged into SEED_BUILDERS. */
export const GROUP_SEED_BUILDERS: ReadonlyMap<number, SeedBuilder> = new Map([
  [API_KEYS.FindCoordinator, findCoordinator],
  [API_KEYS.JoinGroup, joinGroup],
  [API_KEYS.SyncGroup, syncGroup],
  [API_KEYS.Heartbeat, heartbeat],
  [API_KEYS.LeaveGroup, leaveGroup],
  [API_KEYS.OffsetCommit, offsetCommit],
  [API_KEYS.OffsetFetch, offsetFetch],
  [API_KEYS.OffsetDelete, offsetDelete],
  [API_KEYS.DescribeGroups, describeGroups],
  [API_KEYS.ListGroups, listGroups],
  [API_KEYS.DeleteGroups, deleteGroups],
]);
