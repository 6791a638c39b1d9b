import type {
  CommittedOffset, ConsumerGroupInfo, ConsumerGroupSummary, PartitionOutcome, TopicPartitionOffset,
} from '../broker/broker-api.js';
import type { Broker } from '../broker/broker.js';
import { KafkaError, kafkaErrorName } from '../errors.js';
import { COORDINATOR_KEY_TYPE } from '../group/group-coordinator.js';
import type { HostedBrokers } from './local-cluster-brokers.js';

/**
 * A LocalCluster's consumer-group calls: each goes to the hosted broker coordinating the
 * group (the leader of its __consumer_offsets partition, as FindCoordinator answers it,
 * which creates the topic on first use as Kafka does). A group coordinated by a broker of
 * another process is refused with NOT_COORDINATOR naming that broker: forwarding over the
 * Kafka protocol (FindCoordinator, DescribeGroups, OffsetFetch, OffsetCommit) is not built
 * yet. Listing asks every hosted running broker for the groups it coordinates, so groups of
 * other processes' brokers are not listed. Lags and resets run over the LocalCluster itself
 * (group/lag.ts, group/offset-reset.ts), so their offsets come from every partition's leader.
 */
export class ClusterGroups {
  constructor(private readonly brokers: HostedBrokers) {}

  async list(): Promise<ConsumerGroupSummary[]> {
    const listed = await Promise.all(this.brokers.running().map((b) => b.listConsumerGroups()));
    return listed.flat().sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  async describe(groupId: string): Promise<ConsumerGroupInfo> {
    return (await this.coordinatorOf(groupId)).describeConsumerGroup(groupId);
  }

  async fetchOffsets(groupId: string): Promise<CommittedOffset[]> {
    return (await this.coordinatorOf(groupId)).fetchConsumerGroupOffsets(groupId);
  }

  async commit(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<PartitionOutcome[]> {
    return (await this.coordinatorOf(groupId)).commitConsumerGroupOffsets(groupId, offsets);
  }

  async delete(groupId: string): Promise<void> {
    return (await this.coordinatorOf(groupId)).deleteConsumerGroup(groupId);
  }

  /** The hosted broker coordinating the group; throws the lookup's error, or NOT_COORDINATOR for another process's broker. */
  private async coordinatorOf(groupId: string): Promise<Broker> {
    const lookup = await this.brokers.admin().groups.findCoordinator(groupId, COORDINATOR_KEY_TYPE.GROUP);
    if (lookup.errorCode !== 0) {
      const name = kafkaErrorName(lookup.errorCode);
      throw new KafkaError(name === undefined || name === 'NONE' ? 'UNKNOWN_SERVER_ERROR' : name, lookup.errorMessage ?? `finding the coordinator of group '${groupId}' failed.`);
    }
    const coordinator = this.brokers.runningById().get(lookup.nodeId);
    if (coordinator === undefined) {
      throw new KafkaError('NOT_COORDINATOR', `Group '${groupId}' is coordinated by broker ${lookup.nodeId}, which runs in another process; use that process's gateway.`);
    }
    return coordinator;
  }
}
