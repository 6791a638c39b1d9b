import type { PartitionDescription, TopicDescription } from '@weir/broker-core';
import type { PartitionData, PartitionDataList, ReplicaData, ReplicaDataList, TopicData, TopicDataList } from '@weir/contracts';
import type { V3Urls } from '../common/urls.js';

export function toTopicData(urls: V3Urls, topic: TopicDescription): TopicData {
  return {
    kind: 'KafkaTopic',
    metadata: { self: urls.topic(topic.name), resource_name: urls.crnTopic(topic.name) },
    cluster_id: urls.clusterId,
    topic_name: topic.name,
    is_internal: topic.internal,
    replication_factor: topic.replicationFactor,
    partitions_count: topic.partitions.length,
    partitions: { related: urls.partitions(topic.name) },
    configs: { related: urls.topicConfigs(topic.name) },
    partition_reassignments: { related: urls.topicReassignments(topic.name) },
  };
}

export function toTopicDataList(urls: V3Urls, topics: readonly TopicDescription[]): TopicDataList {
  const sorted = [...topics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { kind: 'KafkaTopicList', metadata: { self: urls.topics(), next: null }, data: sorted.map((t) => toTopicData(urls, t)) };
}

export function toPartitionData(urls: V3Urls, topic: string, partition: PartitionDescription): PartitionData {
  const id = partition.partition;
  return {
    kind: 'KafkaPartition',
    metadata: { self: urls.partition(topic, id), resource_name: urls.crnPartition(topic, id) },
    cluster_id: urls.clusterId,
    topic_name: topic,
    partition_id: id,
    ...(partition.leader >= 0 ? { leader: { related: urls.replica(topic, id, partition.leader) } } : {}),
    replicas: { related: urls.replicas(topic, id) },
    reassignment: { related: urls.reassignment(topic, id) },
    log_start_offset: Number(partition.logStartOffset),
    high_watermark: Number(partition.highWatermark),
    last_stable_offset: Number(partition.lastStableOffset),
    log_end_offset: Number(partition.logEndOffset),
    size_bytes: partition.sizeBytes,
    leader_id: partition.leader >= 0 ? partition.leader : null,
    leader_epoch: partition.leaderEpoch,
    replica_ids: [...partition.replicas],
    isr: [...partition.isr],
    offline_replicas: [...partition.offlineReplicas],
    is_offline: partition.offline,
    adding_replicas: [...partition.addingReplicas],
    removing_replicas: [...partition.removingReplicas],
  };
}

export function toPartitionDataList(urls: V3Urls, topic: TopicDescription): PartitionDataList {
  const sorted = [...topic.partitions].sort((a, b) => a.partition - b.partition);
  return {
    kind: 'KafkaPartitionList',
    metadata: { self: urls.partitions(topic.name), next: null },
    data: sorted.map((p) => toPartitionData(urls, topic.name, p)),
  };
}

export function toReplicaData(urls: V3Urls, topic: string, partition: PartitionDescription, brokerId: number): ReplicaData {
  const id = partition.partition;
  return {
    kind: 'KafkaReplica',
    metadata: { self: urls.replica(topic, id, brokerId), resource_name: urls.crnReplica(topic, id, brokerId) },
    cluster_id: urls.clusterId,
    topic_name: topic,
    partition_id: id,
    broker_id: brokerId,
    is_leader: partition.leader === brokerId,
    is_in_sync: partition.isr.includes(brokerId),
    is_offline: partition.offlineReplicas.includes(brokerId),
    broker: { related: urls.broker(brokerId) },
  };
}

/** The replicas of one partition, in Kafka's assignment order (the preferred leader first). */
export function toReplicaDataList(urls: V3Urls, topic: string, partition: PartitionDescription): ReplicaDataList {
  return {
    kind: 'KafkaReplicaList',
    metadata: { self: urls.replicas(topic, partition.partition), next: null },
    data: partition.replicas.map((brokerId) => toReplicaData(urls, topic, partition, brokerId)),
  };
}

/** Every replica a broker holds, across topics (GET /brokers/{id}/partition-replicas). */
export function toBrokerReplicaDataList(urls: V3Urls, brokerId: number, topics: readonly TopicDescription[]): ReplicaDataList {
  const data: ReplicaData[] = [];
  for (const topic of [...topics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    for (const partition of [...topic.partitions].sort((a, b) => a.partition - b.partition)) {
      if (partition.replicas.includes(brokerId)) data.push(toReplicaData(urls, topic.name, partition, brokerId));
    }
  }
  return { kind: 'KafkaReplicaList', metadata: { self: urls.brokerPartitionReplicas(brokerId), next: null }, data };
}
