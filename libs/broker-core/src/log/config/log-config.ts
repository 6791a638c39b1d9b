import { KafkaError } from '../../errors.js';
import { TOPIC_CONFIG_BY_NAME, TOPIC_CONFIG_DEFS, type ConfigDef } from './definitions.js';

export type CleanupPolicy = 'delete' | 'compact';
export type TopicCompressionType = 'uncompressed' | 'zstd' | 'lz4' | 'snappy' | 'gzip' | 'producer';
export type MessageTimestampType = 'CreateTime' | 'LogAppendTime';

/** The typed view of a topic's effective configuration, as the log and cleaner use it. */
export interface LogConfig {
  readonly cleanupPolicy: readonly CleanupPolicy[];
  readonly compressionType: TopicCompressionType;
  readonly deleteRetentionMs: number;
  readonly fileDeleteDelayMs: number;
  readonly flushMessages: number;
  readonly flushMs: number;
  readonly indexIntervalBytes: number;
  readonly maxCompactionLagMs: number;
  readonly maxMessageBytes: number;
  readonly messageDownconversionEnable: boolean;
  readonly messageTimestampDifferenceMaxMs: number;
  readonly messageTimestampType: MessageTimestampType;
  readonly minCleanableDirtyRatio: number;
  readonly minCompactionLagMs: number;
  readonly minInsyncReplicas: number;
  readonly preallocate: boolean;
  readonly retentionBytes: number;
  readonly retentionMs: number;
  readonly segmentBytes: number;
  readonly segmentIndexBytes: number;
  readonly segmentJitterMs: number;
  readonly segmentMs: number;
  readonly uncleanLeaderElectionEnable: boolean;
}

/** Maps each Kafka config name to its LogConfig field. */
const FIELD_BY_NAME: Readonly<Record<string, keyof LogConfig>> = {
  'cleanup.policy': 'cleanupPolicy',
  'compression.type': 'compressionType',
  'delete.retention.ms': 'deleteRetentionMs',
  'file.delete.delay.ms': 'fileDeleteDelayMs',
  'flush.messages': 'flushMessages',
  'flush.ms': 'flushMs',
  'index.interval.bytes': 'indexIntervalBytes',
  'max.compaction.lag.ms': 'maxCompactionLagMs',
  'max.message.bytes': 'maxMessageBytes',
  'message.downconversion.enable': 'messageDownconversionEnable',
  'message.timestamp.difference.max.ms': 'messageTimestampDifferenceMaxMs',
  'message.timestamp.type': 'messageTimestampType',
  'min.cleanable.dirty.ratio': 'minCleanableDirtyRatio',
  'min.compaction.lag.ms': 'minCompactionLagMs',
  'min.insync.replicas': 'minInsyncReplicas',
  preallocate: 'preallocate',
  'retention.bytes': 'retentionBytes',
  'retention.ms': 'retentionMs',
  'segment.bytes': 'segmentBytes',
  'segment.index.bytes': 'segmentIndexBytes',
  'segment.jitter.ms': 'segmentJitterMs',
  'segment.ms': 'segmentMs',
  'unclean.leader.election.enable': 'uncleanLeaderElectionEnable',
};

export type ConfigValue = boolean | number | string | readonly string[];

function invalid(def: ConfigDef, raw: string, why: string): KafkaError {
  return new KafkaError('INVALID_CONFIG', `Invalid value ${raw} for configuration ${def.name}: ${why}`);
}

const INTEGER = /^[+-]?\d+$/;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Parses one config value from its string form (REST and the wire send strings). */
export function parseConfigValue(def: ConfigDef, raw: string): ConfigValue {
  const text = raw.trim();
  let value: ConfigValue;
  switch (def.type) {
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalid(def, raw, 'Expected value to be either true or false');
      return lower === 'true';
    }
    case 'int':
    case 'long': {
      if (!INTEGER.test(text)) throw invalid(def, raw, `Not a number of type ${def.type.toUpperCase()}`);
      const big = BigInt(text);
      const [lo, hi] = def.type === 'int' ? [-(2n ** 31n), 2n ** 31n - 1n] : [LONG_MIN, LONG_MAX];
      if (big < lo || big > hi) throw invalid(def, raw, `Not a number of type ${def.type.toUpperCase()}`);
      value = Number(big);
      break;
    }
    case 'double': {
      value = Number(text);
      if (text === '' || !Number.isFinite(value)) throw invalid(def, raw, 'Not a number of type DOUBLE');
      break;
    }
    case 'string':
      if (def.validValues && !def.validValues.includes(text)) {
        throw invalid(def, raw, `String must be one of: ${def.validValues.join(', ')}`);
      }
      return text;
    case 'list': {
      const items = text === '' ? [] : text.split(',').map((item) => item.trim());
      for (const item of items) {
        if (def.validValues && !def.validValues.includes(item)) {
          throw invalid(def, raw, `Invalid value ${item} in list, must be one of: ${def.validValues.join(', ')}`);
        }
      }
      return items;
    }
    default: {
      const never: never = def.type;
      throw new Error(`unknown config type ${String(never)}`);
    }
  }
  if (def.min !== undefined && value < def.min) throw invalid(def, raw, `Value must be at least ${def.min}`);
  if (def.max !== undefined && value > def.max) throw invalid(def, raw, `Value must be no more than ${def.max}`);
  return value;
}

function defOrThrow(name: string): ConfigDef {
  const def = TOPIC_CONFIG_BY_NAME.get(name);
  if (!def) throw new KafkaError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
  return def;
}

function build(values: Map<string, ConfigValue>): LogConfig {
  const out: Record<string, ConfigValue> = {};
  for (const def of TOPIC_CONFIG_DEFS) {
    out[FIELD_BY_NAME[def.name]!] = values.get(def.name) ?? parseConfigValue(def, def.defaultValue);
  }
  return out as unknown as LogConfig;
}

/**
 * The effective config for a topic: Kafka defaults, overridden by `overrides` (string
 * values keyed by Kafka name). Throws KafkaError INVALID_CONFIG naming the config.
 */
export function parseTopicConfig(overrides: Readonly<Record<string, string>> = {}): LogConfig {
  const values = new Map<string, ConfigValue>();
  for (const [name, raw] of Object.entries(overrides)) values.set(name, parseConfigValue(defOrThrow(name), raw));
  return build(values);
}

/** Checks overrides without building a config (for CreateTopics / AlterConfigs validation). */
export function validateTopicConfig(overrides: Readonly<Record<string, string>>): void {
  parseTopicConfig(overrides);
}

export const DEFAULT_LOG_CONFIG: LogConfig = parseTopicConfig();

/** A config from typed fields (tests, internal topics); unspecified fields take defaults. */
export function logConfig(fields: Partial<LogConfig> = {}): LogConfig {
  return { ...DEFAULT_LOG_CONFIG, ...fields };
}

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly isDefault: boolean;
  readonly source: 'DEFAULT_CONFIG' | 'DYNAMIC_TOPIC_CONFIG' | 'STATIC_BROKER_CONFIG';
  readonly type: ConfigDef['type'];
  readonly sensitive: boolean;
  readonly readOnly: boolean;
  readonly documentation: string;
}

/** Every topic config with its effective value and where it came from, for listings. */
export function describeTopicConfig(overrides: Readonly<Record<string, string>> = {}): ConfigEntry[] {
  validateTopicConfig(overrides);
  return TOPIC_CONFIG_DEFS.map((def) => {
    const override = overrides[def.name];
    return {
      name: def.name,
      value: override === undefined ? def.defaultValue : override.trim(),
      isDefault: override === undefined,
      source: override === undefined ? 'DEFAULT_CONFIG' : 'DYNAMIC_TOPIC_CONFIG',
      type: def.type,
      sensitive: def.sensitive,
      readOnly: def.readOnly,
      documentation: def.documentation,
    };
  });
}
