import type { TopicPartitionRef, TransactionDescription, TransactionFilter, TransactionListing, TransactionState } from '../broker/broker-api.js';
import type { Broker } from '../broker/broker.js';
import { KafkaError, kafkaErrorName } from '../errors.js';
import { throwCode } from '../group/group-admin.js';
import type { ProducerStateInfo } from '../log/partition/types.js';
import { API_KEYS } from '../protocol/api-keys.js';
import type { DescribeTransactionsResponseTransactionState } from '../protocol/describeTransactions/index.js';
import type { HostedBrokers } from './local-cluster-brokers.js';
import type { RemoteBrokerCalls } from './remote-broker-calls.js';

const LIST_TRANSACTIONS_VERSION = 0;
const DESCRIBE_TRANSACTIONS_VERSION = 0;
const DESCRIBE_PRODUCERS_VERSION = 0;

/**
 * A LocalCluster's transaction calls. Each id goes to the broker coordinating it (the
 * leader of its __transaction_state partition, as FindCoordinator answers): a hosted broker
 * directly, a broker of another process with Kafka's admin APIs (DescribeTransactions,
 * ListTransactions). Listing asks every hosted running broker and every other registered
 * one. An admin abort has no Kafka API, so it is served for ids coordinated here only
 * (NOT_COORDINATOR naming the broker otherwise), as member calls of groups are.
 */
export class ClusterTransactions {
  constructor(
    private readonly brokers: HostedBrokers,
    private readonly remote: RemoteBrokerCalls,
  ) {}

  async list(filter: TransactionFilter = {}): Promise<TransactionListing[]> {
    const running = this.brokers.running();
    const hostedIds = new Set(running.map((b) => b.brokerId));
    const others = running.length === 0 ? [] : this.brokers.admin().describeBrokers()
      .filter((b) => b.status !== 'offline' && !hostedIds.has(b.brokerId)).map((b) => b.brokerId);
    const listed = await Promise.all([...running.map((b) => b.listTransactions(filter)), ...others.map((id) => this.listRemote(id, filter))]);
    return listed.flat().sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0));
  }

  async describe(transactionalId: string): Promise<TransactionDescription> {
    const c = await this.coordinatorOf(transactionalId);
    return typeof c === 'number' ? this.describeRemote(c, transactionalId) : c.describeTransaction(transactionalId);
  }

  async abort(transactionalId: string): Promise<TransactionDescription> {
    const c = await this.coordinatorOf(transactionalId);
    if (typeof c !== 'number') return c.abortTransaction(transactionalId);
    throw new KafkaError('NOT_COORDINATOR', `transactional id '${transactionalId}' is coordinated by broker ${c}, which this process does not host; `
      + `abort it through a gateway hosting broker ${c}.`);
  }

  /** DescribeProducers on the leader of a partition in another process. */
  async describeRemoteProducers(topic: string, partition: number): Promise<ProducerStateInfo[]> {
    const leader = this.brokers.admin().describeTopic(topic).partitions[partition]?.leader ?? -1;
    if (leader < 0) throw new KafkaError('NOT_LEADER_OR_FOLLOWER', `${topic}-${partition} has no leader`);
    const response = await this.remote.call(leader, 'describing producers', (c) => c.send(API_KEYS.DescribeProducers, DESCRIBE_PRODUCERS_VERSION, {
      topics: [{ name: topic, partitionIndexes: [partition] }],
    }));
    const answer = response.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partitionIndex === partition);
    if (answer === undefined) throw new KafkaError('UNKNOWN_SERVER_ERROR', `broker ${leader} did not describe the producers of ${topic}-${partition}`);
    if (answer.errorCode !== 0) throwCode(answer.errorCode, `describing the producers of ${topic}-${partition} on broker ${leader}`);
    return answer.activeProducers.map((p) => ({ ...p }));
  }

  /** The hosted broker coordinating the id, or the id of the broker of another process that does. */
  private async coordinatorOf(transactionalId: string): Promise<Broker | number> {
    const lookup = await this.brokers.admin().txns.findCoordinator(transactionalId);
    if (lookup.errorCode !== 0) {
      const name = kafkaErrorName(lookup.errorCode);
      throw new KafkaError(name === undefined || name === 'NONE' ? 'UNKNOWN_SERVER_ERROR' : name, lookup.errorMessage ?? `finding the coordinator of '${transactionalId}' failed.`);
    }
    return this.brokers.runningById().get(lookup.nodeId) ?? lookup.nodeId;
  }

  private async listRemote(brokerId: number, filter: TransactionFilter): Promise<TransactionListing[]> {
    const response = await this.remote.call(brokerId, 'listing transactions', (c) => c.send(API_KEYS.ListTransactions, LIST_TRANSACTIONS_VERSION, {
      stateFilters: [...(filter.states ?? [])], producerIdFilters: [...(filter.producerIds ?? [])],
    }));
    if (response.errorCode !== 0) return [];
    return response.transactionStates.map((t) => ({
      transactionalId: t.transactionalId, producerId: t.producerId, state: t.transactionState as TransactionState, coordinatorId: brokerId,
    }));
  }

  private async describeRemote(brokerId: number, transactionalId: string): Promise<TransactionDescription> {
    const response = await this.remote.call(brokerId, 'describing a transaction', (c) => c.send(API_KEYS.DescribeTransactions, DESCRIBE_TRANSACTIONS_VERSION, {
      transactionalIds: [transactionalId],
    }));
    const state = response.transactionStates.find((t) => t.transactionalId === transactionalId);
    if (state === undefined) throw new KafkaError('UNKNOWN_SERVER_ERROR', `broker ${brokerId} did not describe transactional id '${transactionalId}'`);
    if (state.errorCode !== 0) throwCode(state.errorCode, `describing transactional id '${transactionalId}' on broker ${brokerId}`);
    return descriptionOf(state, brokerId);
  }
}

/** DescribeTransactions carries no last-update time: -1 (unknown) for ids described remotely. */
function descriptionOf(t: DescribeTransactionsResponseTransactionState, brokerId: number): TransactionDescription {
  const partitions: TopicPartitionRef[] = t.topics.flatMap((topic) => topic.partitions.map((partition) => ({ topic: topic.topic, partition })));
  return {
    transactionalId: t.transactionalId, producerId: t.producerId, producerEpoch: t.producerEpoch, state: t.transactionState as TransactionState,
    coordinatorId: brokerId, transactionTimeoutMs: t.transactionTimeoutMs, transactionStartTimeMs: Number(t.transactionStartTimeMs), lastUpdateTimeMs: -1, partitions,
  };
}
