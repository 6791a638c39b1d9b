import type { AlterTopicReassignmentsRequest, LeaderElectionRequest, PartitionData, PartitionDataList, PartitionOutcomeDataList } from '@weir/contracts';
import { cache } from 'react';
import { clusterPath } from './clusters';
import { gatewayRequest } from './http';
import { topicPath } from './topics';

/** A topic's partitions with offsets, size, leader, replicas, ISR and reassignment state. */
export const listPartitions = cache(async (topic: string): Promise<PartitionData[]> => {
  const partitions = (await gatewayRequest<PartitionDataList>(await topicPath(topic, '/partitions'))).data;
  return [...partitions].sort((a, b) => a.partition_id - b.partition_id);
});

/** Preferred leader election of a topic's partitions, or of every partition without a topic. */
export async function electPreferredLeaders(topic?: string): Promise<PartitionOutcomeDataList> {
  const path = topic === undefined ? await clusterPath('/topics/-/partitions/-/leader-election') : await topicPath(topic, '/partitions/-/leader-election');
  const body: LeaderElectionRequest = { election_type: 'PREFERRED' };
  return gatewayRequest<PartitionOutcomeDataList>(path, { method: 'POST', body, timeoutMs: 60_000 });
}

/** New replica lists (or null: cancel) for some partitions of a topic, in one request. */
export async function alterReassignments(topic: string, request: AlterTopicReassignmentsRequest): Promise<PartitionOutcomeDataList> {
  return gatewayRequest<PartitionOutcomeDataList>(await topicPath(topic, '/partitions/-/reassignment'), { method: 'POST', body: request, timeoutMs: 60_000 });
}
