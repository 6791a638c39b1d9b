import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type ClusterData,
  type ClusterDataList,
  clusterDataListSchema,
  clusterDataSchema,
  type ClusterHealthData,
  clusterHealthDataSchema,
} from '@weir/contracts';
import { ApiV3 } from '../common/openapi.js';
import { ClusterIdPipe } from '../common/params.js';
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

  @Get(':cluster_id/health')
  @ApiV3({
    summary: 'Get Cluster Health (Weir extension)',
    description: 'Brokers online and offline, the controller, and partitions under-replicated, under min.insync.replicas and offline, as Kafka\'s controller counts them.',
    status: 200,
    response: clusterHealthDataSchema,
    errors: [404, 503],
  })
  health(@BaseUrl() baseUrl: string, @Param('cluster_id', ClusterIdPipe) _clusterId: string): ClusterHealthData {
    return this.clusters.getHealth(baseUrl);
  }
}
