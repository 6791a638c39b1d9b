import type { BrokerStatus, ClusterDescription, ClusterHealth } from '@weir/broker-core';
import type { BrokerData, BrokerDataList, ClusterData, ClusterDataList, ClusterHealthData } from '@weir/contracts';
import type { V3Urls } from '../common/urls.js';

export function toClusterData(urls: V3Urls, cluster: ClusterDescription): ClusterData {
  return {
    kind: 'KafkaCluster',
    metadata: { self: urls.cluster, resource_name: urls.crnCluster() },
    cluster_id: cluster.clusterId,
    health: { related: urls.health() },
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

export function toBrokerData(urls: V3Urls, broker: BrokerStatus, hostedHere: boolean): BrokerData {
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
    status: broker.status,
    is_controller: broker.isController,
    partitions_led: broker.partitionsLed,
    replicas: broker.replicas,
    out_of_sync_replicas: broker.outOfSyncReplicas,
    log_dir_size_bytes: broker.logDirSizeBytes,
    hosted_here: hostedHere,
  };
}

/** Every broker the cluster knows (offline ones too), by id. */
export function toBrokerDataList(urls: V3Urls, brokers: readonly BrokerStatus[], hostedIds: ReadonlySet<number>): BrokerDataList {
  const sorted = [...brokers].sort((a, b) => a.brokerId - b.brokerId);
  return {
    kind: 'KafkaBrokerList',
    metadata: { self: urls.brokers(), next: null },
    data: sorted.map((broker) => toBrokerData(urls, broker, hostedIds.has(broker.brokerId))),
  };
}

export function toClusterHealthData(urls: V3Urls, health: ClusterHealth): ClusterHealthData {
  return {
    kind: 'KafkaClusterHealth',
    metadata: { self: urls.health(), resource_name: urls.crnHealth() },
    cluster_id: urls.clusterId,
    controller_id: health.controllerId >= 0 ? health.controllerId : null,
    controller_epoch: health.controllerEpoch,
    brokers_online: health.brokersOnline,
    brokers_offline: health.brokersOffline,
    partitions_count: health.partitions,
    under_replicated_partitions: health.underReplicated,
    under_min_isr_partitions: health.underMinIsr,
    offline_partitions: health.offline,
  };
}
