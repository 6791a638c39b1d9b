import type { StorageLogger } from '../log/logger.js';
import type { Registry } from '../registry/registry.js';
import type { Time } from '../time.js';
import type { Timer } from '../timer/system-timer.js';

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
};

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
}

export function resolveDefaults(overrides: Partial<BrokerDefaults> = {}): BrokerDefaults {
  const defaults = { ...DEFAULT_BROKER_DEFAULTS, ...overrides };
  for (const [name, value] of Object.entries(defaults)) {
    if (typeof value === 'number' && !(Number.isSafeInteger(value) && (value > 0 || name === 'leaderImbalancePerBrokerPercentage'))) {
      throw new RangeError(`broker default ${name} must be a positive integer, got ${value}`);
    }
  }
  return defaults;
}
