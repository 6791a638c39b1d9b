import type { ConfigEntry } from '../../log/config/log-config.js';

/** Kafka's ConfigResource.Type codes. */
export const RESOURCE_TYPE = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** DescribeConfigs' config_source codes (v1+). */
const SOURCE_CODES: Readonly<Record<ConfigEntry['source'], number>> = {
  DYNAMIC_TOPIC_CONFIG: 1,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
};

/** DescribeConfigs' config_type codes (v3+). */
const TYPE_CODES: Readonly<Record<ConfigEntry['type'], number>> = {
  boolean: 1,
  string: 2,
  int: 3,
  long: 5,
  double: 6,
  list: 7,
};

export function configSourceCode(source: ConfigEntry['source']): number {
  return SOURCE_CODES[source];
}

export function configTypeCode(type: ConfigEntry['type']): number {
  return TYPE_CODES[type];
}

/** IncrementalAlterConfigs' operations. */
export const CONFIG_OPERATION = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
