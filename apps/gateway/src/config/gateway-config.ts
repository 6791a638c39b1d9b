import { hostname } from 'node:os';
import { z } from 'zod';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The gateway's settings, read once from the environment at start-up. A bad value
 * stops the process with a message naming the variable; nothing silently defaults
 * except the documented embedded defaults below.
 */
const port = z.coerce.number().int().min(0).max(65535);

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
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
});

export type GatewayConfig = {
  host: string;
  restPort: number;
  dataDir: string;
  logLevel: z.infer<typeof schema>['WEIR_LOG_LEVEL'];
  /** A shared PostgreSQL for the registry; undefined means embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  brokerId: number;
  /** The Kafka listener's port (0: any free one), advertised in the broker's registration. */
  kafkaPort: number;
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
    brokerId: e.WEIR_BROKER_ID,
    kafkaPort: e.WEIR_KAFKA_PORT,
    advertisedHost: e.WEIR_ADVERTISED_HOST ?? (WILDCARD_HOSTS.has(e.WEIR_HOST) ? hostname() : e.WEIR_HOST),
    socketRequestMaxBytes: e.WEIR_SOCKET_REQUEST_MAX_BYTES,
    consumerInstanceTimeoutMs: e.WEIR_CONSUMER_INSTANCE_TIMEOUT_MS,
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
