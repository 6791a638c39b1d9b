import type { BrokerEndpointInfo, NewTopic } from '../broker/broker-api.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import type { TopicTable } from '../broker/topic-table.js';
import { isKafkaError, KAFKA_ERRORS } from '../errors.js';
import { coordinatorNotFound, type CoordinatorLookup } from '../group/group-results.js';
import { partitionForGroup } from '../group/partition-for-group.js';
import type { TransactionDefaults } from './transaction-defaults.js';
import { TRANSACTION_STATE_TOPIC } from './transaction-log-record.js';

export interface TransactionTopicContext {
  readonly table: TopicTable;
  readonly settings: TransactionDefaults;
  readonly logger: BrokerLogger;
  readonly liveBrokers: () => readonly BrokerEndpointInfo[];
  readonly createTopic: (topic: NewTopic) => Promise<unknown>;
}

/**
 * Which `__transaction_state` partition holds a transactional id, exactly as Kafka computes
 * it (TransactionStateManager.partitionFor): `Utils.abs(transactionalId.hashCode) %
 * partitions`, the same formula as a group's offsets partition.
 */
export function partitionForTransactionalId(transactionalId: string, partitionCount: number): number {
  return partitionForGroup(transactionalId, partitionCount);
}

/**
 * The `__transaction_state` topic as the transaction coordinator sees it: the partition of
 * an id, its leader (the id's coordinator), and the topic's creation on the first
 * FindCoordinator of key type 1, as Kafka does: transaction.state.log.num.partitions
 * partitions, min(transaction.state.log.replication.factor, live brokers) replicas,
 * min.insync.replicas min(transaction.state.log.min.isr, replicas), cleanup.policy=compact,
 * transaction.state.log.segment.bytes, compression.type=producer. Once the topic exists its
 * partition count is the one that counts.
 */
export class TransactionTopic {
  private creating: Promise<void> | undefined;

  constructor(private readonly ctx: TransactionTopicContext) {}

  get partitionCount(): number {
    return this.ctx.table.get(TRANSACTION_STATE_TOPIC)?.partitions.length || this.ctx.settings.transactionStateLogNumPartitions;
  }

  partitionFor(transactionalId: string): number {
    return partitionForTransactionalId(transactionalId, this.partitionCount);
  }

  /** The leader of the id's partition, creating the topic first; COORDINATOR_NOT_AVAILABLE until one is live. */
  async findCoordinator(transactionalId: string): Promise<CoordinatorLookup> {
    if (this.ctx.table.get(TRANSACTION_STATE_TOPIC) === undefined) {
      this.creating ??= this.create().finally(() => (this.creating = undefined));
      await this.creating;
    }
    const topic = this.ctx.table.get(TRANSACTION_STATE_TOPIC);
    const unavailable = coordinatorNotFound(KAFKA_ERRORS.COORDINATOR_NOT_AVAILABLE.code, 'The coordinator is not available.');
    if (topic === undefined) return unavailable;
    const leader = topic.partitions[partitionForTransactionalId(transactionalId, topic.partitions.length)]?.leader ?? -1;
    const endpoint = leader < 0 ? undefined : this.ctx.liveBrokers().find((b) => b.brokerId === leader);
    if (endpoint === undefined) return unavailable;
    return { errorCode: 0, errorMessage: null, nodeId: endpoint.brokerId, host: endpoint.host, port: endpoint.port };
  }

  private async create(): Promise<void> {
    const { settings, logger } = this.ctx;
    const live = this.ctx.liveBrokers().length;
    const wanted = settings.transactionStateLogReplicationFactor;
    const replicationFactor = Math.min(wanted, live);
    if (replicationFactor < 1) return;
    if (replicationFactor < wanted) {
      logger.warn(`creating ${TRANSACTION_STATE_TOPIC} with replication factor ${replicationFactor}: only ${live} broker(s) are live (transaction.state.log.replication.factor=${wanted})`);
    }
    const partitions = settings.transactionStateLogNumPartitions;
    try {
      await this.ctx.createTopic({
        name: TRANSACTION_STATE_TOPIC, partitions, replicationFactor,
        configs: {
          'cleanup.policy': 'compact', 'compression.type': 'producer', 'segment.bytes': String(settings.transactionStateLogSegmentBytes),
          'min.insync.replicas': String(Math.min(settings.transactionStateLogMinIsr, replicationFactor)),
        },
      });
      logger.info(`created ${TRANSACTION_STATE_TOPIC} with ${partitions} partitions and replication factor ${replicationFactor}`);
    } catch (err) {
      if (!isKafkaError(err, 'TOPIC_ALREADY_EXISTS')) logger.error(`creating ${TRANSACTION_STATE_TOPIC} failed`, err);
    }
  }
}
