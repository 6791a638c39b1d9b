import type { CreateTopicRequest, PartitionData, PartitionDataList, ReplicaDataList, TopicData, TopicDataList } from '@weir/contracts';
import { cache } from 'react';
import { clusterPath } from './clusters';
import { gatewayRequest } from './http';

export const topicPath = (name: string, suffix = '') => clusterPath(`/topics/${encodeURIComponent(name)}${suffix}`);

export const listTopics = cache(async (): Promise<TopicData[]> => {
  return (await gatewayRequest<TopicDataList>(await clusterPath('/topics'))).data;
});

export const getTopic = cache(async (name: string): Promise<TopicData> => {
  return gatewayRequest<TopicData>(await topicPath(name));
});

export const listPartitions = cache(async (topic: string): Promise<PartitionData[]> => {
  const partitions = (await gatewayRequest<PartitionDataList>(await topicPath(topic, '/partitions'))).data;
  return [...partitions].sort((a, b) => a.partition_id - b.partition_id);
});

export interface PartitionReplicas {
  replicas: number[];
  isr: number[];
}

/** Replica set and ISR of one partition, from its replicas resource. */
export async function getPartitionReplicas(topic: string, partition: number): Promise<PartitionReplicas> {
  const list = await gatewayRequest<ReplicaDataList>(await topicPath(topic, `/partitions/${partition}/replicas`));
  return {
    replicas: list.data.map((r) => r.broker_id),
    isr: list.data.filter((r) => r.is_in_sync).map((r) => r.broker_id),
  };
}

/** Sum of the partitions' sizes: the topic's bytes in the partition logs. */
export async function topicSizeBytes(topic: string): Promise<number> {
  const partitions = await listPartitions(topic);
  return partitions.reduce((sum, p) => sum + p.size_bytes, 0);
}

export async function createTopic(request: CreateTopicRequest): Promise<TopicData> {
  return gatewayRequest<TopicData>(await clusterPath('/topics'), { method: 'POST', body: request });
}
