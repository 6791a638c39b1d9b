import type {
  CommittedOffset, ConsumerGroupInfo, ConsumerGroupMemberInfo, ConsumerGroupSummary, PartitionOutcome, TopicPartitionOffset, TopicPartitionRef,
} from '../broker/broker-api.js';
import { KAFKA_ERRORS, KafkaError, kafkaErrorName } from '../errors.js';
import { CONSUMER_PROTOCOL_TYPE, decodeConsumerAssignment } from './consumer-protocol.js';
import type { GroupCoordinator } from './group-coordinator.js';
import type { GroupDescription, GroupMemberDescription } from './group-results.js';

/**
 * The BrokerApi's consumer-group calls answered by one broker's own coordinator: the
 * coordinator's Kafka-shaped results (error codes, assignment bytes) turned into the
 * API's (thrown KafkaErrors, decoded topic-partitions). Broker delegates to it; a
 * LocalCluster picks the hosted broker coordinating the group first
 * (cluster/local-cluster-groups.ts). Stateless; all on the broker's event loop.
 */
export class CoordinatorGroups {
  constructor(
    private readonly coordinator: GroupCoordinator,
    private readonly brokerId: number,
  ) {}

  /** The groups this broker coordinates. A loading coordinator lists what it has loaded so far. */
  list(): Promise<ConsumerGroupSummary[]> {
    const listing = this.coordinator.listGroups([]);
    if (listing.errorCode !== 0 && listing.errorCode !== KAFKA_ERRORS.COORDINATOR_LOAD_IN_PROGRESS.code) throwCode(listing.errorCode, 'listing groups');
    const summaries: ConsumerGroupSummary[] = [];
    for (const g of listing.groups) {
      const d = this.coordinator.describeGroup(g.groupId);
      if (d.errorCode === 0 && d.state !== 'Dead') summaries.push(summaryOf(d, this.brokerId));
    }
    return Promise.resolve(summaries);
  }

  describe(groupId: string): Promise<ConsumerGroupInfo> {
    const d = this.coordinator.describeGroup(groupId);
    if (d.errorCode !== 0) throwCode(d.errorCode, `describing group '${groupId}'`);
    return Promise.resolve(groupInfoOf(d, this.brokerId));
  }

  fetchOffsets(groupId: string): Promise<CommittedOffset[]> {
    const result = this.coordinator.fetchOffsets(groupId, null, false);
    if (result.errorCode !== 0) throwCode(result.errorCode, `fetching the offsets of group '${groupId}'`);
    const offsets = result.offsets
      .filter((o) => o.errorCode === 0 && o.offset >= 0n)
      .map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset, metadata: o.metadata }));
    return Promise.resolve(offsets.sort(byTopicPartition));
  }

  async commit(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<PartitionOutcome[]> {
    const errors = await this.coordinator.commitOffsets({
      groupId, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1,
      offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset, leaderEpoch: -1, metadata: '', commitTimestampMs: -1 })),
    });
    return errors.map((e) => ({ topic: e.topic, partition: e.partition, errorCode: e.errorCode, errorMessage: e.errorCode === 0 ? null : nameOf(e.errorCode) }));
  }

  async delete(groupId: string): Promise<void> {
    const [result] = await this.coordinator.deleteGroups([groupId]);
    if (result !== undefined && result.errorCode !== 0) throwCode(result.errorCode, `deleting group '${groupId}'`);
  }
}

/** A described group as the API's; a Dead one (unknown to its coordinator) is GROUP_ID_NOT_FOUND. */
export function groupInfoOf(d: GroupDescription, coordinatorId: number): ConsumerGroupInfo {
  if (d.state === 'Dead') throw new KafkaError('GROUP_ID_NOT_FOUND', `Group '${d.groupId}' does not exist.`);
  return { ...summaryOf(d, coordinatorId), members: d.members.map((m) => memberOf(m, d.protocolType)) };
}

/** A described group as the API's summary; `transactional` only when the description knows it (its own coordinator's). */
export function summaryOf(d: GroupDescription, coordinatorId: number): ConsumerGroupSummary {
  const summary: ConsumerGroupSummary = {
    groupId: d.groupId, state: d.state, protocolType: d.protocolType, protocol: d.protocol, memberCount: d.members.length, coordinatorId,
    ...(d.transactional === undefined ? {} : { transactional: d.transactional }),
  };
  return summary;
}

function memberOf(m: GroupMemberDescription, protocolType: string): ConsumerGroupMemberInfo {
  return { memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, host: m.clientHost, assignment: assignmentOf(m.assignment, protocolType) };
}

/** A consumer's assignment as topic-partitions; bytes that do not decode (another protocol) give none. */
function assignmentOf(bytes: Buffer, protocolType: string): TopicPartitionRef[] {
  if (protocolType !== CONSUMER_PROTOCOL_TYPE || bytes.length === 0) return [];
  try {
    return decodeConsumerAssignment(bytes).assignedPartitions.flatMap((tp) => tp.partitions.map((partition) => ({ topic: tp.topic, partition })));
  } catch {
    return [];
  }
}

export function byTopicPartition(a: TopicPartitionRef, b: TopicPartitionRef): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

export function nameOf(code: number): string {
  return kafkaErrorName(code) ?? `error ${code}`;
}

/** A Kafka error code (non-zero) as a thrown KafkaError. */
export function throwCode(code: number, doing: string): never {
  const name = kafkaErrorName(code);
  if (name === undefined || name === 'NONE') throw new KafkaError('UNKNOWN_SERVER_ERROR', `${doing}: error code ${code}`);
  throw new KafkaError(name, `${doing} failed.`);
}
