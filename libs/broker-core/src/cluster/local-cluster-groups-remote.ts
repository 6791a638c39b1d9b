import type {
  CommittedOffset, ConsumerGroupInfo, ConsumerGroupSummary, PartitionOutcome, TopicPartitionOffset,
} from '../broker/broker-api.js';
import { KafkaError } from '../errors.js';
import { byTopicPartition, groupInfoOf, nameOf, summaryOf, throwCode } from '../group/group-admin.js';
import type { GroupDescription } from '../group/group-results.js';
import type { KafkaClientConnection } from '../kafka-client/kafka-client-connection.js';
import { API_KEYS } from '../protocol/api-keys.js';
import type { DescribeGroupsResponseDescribedGroup } from '../protocol/describeGroups/index.js';
import type { RemoteBrokerCalls } from './remote-broker-calls.js';

/** The versions sent: the newest whose layout is one group per request (OffsetFetch v8+ batches groups). */
const LIST_GROUPS_VERSION = 4;
const DESCRIBE_GROUPS_VERSION = 5;
const OFFSET_FETCH_VERSION = 7;
const OFFSET_COMMIT_VERSION = 8;
const DELETE_GROUPS_VERSION = 2;

/**
 * A LocalCluster's consumer-group calls for groups coordinated by a broker of another
 * process, forwarded over the Kafka protocol as an admin client would send them: the
 * coordinator is known from the shared registry (the leader of the group's offsets
 * partition), so no FindCoordinator round trip; DescribeGroups, OffsetFetch, OffsetCommit
 * (generation -1) and DeleteGroups go to it, ListGroups and DescribeGroups to each broker
 * for the list. Answers take BrokerApi's shapes; an error code becomes a KafkaError (the
 * coordinator's NOT_COORDINATOR when leadership just moved: the caller retries), an
 * unreachable broker COORDINATOR_NOT_AVAILABLE. One connection per broker, made on use.
 */
export class RemoteGroups {
  constructor(private readonly remote: RemoteBrokerCalls) {}

  /** The groups each broker coordinates, described in one batch per broker. */
  async list(brokerIds: readonly number[]): Promise<ConsumerGroupSummary[]> {
    const perBroker = await Promise.all(brokerIds.map(async (brokerId) => {
      const listed = await this.call(brokerId, 'listing groups', (c) => c.send(API_KEYS.ListGroups, LIST_GROUPS_VERSION, { statesFilter: [] }));
      if (listed.errorCode !== 0 || listed.groups.length === 0) return [];
      const described = await this.describeMany(brokerId, listed.groups.map((g) => g.groupId));
      return described.filter((d) => d.errorCode === 0 && d.state !== 'Dead').map((d) => summaryOf(d, brokerId));
    }));
    return perBroker.flat();
  }

  async describe(brokerId: number, groupId: string): Promise<ConsumerGroupInfo> {
    const [d] = await this.describeMany(brokerId, [groupId]);
    if (d === undefined) throw new KafkaError('UNKNOWN_SERVER_ERROR', `broker ${brokerId} did not describe group '${groupId}'`);
    if (d.errorCode !== 0) throwCode(d.errorCode, `describing group '${groupId}' on broker ${brokerId}`);
    return groupInfoOf(d, brokerId);
  }

  async fetchOffsets(brokerId: number, groupId: string): Promise<CommittedOffset[]> {
    const response = await this.call(brokerId, 'fetching offsets', (c) => c.send(API_KEYS.OffsetFetch, OFFSET_FETCH_VERSION, {
      groupId, topics: null, groups: [], requireStable: false,
    }));
    if (response.errorCode !== 0) throwCode(response.errorCode, `fetching the offsets of group '${groupId}' on broker ${brokerId}`);
    const offsets: CommittedOffset[] = [];
    for (const t of response.topics) {
      for (const p of t.partitions) {
        if (p.errorCode === 0 && p.committedOffset >= 0n) offsets.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.metadata ?? '' });
      }
    }
    return offsets.sort(byTopicPartition);
  }

  async commit(brokerId: number, groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<PartitionOutcome[]> {
    const byTopic = new Map<string, TopicPartitionOffset[]>();
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
    const response = await this.call(brokerId, 'committing offsets', (c) => c.send(API_KEYS.OffsetCommit, OFFSET_COMMIT_VERSION, {
      groupId, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1n,
      topics: [...byTopic].map(([name, ps]) => ({
        name, partitions: ps.map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: '' })),
      })),
    }));
    return response.topics.flatMap((t) => t.partitions.map((p) => ({
      topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode, errorMessage: p.errorCode === 0 ? null : nameOf(p.errorCode),
    })));
  }

  async delete(brokerId: number, groupId: string): Promise<void> {
    const response = await this.call(brokerId, 'deleting a group', (c) => c.send(API_KEYS.DeleteGroups, DELETE_GROUPS_VERSION, { groupsNames: [groupId] }));
    const result = response.results.find((r) => r.groupId === groupId);
    if (result !== undefined && result.errorCode !== 0) throwCode(result.errorCode, `deleting group '${groupId}' on broker ${brokerId}`);
  }

  private async describeMany(brokerId: number, groupIds: readonly string[]): Promise<GroupDescription[]> {
    const response = await this.call(brokerId, 'describing groups', (c) => c.send(API_KEYS.DescribeGroups, DESCRIBE_GROUPS_VERSION, {
      groups: [...groupIds], includeAuthorizedOperations: false,
    }));
    return response.groups.map(descriptionOf);
  }

  private call<T>(brokerId: number, doing: string, send: (connection: KafkaClientConnection) => Promise<T>): Promise<T> {
    return this.remote.call(brokerId, doing, send);
  }
}

function descriptionOf(g: DescribeGroupsResponseDescribedGroup): GroupDescription {
  return {
    errorCode: g.errorCode, groupId: g.groupId, state: g.groupState, protocolType: g.protocolType, protocol: g.protocolData,
    members: g.members.map((m) => ({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost, metadata: m.memberMetadata, assignment: m.memberAssignment,
    })),
  };
}
