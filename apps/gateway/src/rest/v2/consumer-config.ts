import type { GatewayConfig } from '../../config/gateway-config.js';

/** Settings of the v2 consumer instances, taken from the validated gateway config. */
export type ConsumerConfig = {
  /** An instance with no request for this long is closed (WEIR_CONSUMER_INSTANCE_TIMEOUT_MS). */
  instanceTimeoutMs: number;
};

export function consumerConfigOf(config: GatewayConfig): ConsumerConfig {
  return { instanceTimeoutMs: config.consumerInstanceTimeoutMs };
}

export const CONSUMER_CONFIG = Symbol('CONSUMER_CONFIG');
