import type { StorageLogger } from '../log/logger.js';
import type { Registry } from '../registry/registry.js';
import type { Time } from '../time.js';
import type { Timer } from '../timer/system-timer.js';
import type { AuthorizerSettings } from '../security/authorizer.js';
import type { ClientSecurity } from '../kafka-client/client-security.js';

/** Broker-level settings under Kafka's names, with Kafka's defaults. */
export interface BrokerDefaults {
  /** num.partitions: partitions of a topic created without a count. */
  readonly numPartitions: number;
  /** default.replication.factor */
  readonly defaultReplicationFactor: number;
  /** auto.create.topics.enable: produce() to a missing topic creates it. Kafka's default is true; Weir's is false. */
  readonly autoCreateTopicsEnable: boolean;
  /** log.retention.check.interval.ms: period of the retention pass. */
  readonly logRetentionCheckIntervalMs: number;
  /** zookeeper.session.timeout.ms: lease of the broker's registry session (its registration dies with it). */
  readonly sessionTimeoutMs: number;
  /** How long config change notifications stay under /config/changes (Kafka: 15 minutes). */
  readonly configChangeExpirationMs: number;
  /** replica.lag.time.max.ms: a follower that has not caught up for this long leaves the ISR. */
  readonly replicaLagTimeMaxMs: number;
  /** replica.fetch.wait.max.ms: how long a follower's fetch waits at the leader for data. */
  readonly replicaFetchWaitMaxMs: number;
  /** replica.fetch.max.bytes: per-partition bytes a follower asks for (a larger first batch still comes whole). */
  readonly replicaFetchMaxBytes: number;
  /** replica.fetch.backoff.ms: pause after a follower fetch failed. */
  readonly replicaFetchBackoffMs: number;
  /** replica.high.watermark.checkpoint.interval.ms: how often HWs are written to replication-offset-checkpoint. */
  readonly replicaHighWatermarkCheckpointIntervalMs: number;
  /** auto.leader.rebalance.enable: the controller moves leadership back to preferred replicas. */
  readonly autoLeaderRebalanceEnable: boolean;
  /** leader.imbalance.check.interval.seconds, in ms. */
  readonly leaderImbalanceCheckIntervalMs: number;
  /** leader.imbalance.per.broker.percentage: imbalance above which a broker's partitions are rebalanced. */
  readonly leaderImbalancePerBrokerPercentage: number;
  /** controlled.shutdown.enable: close() first asks the controller to move leadership away. */
  readonly controlledShutdownEnable: boolean;
  /** How long close() waits for the controller to move leadership away before stopping anyway. */
  readonly controlledShutdownTimeoutMs: number;
  // ---- the group coordinator (docs/groups.md) ----
  /** group.min.session.timeout.ms: JoinGroup with a shorter session timeout is INVALID_SESSION_TIMEOUT. */
  readonly groupMinSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  readonly groupMaxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms: how long the first rebalance of an empty group waits for more members (0 allowed). */
  readonly groupInitialRebalanceDelayMs: number;
  /** group.max.size: members a group admits (Kafka's default is Int.MaxValue). */
  readonly groupMaxSize: number;
  /** offsets.topic.num.partitions: partitions of __consumer_offsets, fixed once it exists. */
  readonly offsetsTopicNumPartitions: number;
  /** offsets.topic.replication.factor: __consumer_offsets gets min(this, live brokers) replicas. */
  readonly offsetsTopicReplicationFactor: number;
  /** offsets.topic.segment.bytes */
  readonly offsetsTopicSegmentBytes: number;
  /** offsets.retention.minutes: offsets of a group that became Empty expire this long after. */
  readonly offsetsRetentionMinutes: number;
  /** offsets.retention.check.interval.ms: period of the offset expiration pass. */
  readonly offsetsRetentionCheckIntervalMs: number;
  /** offsets.commit.timeout.ms: how long a commit (or group metadata write) waits for the offsets partition's ISR. */
  readonly offsetsCommitTimeoutMs: number;
  /** offset.metadata.max.bytes: longer commit metadata is OFFSET_METADATA_TOO_LARGE. */
  readonly offsetMetadataMaxBytes: number;
  /** offsets.load.buffer.size: bytes read per slice while loading an offsets partition. */
  readonly offsetsLoadBufferSize: number;
  /** producer.id.expiration.ms: a partition forgets an idle producer (no open transaction) after this long. */
  readonly producerIdExpirationMs: number;
  /** transaction.state.log.num.partitions: partitions of __transaction_state (fixed once it exists). */
  readonly transactionStateLogNumPartitions: number;
  /** transaction.state.log.replication.factor (min(it, live brokers) at creation, as for offsets). */
  readonly transactionStateLogReplicationFactor: number;
  /** transaction.max.timeout.ms: a longer transaction.timeout.ms is INVALID_TRANSACTION_TIMEOUT. */
  readonly transactionMaxTimeoutMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms: period of the timeout check. */
  readonly transactionAbortTimedOutTransactionCleanupIntervalMs: number;
  /** transactional.id.expiration.ms: an idle transactional id is forgotten after this long. */
  readonly transactionalIdExpirationMs: number;
}

export const DEFAULT_BROKER_DEFAULTS: BrokerDefaults = {
  numPartitions: 1,
  defaultReplicationFactor: 1,
  autoCreateTopicsEnable: false,
  logRetentionCheckIntervalMs: 300_000,
  sessionTimeoutMs: 18_000,
  configChangeExpirationMs: 15 * 60_000,
  replicaLagTimeMaxMs: 30_000,
  replicaFetchWaitMaxMs: 500,
  replicaFetchMaxBytes: 1_048_576,
  replicaFetchBackoffMs: 1_000,
  replicaHighWatermarkCheckpointIntervalMs: 5_000,
  autoLeaderRebalanceEnable: true,
  leaderImbalanceCheckIntervalMs: 300_000,
  leaderImbalancePerBrokerPercentage: 10,
  controlledShutdownEnable: true,
  controlledShutdownTimeoutMs: 30_000,
  groupMinSessionTimeoutMs: 6_000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupInitialRebalanceDelayMs: 3_000,
  groupMaxSize: 0x7fffffff,
  offsetsTopicNumPartitions: 50,
  offsetsTopicReplicationFactor: 3,
  offsetsTopicSegmentBytes: 100 * 1024 * 1024,
  offsetsRetentionMinutes: 7 * 24 * 60,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetsCommitTimeoutMs: 5_000,
  offsetMetadataMaxBytes: 4096,
  offsetsLoadBufferSize: 5 * 1024 * 1024,
  producerIdExpirationMs: 86_400_000,
  transactionStateLogNumPartitions: 50,
  transactionStateLogReplicationFactor: 3,
  transactionMaxTimeoutMs: 900_000,
  transactionAbortTimedOutTransactionCleanupIntervalMs: 10_000,
  transactionalIdExpirationMs: 7 * 24 * 3_600_000,
};

/** Settings for which 0 is meaningful (no initial rebalance delay); the rest must be positive. */
const ZERO_ALLOWED: ReadonlySet<string> = new Set(['groupInitialRebalanceDelayMs']);

export type BrokerLogger = StorageLogger;

export interface BrokerOptions {
  readonly brokerId: number;
  /** Partition logs live under `<dataDir>/logs/<topic>-<partition>`. */
  readonly dataDir: string;
  /** Owned by the caller: the broker never closes it. */
  readonly registry: Registry;
  /** Owned by the caller: drives long-polls, heartbeats, retention, flush.ms. */
  readonly timer: Timer;
  readonly time?: Time;
  readonly logger?: BrokerLogger;
  readonly advertisedHost: string;
  readonly advertisedPort: number;
  readonly rack?: string;
  readonly defaults?: Partial<BrokerDefaults>;
  /** Super users and the no-ACL default for the ACL authorizer. */
  readonly authorizer?: AuthorizerSettings;
  /** How this broker's replica fetchers and transaction markers reach brokers of other processes (security.inter.broker.protocol); plaintext when absent. */
  readonly interBrokerSecurity?: ClientSecurity;
}

export function resolveDefaults(overrides: Partial<BrokerDefaults> = {}): BrokerDefaults {
  const defaults = { ...DEFAULT_BROKER_DEFAULTS, ...overrides };
  for (const [name, value] of Object.entries(defaults)) {
    if (typeof value === 'number' && !(Number.isSafeInteger(value) && (value > 0 || name === 'leaderImbalancePerBrokerPercentage' || (value === 0 && ZERO_ALLOWED.has(name))))) {
      throw new RangeError(`broker default ${name} must be a positive integer, got ${value}`);
    }
  }
  return defaults;
}
