import { Inject, Injectable } from '@nestjs/common';
import type { BrokerApi, PartitionDescription } from '@weir/broker-core';
import type { PartitionData, PartitionDataList, ReplicaData, ReplicaDataList } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { V3Urls } from '../common/urls.js';
import { toPartitionData, toPartitionDataList, toReplicaData, toReplicaDataList } from '../mappers/topic.mapper.js';

/** Partitions of a topic (with Weir's offsets and sizes) and their replicas. */
@Injectable()
export class PartitionsService {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  list(baseUrl: string, topic: string): PartitionDataList {
    return toPartitionDataList(this.urls(baseUrl), this.broker.describeTopic(topic));
  }

  get(baseUrl: string, topic: string, partition: number): PartitionData {
    return toPartitionData(this.urls(baseUrl), topic, this.requirePartition(topic, partition));
  }

  listReplicas(baseUrl: string, topic: string, partition: number): ReplicaDataList {
    return toReplicaDataList(this.urls(baseUrl), topic, this.requirePartition(topic, partition));
  }

  getReplica(baseUrl: string, topic: string, partition: number, brokerId: number): ReplicaData {
    const described = this.requirePartition(topic, partition);
    if (!described.replicas.includes(brokerId)) {
      throw RestError.notFound(`Replica ${brokerId} of ${topic}-${partition} cannot be found.`);
    }
    return toReplicaData(this.urls(baseUrl), topic, described, brokerId);
  }

  private requirePartition(topic: string, partition: number): PartitionDescription {
    const found = this.broker.describeTopic(topic).partitions.find((p) => p.partition === partition);
    if (found === undefined) throw RestError.unknownPartition(topic, partition);
    return found;
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.broker.clusterId);
  }
}
