import type { ConfigEntry } from '../log/config/log-config.js';
import type { BrokerDefaults, BrokerOptions } from './broker-options.js';

interface BrokerSetting {
  readonly name: string;
  readonly type: ConfigEntry['type'];
  readonly value: string;
  readonly documentation: string;
}

/**
 * The broker's own settings under Kafka's names (DescribeConfigs for a BROKER resource):
 * read-only, as they are fixed at start-up.
 */
export function describeBrokerConfig(options: Pick<BrokerOptions, 'brokerId' | 'advertisedHost' | 'advertisedPort' | 'rack'>, defaults: BrokerDefaults): ConfigEntry[] {
  const settings: BrokerSetting[] = [
    { name: 'broker.id', type: 'int', value: String(options.brokerId), documentation: 'The id of this broker.' },
    { name: 'advertised.listeners', type: 'list', value: `PLAINTEXT://${options.advertisedHost}:${options.advertisedPort}`, documentation: 'Where clients reach this broker.' },
    { name: 'broker.rack', type: 'string', value: options.rack ?? '', documentation: 'The rack of this broker, for rack-aware replica placement.' },
    { name: 'num.partitions', type: 'int', value: String(defaults.numPartitions), documentation: 'Partitions of a topic created without a count.' },
    { name: 'default.replication.factor', type: 'int', value: String(defaults.defaultReplicationFactor), documentation: 'Replication factor of a topic created without one.' },
    { name: 'auto.create.topics.enable', type: 'boolean', value: String(defaults.autoCreateTopicsEnable), documentation: 'Whether producing to or asking metadata of a missing topic creates it.' },
    { name: 'log.retention.check.interval.ms', type: 'long', value: String(defaults.logRetentionCheckIntervalMs), documentation: 'How often retention runs over the partition logs.' },
    { name: 'zookeeper.session.timeout.ms', type: 'int', value: String(defaults.sessionTimeoutMs), documentation: "Lease of the broker's registry session." },
  ];
  return settings.map((s) => ({ ...s, isDefault: false, source: 'STATIC_BROKER_CONFIG', sensitive: false, readOnly: true }));
}
