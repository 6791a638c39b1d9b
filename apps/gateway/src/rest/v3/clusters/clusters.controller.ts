import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type BrokerData,
  type BrokerDataList,
  brokerDataListSchema,
  brokerDataSchema,
  type ClusterData,
  type ClusterDataList,
  clusterDataListSchema,
  clusterDataSchema,
  type ReplicaDataList,
  replicaDataListSchema,
} from '@weir/contracts';
import { ApiV3 } from '../common/openapi.js';
import { brokerIdParam, ClusterIdPipe } from '../common/params.js';
import { BaseUrl } from '../common/request-context.js';
import { ClustersService } from './clusters.service.js';

@ApiTags('Cluster (v3)')
@Controller('v3/clusters')
export class ClustersController {
  constructor(private readonly clusters: ClustersService) {}

  @Get()
  @ApiV3({ summary: 'List Clusters (the one this broker belongs to)', status: 200, response: clusterDataListSchema, errors: [] })
  list(@BaseUrl() baseUrl: string): ClusterDataList {
    return this.clusters.listClusters(baseUrl);
  }

  @Get(':cluster_id')
  @ApiV3({ summary: 'Get Cluster', status: 200, response: clusterDataSchema, errors: [404] })
  get(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _clusterId: string): ClusterData {
    return this.clusters.getCluster(baseUrl);
  }
}

@ApiTags('Broker (v3)')
@Controller('v3/clusters/:cluster_id/brokers')
export class BrokersController {
  constructor(private readonly clusters: ClustersService) {}

  @Get()
  @ApiV3({ summary: 'List Brokers', status: 200, response: brokerDataListSchema, errors: [404] })
  list(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _clusterId: string): BrokerDataList {
    return this.clusters.listBrokers(baseUrl);
  }

  @Get(':broker_id')
  @ApiV3({ summary: 'Get Broker', status: 200, response: brokerDataSchema })
  get(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('broker_id', brokerIdParam) brokerId: number,
  ): BrokerData {
    return this.clusters.getBroker(baseUrl, brokerId);
  }

  @Get(':broker_id/partition-replicas')
  @ApiV3({ summary: 'Search Replicas by Broker: every partition replica the broker holds', status: 200, response: replicaDataListSchema })
  replicas(
    @BaseUrl() baseUrl: string,
    @Param('cluster_id', ClusterIdPipe) _clusterId: string,
    @Param('broker_id', brokerIdParam) brokerId: number,
  ): ReplicaDataList {
    return this.clusters.listBrokerReplicas(baseUrl, brokerId);
  }
}
