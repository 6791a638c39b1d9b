import { z } from 'zod';

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
  /** The Kafka listener's port, advertised in the broker's registration. */
  kafkaPort: number;
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
    consumerInstanceTimeoutMs: e.WEIR_CONSUMER_INSTANCE_TIMEOUT_MS,
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
