import { Inject, Injectable } from '@nestjs/common';
import type { BrokerApi } from '@weir/broker-core';
import type { ClusterData, ClusterDataList, ClusterHealthData } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { V3Urls } from '../common/urls.js';
import { toClusterData, toClusterDataList, toClusterHealthData } from '../mappers/cluster.mapper.js';

/** The one cluster this gateway's brokers belong to, and (Weir) its health. */
@Injectable()
export class ClustersService {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  listClusters(baseUrl: string): ClusterDataList {
    return toClusterDataList(this.urls(baseUrl), this.broker.describeCluster());
  }

  getCluster(baseUrl: string): ClusterData {
    return toClusterData(this.urls(baseUrl), this.broker.describeCluster());
  }

  getHealth(baseUrl: string): ClusterHealthData {
    return toClusterHealthData(this.urls(baseUrl), this.broker.clusterHealth());
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.broker.clusterId);
  }
}
