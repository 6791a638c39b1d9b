import { z } from 'zod';
import { ConfigError } from '../../config/gateway-config.js';

/**
 * Settings of the v2 consumer instances, validated once at start-up like the rest of
 * the gateway's environment; a bad value stops the process naming the variable.
 * `WEIR_CONSUMER_INSTANCE_TIMEOUT_MS` is Confluent's `consumer.instance.timeout.ms`.
 */
const schema = z.object({
  WEIR_CONSUMER_INSTANCE_TIMEOUT_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
});

export type ConsumerConfig = {
  /** An instance with no request for this long is closed. */
  instanceTimeoutMs: number;
};

export function loadConsumerConfig(env: NodeJS.ProcessEnv = process.env): ConsumerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  }
  return { instanceTimeoutMs: parsed.data.WEIR_CONSUMER_INSTANCE_TIMEOUT_MS };
}

export const CONSUMER_CONFIG = Symbol('CONSUMER_CONFIG');
