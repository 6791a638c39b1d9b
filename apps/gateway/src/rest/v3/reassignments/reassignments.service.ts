import { Inject, Injectable } from '@nestjs/common';
import type { BrokerApi, TopicPartitionRef } from '@weir/broker-core';
import type { AlterTopicReassignmentsRequest, PartitionOutcomeDataList, ReassignmentData, ReassignmentDataList } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { partitionRefs, requireSucceeded } from '../common/outcomes.js';
import { V3Urls } from '../common/urls.js';
import { toPartitionOutcomeDataList, toReassignmentData, toReassignmentDataList } from '../mappers/reassignment.mapper.js';

/**
 * Partition reassignments: Confluent's read-only views of the ongoing ones, and Weir's
 * changes through Kafka's AlterPartitionReassignments (the controller adds the new
 * replicas, waits for them to join the ISR, then removes the old ones).
 */
@Injectable()
export class ReassignmentsService {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  listAll(baseUrl: string): ReassignmentDataList {
    const urls = this.urls(baseUrl);
    return toReassignmentDataList(urls, urls.allReassignments(), this.broker.listPartitionReassignments(null));
  }

  listTopic(baseUrl: string, topic: string): ReassignmentDataList {
    const urls = this.urls(baseUrl);
    const refs = partitionRefs(this.broker.describeTopic(topic));
    return toReassignmentDataList(urls, urls.topicReassignments(topic), this.broker.listPartitionReassignments(refs));
  }

  /** 404 while the partition is not being reassigned, as Confluent answers. */
  get(baseUrl: string, topic: string, partition: number): ReassignmentData {
    const ref = this.requirePartition(topic, partition);
    const ongoing = this.broker.listPartitionReassignments([ref])[0];
    if (ongoing === undefined) throw RestError.notFound(`No reassignment is in progress for ${topic}-${partition}.`);
    return toReassignmentData(this.urls(baseUrl), ongoing);
  }

  /** Starts moving the partition to `replicas`; answers the reassignment as it stands (empty when it completed at once). */
  async alter(baseUrl: string, topic: string, partition: number, replicas: readonly number[]): Promise<ReassignmentData> {
    const ref = this.requirePartition(topic, partition);
    requireSucceeded(await this.broker.alterPartitionReassignments([{ ...ref, replicas }]), ref);
    const ongoing = this.broker.listPartitionReassignments([ref])[0] ?? { ...ref, replicas, addingReplicas: [], removingReplicas: [] };
    return toReassignmentData(this.urls(baseUrl), ongoing);
  }

  async cancel(topic: string, partition: number): Promise<void> {
    const ref = this.requirePartition(topic, partition);
    requireSucceeded(await this.broker.alterPartitionReassignments([{ ...ref, replicas: null }]), ref);
  }

  /** Several partitions of one topic at once; each partition's outcome in the answer. */
  async alterTopic(baseUrl: string, topic: string, request: AlterTopicReassignmentsRequest): Promise<PartitionOutcomeDataList> {
    for (const entry of request.partitions) this.requirePartition(topic, entry.partition_id);
    const outcomes = await this.broker.alterPartitionReassignments(request.partitions.map((p) => ({ topic, partition: p.partition_id, replicas: p.replicas })));
    return toPartitionOutcomeDataList(this.urls(baseUrl).topicReassignments(topic), outcomes);
  }

  private requirePartition(topic: string, partition: number): TopicPartitionRef {
    if (!this.broker.describeTopic(topic).partitions.some((p) => p.partition === partition)) throw RestError.unknownPartition(topic, partition);
    return { topic, partition };
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.broker.clusterId);
  }
}
