import { hostname } from 'node:os';
import type { BrokerDefaults } from '@weir/broker-core';
import { z } from 'zod';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The gateway's settings, read once from the environment at start-up. A bad value
 * stops the process with a message naming the variable; nothing silently defaults
 * except the documented embedded defaults below.
 */
const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().min(1).max(2_147_483_647);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
/** Enough for a laptop cluster; each broker is a full broker with its own listener and logs. */
export const MAX_BROKERS_PER_PROCESS = 16;

const schema = z.object({
  WEIR_HOST: z.string().min(1).default('127.0.0.1'),
  WEIR_REST_PORT: port.default(8082),
  WEIR_DATA_DIR: z.string().min(1).default('./data'),
  WEIR_LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  WEIR_BROKER_ID: z.coerce.number().int().min(0).max(2_147_483_647).default(1),
  WEIR_KAFKA_PORT: port.default(9092),
  WEIR_ADVERTISED_HOST: z.string().min(1).optional(),
  WEIR_SOCKET_REQUEST_MAX_BYTES: z.coerce.number().int().min(1024).max(2_147_483_647).default(104_857_600),
  WEIR_CONSUMER_INSTANCE_TIMEOUT_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
  WEIR_BROKERS: z.coerce.number().int().min(1).max(MAX_BROKERS_PER_PROCESS).default(1),
  WEIR_RACK: z.string().min(1).optional(),
  // Kafka's broker settings; unset means Kafka's default (see BrokerDefaults).
  WEIR_SESSION_TIMEOUT_MS: positiveMs.optional(),
  WEIR_REPLICA_LAG_TIME_MAX_MS: positiveMs.optional(),
  WEIR_DEFAULT_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(32_767).optional(),
  WEIR_NUM_PARTITIONS: z.coerce.number().int().min(1).max(100_000).optional(),
  WEIR_AUTO_LEADER_REBALANCE_ENABLE: flag.optional(),
  WEIR_LEADER_IMBALANCE_CHECK_INTERVAL_MS: positiveMs.optional(),
  WEIR_CONTROLLED_SHUTDOWN_ENABLE: flag.optional(),
  // group.initial.rebalance.delay.ms: 0 is allowed (tests, single-consumer setups).
  WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  WEIR_PRODUCER_ID_EXPIRATION_MS: positiveMs.optional(),
  WEIR_TRANSACTION_STATE_LOG_NUM_PARTITIONS: z.coerce.number().int().min(1).max(10_000).optional(),
  WEIR_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(32_767).optional(),
  WEIR_TRANSACTION_MAX_TIMEOUT_MS: positiveMs.optional(),
  WEIR_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS: positiveMs.optional(),
  WEIR_TRANSACTIONAL_ID_EXPIRATION_MS: positiveMs.optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
}).superRefine((e, ctx) => {
  if (e.WEIR_KAFKA_PORT !== 0 && e.WEIR_KAFKA_PORT + e.WEIR_BROKERS - 1 > 65535) {
    ctx.addIssue({ code: 'custom', path: ['WEIR_KAFKA_PORT'], message: `with WEIR_BROKERS=${e.WEIR_BROKERS} the Kafka ports run past 65535` });
  }
  if (e.WEIR_BROKER_ID + e.WEIR_BROKERS - 1 > 2_147_483_647) {
    ctx.addIssue({ code: 'custom', path: ['WEIR_BROKER_ID'], message: `with WEIR_BROKERS=${e.WEIR_BROKERS} the broker ids run past 2147483647` });
  }
});

export type GatewayConfig = {
  host: string;
  restPort: number;
  dataDir: string;
  logLevel: z.infer<typeof schema>['WEIR_LOG_LEVEL'];
  /** A shared PostgreSQL for the registry; undefined means embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  /** The brokers this process hosts: WEIR_BROKER_ID .. WEIR_BROKER_ID + WEIR_BROKERS - 1. */
  brokerIds: number[];
  /** One Kafka listener port per broker: WEIR_KAFKA_PORT + i, or all 0 (any free one) when it is 0. */
  kafkaPorts: number[];
  /** broker.rack of every hosted broker. */
  rack: string | undefined;
  /** Kafka broker settings given in the environment; the rest keep Kafka's defaults. */
  brokerDefaults: Partial<BrokerDefaults>;
  /**
   * The host clients are told to connect to (Metadata, the broker registration): the
   * listen address unless that is a wildcard, then this machine's hostname.
   */
  advertisedHost: string;
  /** Kafka's socket.request.max.bytes: larger request frames close the connection. */
  socketRequestMaxBytes: number;
  /** Confluent's consumer.instance.timeout.ms: a v2 consumer instance idle this long is closed. */
  consumerInstanceTimeoutMs: number;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    host: e.WEIR_HOST,
    restPort: e.WEIR_REST_PORT,
    dataDir: e.WEIR_DATA_DIR,
    logLevel: e.WEIR_LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    brokerIds: Array.from({ length: e.WEIR_BROKERS }, (_, i) => e.WEIR_BROKER_ID + i),
    kafkaPorts: Array.from({ length: e.WEIR_BROKERS }, (_, i) => (e.WEIR_KAFKA_PORT === 0 ? 0 : e.WEIR_KAFKA_PORT + i)),
    rack: e.WEIR_RACK,
    brokerDefaults: brokerDefaultsOf(e),
    advertisedHost: e.WEIR_ADVERTISED_HOST ?? (WILDCARD_HOSTS.has(e.WEIR_HOST) ? hostname() : e.WEIR_HOST),
    socketRequestMaxBytes: e.WEIR_SOCKET_REQUEST_MAX_BYTES,
    consumerInstanceTimeoutMs: e.WEIR_CONSUMER_INSTANCE_TIMEOUT_MS,
  };
}

function brokerDefaultsOf(e: z.infer<typeof schema>): Partial<BrokerDefaults> {
  const given: Partial<Record<keyof BrokerDefaults, number | boolean | undefined>> = {
    sessionTimeoutMs: e.WEIR_SESSION_TIMEOUT_MS,
    replicaLagTimeMaxMs: e.WEIR_REPLICA_LAG_TIME_MAX_MS,
    defaultReplicationFactor: e.WEIR_DEFAULT_REPLICATION_FACTOR,
    numPartitions: e.WEIR_NUM_PARTITIONS,
    autoLeaderRebalanceEnable: e.WEIR_AUTO_LEADER_REBALANCE_ENABLE,
    leaderImbalanceCheckIntervalMs: e.WEIR_LEADER_IMBALANCE_CHECK_INTERVAL_MS,
    controlledShutdownEnable: e.WEIR_CONTROLLED_SHUTDOWN_ENABLE,
    groupInitialRebalanceDelayMs: e.WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS,
    producerIdExpirationMs: e.WEIR_PRODUCER_ID_EXPIRATION_MS,
    transactionStateLogNumPartitions: e.WEIR_TRANSACTION_STATE_LOG_NUM_PARTITIONS,
    transactionStateLogReplicationFactor: e.WEIR_TRANSACTION_STATE_LOG_REPLICATION_FACTOR,
    transactionMaxTimeoutMs: e.WEIR_TRANSACTION_MAX_TIMEOUT_MS,
    transactionAbortTimedOutTransactionCleanupIntervalMs: e.WEIR_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS,
    transactionalIdExpirationMs: e.WEIR_TRANSACTIONAL_ID_EXPIRATION_MS,
  };
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<BrokerDefaults>;
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
