import { hostname } from 'node:os';
import type { BrokerDefaults, SaslMechanism, SecurityProtocol } from '@weir/broker-core';
import { parseZooKeeperUrl } from '@weir/registry-zookeeper';
import { z } from 'zod';
import { interBrokerConfigOf, type InterBrokerConfig } from './inter-broker-config.js';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);
const POSTGRESQL_URL = /^postgres(ql)?:\/\//;
const ZOOKEEPER_URL = /^zookeeper:\/\//;

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
  // Security (docs/security.md). Authentication of REST, WebSocket and console is on unless WEIR_AUTH=off.
  WEIR_AUTH: z.enum(['on', 'off']).default('on'),
  /** The console's address, for the one-time login link printed at first start. */
  WEIR_CONSOLE_URL: z.string().url().optional(),
  WEIR_KAFKA_SECURITY_PROTOCOL: z.enum(['PLAINTEXT', 'SASL_PLAINTEXT', 'SSL', 'SASL_SSL']).default('PLAINTEXT'),
  WEIR_KAFKA_SASL_MECHANISMS: z.string().regex(/^(PLAIN|SCRAM-SHA-256|SCRAM-SHA-512)(,(PLAIN|SCRAM-SHA-256|SCRAM-SHA-512))*$/, 'a comma-separated list of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512').default('PLAIN,SCRAM-SHA-256,SCRAM-SHA-512'),
  WEIR_TLS_CERT_FILE: z.string().min(1).optional(),
  WEIR_TLS_KEY_FILE: z.string().min(1).optional(),
  WEIR_TLS_CA_FILE: z.string().min(1).optional(),
  WEIR_TLS_CLIENT_AUTH: z.enum(['none', 'requested', 'required']).default('none'),
  /** Serve REST (and the /live socket) over HTTPS with the same certificate. */
  WEIR_REST_TLS: flag.default(false),
  /** Kafka's super.users: principals (User:name;User:other) that ACLs never deny. Admins always are. */
  WEIR_SUPER_USERS: z.string().default(''),
  /** Kafka's allow.everyone.if.no.acl.found; true keeps clients working until the first ACL names a resource. */
  WEIR_ACL_ALLOW_IF_NO_ACL_FOUND: flag.default(true),
  WEIR_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  /** REST requests per client address per minute before 429. */
  WEIR_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(6000),
  /** Largest REST request body; larger ones get 413 without being read. */
  WEIR_REST_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(1_073_741_824).default(10_485_760),
  DATABASE_URL: z
    .string()
    .regex(POSTGRESQL_URL, 'must be a postgresql:// URL')
    .optional(),
  /** Where the metadata registry lives: zookeeper://host:port[,host:port...][/chroot], or postgresql://... (as DATABASE_URL). */
  WEIR_REGISTRY: z
    .string()
    .refine((v) => POSTGRESQL_URL.test(v) || ZOOKEEPER_URL.test(v), 'must be zookeeper://host:port[,host:port...][/chroot] or a postgresql:// URL')
    .optional(),
}).superRefine((e, ctx) => {
  if (e.WEIR_REGISTRY !== undefined && ZOOKEEPER_URL.test(e.WEIR_REGISTRY)) {
    try {
      parseZooKeeperUrl(e.WEIR_REGISTRY);
    } catch (err) {
      // The parser's message shows the URL with credentials masked.
      ctx.addIssue({ code: 'custom', path: ['WEIR_REGISTRY'], message: (err as Error).message });
    }
  }
  if (e.WEIR_REGISTRY !== undefined && POSTGRESQL_URL.test(e.WEIR_REGISTRY) && e.DATABASE_URL !== undefined && e.DATABASE_URL !== e.WEIR_REGISTRY) {
    ctx.addIssue({ code: 'custom', path: ['WEIR_REGISTRY'], message: 'names a PostgreSQL database other than DATABASE_URL; set one of them' });
  }
  if (e.WEIR_KAFKA_PORT !== 0 && e.WEIR_KAFKA_PORT + e.WEIR_BROKERS - 1 > 65535) {
    ctx.addIssue({ code: 'custom', path: ['WEIR_KAFKA_PORT'], message: `with WEIR_BROKERS=${e.WEIR_BROKERS} the Kafka ports run past 65535` });
  }
  const tlsNeeded = e.WEIR_KAFKA_SECURITY_PROTOCOL === 'SSL' || e.WEIR_KAFKA_SECURITY_PROTOCOL === 'SASL_SSL' || e.WEIR_REST_TLS;
  if (tlsNeeded && (e.WEIR_TLS_CERT_FILE === undefined || e.WEIR_TLS_KEY_FILE === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['WEIR_TLS_CERT_FILE'], message: 'TLS (WEIR_KAFKA_SECURITY_PROTOCOL=SSL/SASL_SSL or WEIR_REST_TLS=true) needs WEIR_TLS_CERT_FILE and WEIR_TLS_KEY_FILE' });
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
  /** Where the metadata registry lives (WEIR_REGISTRY, DATABASE_URL). */
  registry: RegistryLocation;
  /**
   * The Prisma database of the security tables (users, API keys, sessions, audit log) and,
   * unless the registry is on ZooKeeper, of the registry: a shared PostgreSQL, or undefined
   * for embedded PGlite in dataDir.
   */
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
  security: GatewaySecurityConfig;
  /** How the brokers reach brokers of other gateways (inter-broker-config.ts). */
  interBroker: InterBrokerConfig;
};

/** The registry's backend: embedded PGlite in the data dir, a shared PostgreSQL, or a ZooKeeper ensemble. */
export type RegistryLocation =
  | { readonly kind: 'pglite' }
  | { readonly kind: 'postgresql'; readonly url: string }
  | { readonly kind: 'zookeeper'; readonly url: string };

export interface GatewaySecurityConfig {
  /** WEIR_AUTH: REST, WebSocket and console require authentication. */
  readonly authEnabled: boolean;
  readonly consoleUrl: string | undefined;
  readonly kafkaSecurityProtocol: SecurityProtocol;
  readonly kafkaSaslMechanisms: readonly SaslMechanism[];
  /** Paths of PEM files; read at start-up. */
  readonly tls: { readonly certFile: string; readonly keyFile: string; readonly caFile: string | undefined; readonly clientAuth: 'none' | 'requested' | 'required' } | undefined;
  readonly restTls: boolean;
  /** Principal strings, e.g. `User:alice`. */
  readonly superUsers: readonly string[];
  readonly allowEveryoneIfNoAclFound: boolean;
  readonly auditRetentionDays: number;
  readonly rateLimitPerMinute: number;
  readonly restMaxBodyBytes: number;
}

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
  const interBroker = interBrokerConfigOf(env, e.WEIR_KAFKA_SECURITY_PROTOCOL);
  if (typeof interBroker === 'string') throw new ConfigError(`invalid environment: ${interBroker}`);
  const databaseUrl = e.WEIR_REGISTRY !== undefined && POSTGRESQL_URL.test(e.WEIR_REGISTRY) ? e.WEIR_REGISTRY : e.DATABASE_URL;
  return {
    host: e.WEIR_HOST,
    restPort: e.WEIR_REST_PORT,
    dataDir: e.WEIR_DATA_DIR,
    logLevel: e.WEIR_LOG_LEVEL,
    registry: registryLocationOf(e.WEIR_REGISTRY, databaseUrl),
    databaseUrl,
    brokerIds: Array.from({ length: e.WEIR_BROKERS }, (_, i) => e.WEIR_BROKER_ID + i),
    kafkaPorts: Array.from({ length: e.WEIR_BROKERS }, (_, i) => (e.WEIR_KAFKA_PORT === 0 ? 0 : e.WEIR_KAFKA_PORT + i)),
    rack: e.WEIR_RACK,
    brokerDefaults: brokerDefaultsOf(e),
    advertisedHost: e.WEIR_ADVERTISED_HOST ?? (WILDCARD_HOSTS.has(e.WEIR_HOST) ? hostname() : e.WEIR_HOST),
    socketRequestMaxBytes: e.WEIR_SOCKET_REQUEST_MAX_BYTES,
    consumerInstanceTimeoutMs: e.WEIR_CONSUMER_INSTANCE_TIMEOUT_MS,
    interBroker,
    security: {
      authEnabled: e.WEIR_AUTH === 'on',
      consoleUrl: e.WEIR_CONSOLE_URL,
      kafkaSecurityProtocol: e.WEIR_KAFKA_SECURITY_PROTOCOL,
      kafkaSaslMechanisms: e.WEIR_KAFKA_SASL_MECHANISMS.split(',') as SaslMechanism[],
      tls: e.WEIR_TLS_CERT_FILE !== undefined && e.WEIR_TLS_KEY_FILE !== undefined
        ? { certFile: e.WEIR_TLS_CERT_FILE, keyFile: e.WEIR_TLS_KEY_FILE, caFile: e.WEIR_TLS_CA_FILE, clientAuth: e.WEIR_TLS_CLIENT_AUTH }
        : undefined,
      restTls: e.WEIR_REST_TLS,
      superUsers: e.WEIR_SUPER_USERS.split(/[;,]/).map((u) => u.trim()).filter((u) => u.length > 0),
      allowEveryoneIfNoAclFound: e.WEIR_ACL_ALLOW_IF_NO_ACL_FOUND,
      auditRetentionDays: e.WEIR_AUDIT_RETENTION_DAYS,
      rateLimitPerMinute: e.WEIR_RATE_LIMIT_PER_MINUTE,
      restMaxBodyBytes: e.WEIR_REST_MAX_BODY_BYTES,
    },
  };
}

function registryLocationOf(weirRegistry: string | undefined, databaseUrl: string | undefined): RegistryLocation {
  if (weirRegistry !== undefined && ZOOKEEPER_URL.test(weirRegistry)) return { kind: 'zookeeper', url: weirRegistry };
  return databaseUrl !== undefined ? { kind: 'postgresql', url: databaseUrl } : { kind: 'pglite' };
}

/** A URL fit for a log line: the password of `user:password@` replaced by ***. */
export function maskUrlCredentials(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
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
