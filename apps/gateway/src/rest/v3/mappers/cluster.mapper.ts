import type { BrokerEndpointInfo, ClusterDescription } from '@weir/broker-core';
import type { BrokerData, BrokerDataList, ClusterData, ClusterDataList } from '@weir/contracts';
import type { V3Urls } from '../common/urls.js';

export function toClusterData(urls: V3Urls, cluster: ClusterDescription): ClusterData {
  return {
    kind: 'KafkaCluster',
    metadata: { self: urls.cluster, resource_name: urls.crnCluster() },
    cluster_id: cluster.clusterId,
    // Kafka reports -1 while no controller is elected; Confluent then omits the link.
    ...(cluster.controllerId >= 0 ? { controller: { related: urls.broker(cluster.controllerId) } } : {}),
    acls: { related: urls.acls() },
    brokers: { related: urls.brokers() },
    broker_configs: { related: urls.clusterBrokerConfigs() },
    consumer_groups: { related: urls.consumerGroups() },
    topics: { related: urls.topics() },
    partition_reassignments: { related: urls.allReassignments() },
  };
}

export function toClusterDataList(urls: V3Urls, cluster: ClusterDescription): ClusterDataList {
  return { kind: 'KafkaClusterList', metadata: { self: urls.clusters, next: null }, data: [toClusterData(urls, cluster)] };
}

export function toBrokerData(urls: V3Urls, broker: BrokerEndpointInfo): BrokerData {
  return {
    kind: 'KafkaBroker',
    metadata: { self: urls.broker(broker.brokerId), resource_name: urls.crnBroker(broker.brokerId) },
    cluster_id: urls.clusterId,
    broker_id: broker.brokerId,
    host: broker.host,
    port: broker.port,
    rack: broker.rack,
    configs: { related: urls.brokerConfigs(broker.brokerId) },
    partition_replicas: { related: urls.brokerPartitionReplicas(broker.brokerId) },
  };
}

export function toBrokerDataList(urls: V3Urls, brokers: readonly BrokerEndpointInfo[]): BrokerDataList {
  const sorted = [...brokers].sort((a, b) => a.brokerId - b.brokerId);
  return {
    kind: 'KafkaBrokerList',
    metadata: { self: urls.brokers(), next: null },
    data: sorted.map((broker) => toBrokerData(urls, broker)),
  };
}
