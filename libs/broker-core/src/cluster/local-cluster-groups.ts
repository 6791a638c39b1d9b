import type {
  CommittedOffset, ConsumerGroupInfo, ConsumerGroupSummary, PartitionOutcome, TopicPartitionOffset,
} from '../broker/broker-api.js';
import type { Broker } from '../broker/broker.js';
import { KafkaError, kafkaErrorName } from '../errors.js';
import { COORDINATOR_KEY_TYPE } from '../group/group-coordinator.js';
import type { HostedBrokers } from './local-cluster-brokers.js';
import type { RemoteGroups } from './local-cluster-groups-remote.js';

/** The group's coordinator: a hosted broker, or the id of a broker of another process. */
type Coordinator = { readonly hosted: Broker } | { readonly remote: number };

/**
 * A LocalCluster's consumer-group calls: each goes to the broker coordinating the group
 * (the leader of its __consumer_offsets partition, as FindCoordinator answers it, which
 * creates the topic on first use as Kafka does): a hosted broker directly, a broker of
 * another process over the Kafka protocol (local-cluster-groups-remote.ts). Listing asks
 * every hosted running broker and every other registered one for the groups it
 * coordinates. Lags and resets run over the LocalCluster itself (group/lag.ts,
 * group/offset-reset.ts), so their offsets come from every partition's leader.
 */
export class ClusterGroups {
  constructor(
    private readonly brokers: HostedBrokers,
    private readonly remote: RemoteGroups,
  ) {}

  async list(): Promise<ConsumerGroupSummary[]> {
    const running = this.brokers.running();
    const hostedIds = new Set(running.map((b) => b.brokerId));
    const others = running.length === 0 ? [] : this.brokers.admin().describeBrokers()
      .filter((b) => b.status !== 'offline' && !hostedIds.has(b.brokerId)).map((b) => b.brokerId);
    const listed = await Promise.all([...running.map((b) => b.listConsumerGroups()), this.remote.list(others)]);
    return listed.flat().sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  async describe(groupId: string): Promise<ConsumerGroupInfo> {
    const c = await this.coordinatorOf(groupId);
    return 'hosted' in c ? c.hosted.describeConsumerGroup(groupId) : this.remote.describe(c.remote, groupId);
  }

  async fetchOffsets(groupId: string): Promise<CommittedOffset[]> {
    const c = await this.coordinatorOf(groupId);
    return 'hosted' in c ? c.hosted.fetchConsumerGroupOffsets(groupId) : this.remote.fetchOffsets(c.remote, groupId);
  }

  async commit(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<PartitionOutcome[]> {
    const c = await this.coordinatorOf(groupId);
    return 'hosted' in c ? c.hosted.commitConsumerGroupOffsets(groupId, offsets) : this.remote.commit(c.remote, groupId, offsets);
  }

  async delete(groupId: string): Promise<void> {
    const c = await this.coordinatorOf(groupId);
    return 'hosted' in c ? c.hosted.deleteConsumerGroup(groupId) : this.remote.delete(c.remote, groupId);
  }

  /**
   * The coordinator of a group a member run by this process (a REST v2 consumer) belongs
   * to: only a hosted broker, since the member's calls are the coordinator's own (the
   * remote path forwards admin calls only). Otherwise NOT_COORDINATOR naming the broker.
   */
  async memberCoordinator(groupId: string): Promise<Broker> {
    const c = await this.coordinatorOf(groupId);
    if ('hosted' in c) return c.hosted;
    throw new KafkaError('NOT_COORDINATOR', `group '${groupId}' is coordinated by broker ${c.remote}, which this process does not host; `
      + `use a consumer of a gateway hosting broker ${c.remote} (or a Kafka client) for this group.`);
  }

  /** Where the group is coordinated; throws the lookup's error (COORDINATOR_NOT_AVAILABLE while its partition has no leader). */
  private async coordinatorOf(groupId: string): Promise<Coordinator> {
    const lookup = await this.brokers.admin().groups.findCoordinator(groupId, COORDINATOR_KEY_TYPE.GROUP);
    if (lookup.errorCode !== 0) {
      const name = kafkaErrorName(lookup.errorCode);
      throw new KafkaError(name === undefined || name === 'NONE' ? 'UNKNOWN_SERVER_ERROR' : name, lookup.errorMessage ?? `finding the coordinator of group '${groupId}' failed.`);
    }
    const hosted = this.brokers.runningById().get(lookup.nodeId);
    return hosted === undefined ? { remote: lookup.nodeId } : { hosted };
  }
}
