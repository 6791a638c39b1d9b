import type { BrokerEndpointInfo, NewTopic } from '../broker/broker-api.js';
import type { BrokerDefaults, BrokerLogger } from '../broker/broker-options.js';
import type { TopicTable } from '../broker/topic-table.js';
import { isKafkaError, KAFKA_ERRORS } from '../errors.js';
import { CONSUMER_OFFSETS_TOPIC } from './consumer-offsets-record.js';
import { coordinatorNotFound, type CoordinatorLookup } from './group-results.js';
import { partitionForGroup } from './partition-for-group.js';

export interface OffsetsTopicContext {
  readonly table: TopicTable;
  readonly defaults: BrokerDefaults;
  readonly logger: BrokerLogger;
  /** Registered brokers with their endpoints. */
  readonly liveBrokers: () => readonly BrokerEndpointInfo[];
  /** The broker's topic creation (validated, one registry multi, the local table refreshed). */
  readonly createTopic: (topic: NewTopic) => Promise<unknown>;
}

/**
 * The `__consumer_offsets` topic as the coordinator sees it: which partition holds a
 * group, who leads it (the group's coordinator), and its creation on first need, as
 * Kafka's FindCoordinator does: offsets.topic.num.partitions partitions,
 * min(offsets.topic.replication.factor, live brokers) replicas, cleanup.policy=compact,
 * offsets.topic.segment.bytes, compression.type=producer.
 *
 * Once the topic exists its partition count is what counts (the configured one only
 * until then), since every group's partition follows from it.
 */
export class OffsetsTopic {
  private creating: Promise<void> | undefined;

  constructor(private readonly ctx: OffsetsTopicContext) {}

  get partitionCount(): number {
    return this.ctx.table.get(CONSUMER_OFFSETS_TOPIC)?.partitions.length || this.ctx.defaults.offsetsTopicNumPartitions;
  }

  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.partitionCount);
  }

  /**
   * FindCoordinator for a group: the leader of the group's partition, creating the topic
   * first if it does not exist. COORDINATOR_NOT_AVAILABLE while the topic cannot be
   * created or the partition has no live leader (the client asks again).
   */
  async findCoordinator(groupId: string): Promise<CoordinatorLookup> {
    if (this.ctx.table.get(CONSUMER_OFFSETS_TOPIC) === undefined) {
      this.creating ??= this.create().finally(() => (this.creating = undefined));
      await this.creating;
    }
    const topic = this.ctx.table.get(CONSUMER_OFFSETS_TOPIC);
    const unavailable = coordinatorNotFound(KAFKA_ERRORS.COORDINATOR_NOT_AVAILABLE.code, 'The coordinator is not available.');
    if (topic === undefined) return unavailable;
    const leader = topic.partitions[partitionForGroup(groupId, topic.partitions.length)]?.leader ?? -1;
    const endpoint = leader < 0 ? undefined : this.ctx.liveBrokers().find((b) => b.brokerId === leader);
    if (endpoint === undefined) return unavailable;
    return { errorCode: 0, errorMessage: null, nodeId: endpoint.brokerId, host: endpoint.host, port: endpoint.port };
  }

  private async create(): Promise<void> {
    const { defaults, logger } = this.ctx;
    const live = this.ctx.liveBrokers().length;
    const replicationFactor = Math.min(defaults.offsetsTopicReplicationFactor, live);
    if (replicationFactor < 1) return;
    if (replicationFactor < defaults.offsetsTopicReplicationFactor) {
      logger.warn(`creating ${CONSUMER_OFFSETS_TOPIC} with replication factor ${replicationFactor}: only ${live} broker(s) are live (offsets.topic.replication.factor=${defaults.offsetsTopicReplicationFactor})`);
    }
    try {
      await this.ctx.createTopic({
        name: CONSUMER_OFFSETS_TOPIC,
        partitions: defaults.offsetsTopicNumPartitions,
        replicationFactor,
        configs: { 'cleanup.policy': 'compact', 'segment.bytes': String(defaults.offsetsTopicSegmentBytes), 'compression.type': 'producer' },
      });
      logger.info(`created ${CONSUMER_OFFSETS_TOPIC} with ${defaults.offsetsTopicNumPartitions} partitions and replication factor ${replicationFactor}`);
    } catch (err) {
      // Another broker created it first: this broker's table learns of it through its registry watch.
      if (!isKafkaError(err, 'TOPIC_ALREADY_EXISTS')) logger.error(`creating ${CONSUMER_OFFSETS_TOPIC} failed`, err);
    }
  }
}
