import type {
  ConsumerGroupInfo, ConsumerGroupLags, ConsumerGroupMemberInfo, ConsumerGroupSummary, IsolationLevel, OffsetResetResult, PartitionLagInfo,
} from '@weir/broker-core';
import type {
  ConsumerAssignmentData, ConsumerData, ConsumerGroupData, ConsumerGroupLagSummaryData, ConsumerGroupState, ConsumerLagData, IsolationLevelName, OffsetResetData,
} from '@weir/contracts';
import type { V3Urls } from '../common/urls.js';

const STATES: Readonly<Record<string, ConsumerGroupState>> = {
  Empty: 'EMPTY', PreparingRebalance: 'PREPARING_REBALANCE', CompletingRebalance: 'COMPLETING_REBALANCE', Stable: 'STABLE', Dead: 'DEAD',
};

/** Kafka's state name as Confluent's enum (UNKNOWN for anything else). */
export function toGroupState(state: string): ConsumerGroupState {
  return STATES[state] ?? 'UNKNOWN';
}

/** The isolation the lags were measured for; a broker that does not say measured to the HW. */
export function lagIsolationOf(lags: ConsumerGroupLags): IsolationLevelName {
  return lags.isolation ?? 'read_uncommitted';
}

export function toConsumerGroupData(urls: V3Urls, group: ConsumerGroupSummary, lags: ConsumerGroupLags | undefined): ConsumerGroupData {
  const g = group.groupId;
  return {
    kind: 'KafkaConsumerGroup',
    metadata: { self: urls.consumerGroup(g), resource_name: urls.crnConsumerGroup(g) },
    cluster_id: urls.clusterId,
    consumer_group_id: g,
    is_simple: group.protocolType === '',
    partition_assignor: group.protocol,
    state: toGroupState(group.state),
    coordinator: { related: urls.broker(group.coordinatorId) },
    consumers: { related: urls.consumers(g) },
    lag_summary: { related: urls.consumerLagSummary(g) },
    protocol_type: group.protocolType,
    members_count: group.memberCount,
    total_lag: Number(lags?.totalLag ?? 0n),
    max_lag: lags?.maxLag?.lag === undefined || lags.maxLag.lag === null ? null : Number(lags.maxLag.lag),
    lag_isolation_level: lags === undefined ? null : lagIsolationOf(lags),
  };
}

export function toConsumerData(urls: V3Urls, groupId: string, m: ConsumerGroupMemberInfo): ConsumerData {
  return {
    kind: 'KafkaConsumer',
    metadata: { self: urls.consumer(groupId, m.memberId), resource_name: urls.crnConsumer(groupId, m.memberId) },
    cluster_id: urls.clusterId,
    consumer_group_id: groupId,
    consumer_id: m.memberId,
    instance_id: m.groupInstanceId,
    client_id: m.clientId,
    host: m.host,
    assignments: { related: urls.consumerAssignments(groupId, m.memberId) },
  };
}

export function toConsumerAssignments(urls: V3Urls, group: ConsumerGroupInfo, m: ConsumerGroupMemberInfo): ConsumerAssignmentData[] {
  return m.assignment.map((tp) => ({
    kind: 'KafkaConsumerAssignment',
    metadata: {
      self: urls.consumerAssignment(group.groupId, m.memberId, tp.topic, tp.partition),
      resource_name: urls.crnConsumerAssignment(group.groupId, m.memberId, tp.topic, tp.partition),
    },
    cluster_id: urls.clusterId,
    consumer_group_id: group.groupId,
    consumer_id: m.memberId,
    topic_name: tp.topic,
    partition_id: tp.partition,
    partition: { related: urls.partition(tp.topic, tp.partition) },
    lag: { related: urls.consumerLag(group.groupId, tp.topic, tp.partition) },
  }));
}

export function toConsumerLagData(urls: V3Urls, groupId: string, p: PartitionLagInfo, isolation: IsolationLevel): ConsumerLagData {
  return {
    kind: 'KafkaConsumerLag',
    metadata: { self: urls.consumerLag(groupId, p.topic, p.partition), resource_name: urls.crnConsumerLag(groupId, p.topic, p.partition) },
    cluster_id: urls.clusterId,
    consumer_group_id: groupId,
    topic_name: p.topic,
    partition_id: p.partition,
    current_offset: p.committedOffset === null ? null : Number(p.committedOffset),
    log_end_offset: Number(p.logEndOffset),
    lag: p.lag === null ? null : Number(p.lag),
    consumer_id: p.memberId,
    instance_id: p.groupInstanceId,
    client_id: p.clientId,
    log_start_offset: Number(p.logStartOffset),
    isolation_level: isolation,
  };
}

export function toLagSummaryData(urls: V3Urls, lags: ConsumerGroupLags): ConsumerGroupLagSummaryData {
  const g = lags.groupId;
  const max = lags.maxLag;
  return {
    kind: 'KafkaConsumerGroupLagSummary',
    metadata: { self: urls.consumerLagSummary(g), resource_name: `${urls.crnConsumerGroup(g)}/lag-summary` },
    cluster_id: urls.clusterId,
    consumer_group_id: g,
    max_lag_consumer_id: max?.memberId ?? null,
    max_lag_instance_id: max?.groupInstanceId ?? null,
    max_lag_client_id: max?.clientId ?? null,
    max_lag_topic_name: max?.topic ?? null,
    max_lag_partition_id: max?.partition ?? null,
    max_lag: max?.lag === null || max === null ? 0 : Number(max.lag),
    total_lag: Number(lags.totalLag),
    max_lag_consumer: max?.memberId === null || max === null ? null : { related: urls.consumer(g, max.memberId) },
    max_lag_partition: max === null ? null : { related: urls.partition(max.topic, max.partition) },
    isolation_level: lagIsolationOf(lags),
  };
}

export function toOffsetResetData(urls: V3Urls, result: OffsetResetResult): OffsetResetData {
  return {
    kind: 'KafkaConsumerGroupOffsetsReset',
    metadata: { self: urls.offsetsReset(result.groupId), resource_name: null },
    cluster_id: urls.clusterId,
    consumer_group_id: result.groupId,
    dry_run: result.dryRun,
    data: result.partitions.map((p) => ({
      topic_name: p.topic,
      partition_id: p.partition,
      current_offset: p.before === null ? null : Number(p.before),
      new_offset: Number(p.after),
      log_start_offset: Number(p.logStartOffset),
      log_end_offset: Number(p.logEndOffset),
      clamped_from: p.clampedFrom === null ? null : Number(p.clampedFrom),
    })),
  };
}
