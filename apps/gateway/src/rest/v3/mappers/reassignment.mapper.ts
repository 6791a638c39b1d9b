import { kafkaErrorName, type PartitionOutcome, type PartitionReassignment } from '@weir/broker-core';
import type { PartitionOutcomeDataList, ReassignmentData, ReassignmentDataList } from '@weir/contracts';
import { restErrorCodeOfKafkaCode } from '../../../errors/kafka-error-codes.js';
import type { V3Urls } from '../common/urls.js';

export function toReassignmentData(urls: V3Urls, r: PartitionReassignment): ReassignmentData {
  return {
    kind: 'KafkaReassignment',
    metadata: { self: urls.reassignment(r.topic, r.partition), resource_name: urls.crnReassignment(r.topic, r.partition) },
    cluster_id: urls.clusterId,
    topic_name: r.topic,
    partition_id: r.partition,
    adding_replicas: [...r.addingReplicas],
    removing_replicas: [...r.removingReplicas],
    replicas: { related: urls.replicas(r.topic, r.partition) },
  };
}

/** Ongoing reassignments by topic, then partition. */
export function toReassignmentDataList(urls: V3Urls, self: string, reassignments: readonly PartitionReassignment[]): ReassignmentDataList {
  const sorted = [...reassignments].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return { kind: 'KafkaReassignmentList', metadata: { self, next: null }, data: sorted.map((r) => toReassignmentData(urls, r)) };
}

/** Per-partition outcomes of an election or reassignment, by topic, then partition. */
export function toPartitionOutcomeDataList(self: string, outcomes: readonly PartitionOutcome[]): PartitionOutcomeDataList {
  const sorted = [...outcomes].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return {
    kind: 'KafkaPartitionOutcomeList',
    metadata: { self, next: null },
    data: sorted.map((o) => ({
      topic_name: o.topic,
      partition_id: o.partition,
      error_code: o.errorCode === 0 ? null : restErrorCodeOfKafkaCode(o.errorCode),
      kafka_error: o.errorCode === 0 ? null : (kafkaErrorName(o.errorCode) ?? String(o.errorCode)),
      message: o.errorMessage,
    })),
  };
}
