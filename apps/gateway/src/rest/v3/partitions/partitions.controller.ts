import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type PartitionData,
  type PartitionDataList,
  partitionDataListSchema,
  partitionDataSchema,
  type ReplicaData,
  type ReplicaDataList,
  replicaDataListSchema,
  replicaDataSchema,
} from '@weir/contracts';
import { ApiV3 } from '../common/openapi.js';
import { brokerIdParam, ClusterIdPipe, partitionIdParam, topicNameParam } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import { PartitionsService } from './partitions.service.js';

@ApiTags('Partition (v3)')
@Controller('v3/clusters/:cluster_id/topics/:topic_name/partitions')
export class PartitionsController {
  constructor(private readonly partitions: PartitionsService) {}

  @Get()
  @ApiV3({ summary: 'List Partitions (with log start offset, high watermark, last stable offset, log end offset, size)', status: 200, response: partitionDataListSchema })
  list(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
  ): PartitionDataList {
    return this.partitions.list(baseUrl, topic);
  }

  @Get(':partition_id')
  @ApiV3({ summary: 'Get Partition', status: 200, response: partitionDataSchema })
  get(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Param('partition_id', partitionIdParam) partition: number,
  ): PartitionData {
    return this.partitions.get(baseUrl, topic, partition);
  }

  @Get(':partition_id/replicas')
  @ApiTags('Replica (v3)')
  @ApiV3({ summary: 'List Replicas', status: 200, response: replicaDataListSchema })
  replicas(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Param('partition_id', partitionIdParam) partition: number,
  ): ReplicaDataList {
    return this.partitions.listReplicas(baseUrl, topic, partition);
  }

  @Get(':partition_id/replicas/:broker_id')
  @ApiTags('Replica (v3)')
  @ApiV3({ summary: 'Get Replica', status: 200, response: replicaDataSchema })
  replica(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('topic_name', topicNameParam) topic: string,
    @Param('partition_id', partitionIdParam) partition: number,
    @Param('broker_id', brokerIdParam) brokerId: number,
  ): ReplicaData {
    return this.partitions.getReplica(baseUrl, topic, partition, brokerId);
  }
}
