import { Inject, Injectable } from '@nestjs/common';
import type { BrokerApi, BrokerEndpointInfo } from '@weir/broker-core';
import type { BrokerData, BrokerDataList, ClusterData, ClusterDataList, ReplicaDataList } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { V3Urls } from '../common/urls.js';
import { toBrokerData, toBrokerDataList, toClusterData, toClusterDataList } from '../mappers/cluster.mapper.js';
import { toBrokerReplicaDataList } from '../mappers/topic.mapper.js';

/** Clusters and brokers: one cluster (the one this broker belongs to) and its live brokers. */
@Injectable()
export class ClustersService {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  listClusters(baseUrl: string): ClusterDataList {
    return toClusterDataList(this.urls(baseUrl), this.broker.describeCluster());
  }

  getCluster(baseUrl: string): ClusterData {
    return toClusterData(this.urls(baseUrl), this.broker.describeCluster());
  }

  listBrokers(baseUrl: string): BrokerDataList {
    return toBrokerDataList(this.urls(baseUrl), this.broker.describeCluster().brokers);
  }

  getBroker(baseUrl: string, brokerId: number): BrokerData {
    return toBrokerData(this.urls(baseUrl), this.requireBroker(brokerId));
  }

  listBrokerReplicas(baseUrl: string, brokerId: number): ReplicaDataList {
    this.requireBroker(brokerId);
    return toBrokerReplicaDataList(this.urls(baseUrl), brokerId, this.broker.listTopics({ includeInternal: true }));
  }

  private requireBroker(brokerId: number): BrokerEndpointInfo {
    const found = this.broker.describeCluster().brokers.find((b) => b.brokerId === brokerId);
    if (found === undefined) throw RestError.notFound(`Broker ${brokerId} cannot be found.`);
    return found;
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.broker.clusterId);
  }
}
