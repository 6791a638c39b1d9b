/**
 * Self and related links of v3 resources, absolute as Confluent's (built from the
 * request's scheme and Host header, so they work behind whatever name the client used),
 * and their CRN resource names (`crn:///kafka=<cluster>/topic=<topic>/partition=<p>`).
 */
export class V3Urls {
  readonly clusters: string;
  readonly cluster: string;
  private readonly crnBase: string;

  constructor(
    baseUrl: string,
    readonly clusterId: string,
  ) {
    this.clusters = `${baseUrl}/v3/clusters`;
    this.cluster = `${this.clusters}/${enc(clusterId)}`;
    this.crnBase = `crn:///kafka=${clusterId}`;
  }

  brokers(): string {
    return `${this.cluster}/brokers`;
  }
  broker(brokerId: number): string {
    return `${this.cluster}/brokers/${brokerId}`;
  }
  brokerConfigs(brokerId: number): string {
    return `${this.broker(brokerId)}/configs`;
  }
  brokerPartitionReplicas(brokerId: number): string {
    return `${this.broker(brokerId)}/partition-replicas`;
  }
  /** Weir: start, stop (as a crash) or controlled-shutdown of a broker hosted by this gateway. */
  brokerAction(brokerId: number, action: 'start' | 'stop' | 'controlled-shutdown'): string {
    return `${this.broker(brokerId)}/${action}`;
  }
  /** Weir: the cluster's health counts. */
  health(): string {
    return `${this.cluster}/health`;
  }
  clusterBrokerConfigs(): string {
    return `${this.cluster}/broker-configs`;
  }
  acls(): string {
    return `${this.cluster}/acls`;
  }
  consumerGroups(): string {
    return `${this.cluster}/consumer-groups`;
  }
  consumerGroup(groupId: string): string {
    return `${this.consumerGroups()}/${enc(groupId)}`;
  }
  consumers(groupId: string): string {
    return `${this.consumerGroup(groupId)}/consumers`;
  }
  consumer(groupId: string, consumerId: string): string {
    return `${this.consumers(groupId)}/${enc(consumerId)}`;
  }
  consumerAssignments(groupId: string, consumerId: string): string {
    return `${this.consumer(groupId, consumerId)}/assignments`;
  }
  consumerAssignment(groupId: string, consumerId: string, topic: string, partition: number): string {
    return `${this.consumerAssignments(groupId, consumerId)}/${enc(topic)}/partitions/${partition}`;
  }
  consumerLags(groupId: string): string {
    return `${this.consumerGroup(groupId)}/lags`;
  }
  consumerLag(groupId: string, topic: string, partition: number): string {
    return `${this.consumerLags(groupId)}/${enc(topic)}/partitions/${partition}`;
  }
  consumerLagSummary(groupId: string): string {
    return `${this.consumerGroup(groupId)}/lag-summary`;
  }
  /** Weir: the group's sampled lag, for charts. */
  consumerLagHistory(groupId: string): string {
    return `${this.consumerGroup(groupId)}/lag-history`;
  }
  /** Weir: offset resets (dry run or applied). */
  offsetsReset(groupId: string): string {
    return `${this.consumerGroup(groupId)}/offsets:reset`;
  }
  allReassignments(): string {
    return `${this.cluster}/topics/-/partitions/-/reassignment`;
  }
  topics(): string {
    return `${this.cluster}/topics`;
  }
  topic(topic: string): string {
    return `${this.topics()}/${enc(topic)}`;
  }
  topicConfigs(topic: string): string {
    return `${this.topic(topic)}/configs`;
  }
  topicConfig(topic: string, name: string): string {
    return `${this.topicConfigs(topic)}/${enc(name)}`;
  }
  partitions(topic: string): string {
    return `${this.topic(topic)}/partitions`;
  }
  topicReassignments(topic: string): string {
    return `${this.partitions(topic)}/-/reassignment`;
  }
  partition(topic: string, partition: number): string {
    return `${this.partitions(topic)}/${partition}`;
  }
  reassignment(topic: string, partition: number): string {
    return `${this.partition(topic, partition)}/reassignment`;
  }
  /** Weir: leader election of every partition (no topic), a topic's partitions, or one partition. */
  leaderElection(topic?: string, partition?: number): string {
    if (topic === undefined) return `${this.topics()}/-/partitions/-/leader-election`;
    return partition === undefined ? `${this.partitions(topic)}/-/leader-election` : `${this.partition(topic, partition)}/leader-election`;
  }
  replicas(topic: string, partition: number): string {
    return `${this.partition(topic, partition)}/replicas`;
  }
  replica(topic: string, partition: number, brokerId: number): string {
    return `${this.replicas(topic, partition)}/${brokerId}`;
  }

  crnCluster(): string {
    return this.crnBase;
  }
  crnBroker(brokerId: number): string {
    return `${this.crnBase}/broker=${brokerId}`;
  }
  crnTopic(topic: string): string {
    return `${this.crnBase}/topic=${topic}`;
  }
  crnTopicConfig(topic: string, name: string): string {
    return `${this.crnTopic(topic)}/config=${name}`;
  }
  crnPartition(topic: string, partition: number): string {
    return `${this.crnTopic(topic)}/partition=${partition}`;
  }
  crnReassignment(topic: string, partition: number): string {
    return `${this.crnPartition(topic, partition)}/reassignment`;
  }
  crnConsumerGroup(groupId: string): string {
    return `${this.crnBase}/consumer-group=${groupId}`;
  }
  crnConsumer(groupId: string, consumerId: string): string {
    return `${this.crnConsumerGroup(groupId)}/consumer=${consumerId}`;
  }
  crnConsumerAssignment(groupId: string, consumerId: string, topic: string, partition: number): string {
    return `${this.crnConsumer(groupId, consumerId)}/assignment=${topic}/partition=${partition}`;
  }
  crnConsumerLag(groupId: string, topic: string, partition: number): string {
    return `${this.crnConsumerGroup(groupId)}/lag=${topic}/partition=${partition}`;
  }
  crnHealth(): string {
    return `${this.crnBase}/health`;
  }
  crnReplica(topic: string, partition: number, brokerId: number): string {
    return `${this.crnPartition(topic, partition)}/replica=${brokerId}`;
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
