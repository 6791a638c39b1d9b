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
    { name: 'group.initial.rebalance.delay.ms', type: 'int', value: String(defaults.groupInitialRebalanceDelayMs), documentation: "How long a new group's first rebalance waits for more members." },
    { name: 'offsets.topic.num.partitions', type: 'int', value: String(defaults.offsetsTopicNumPartitions), documentation: 'Partitions of __consumer_offsets at its creation.' },
    { name: 'offsets.topic.replication.factor', type: 'int', value: String(defaults.offsetsTopicReplicationFactor), documentation: 'Replication factor of __consumer_offsets (fewer when fewer brokers are live).' },
    { name: 'offsets.retention.minutes', type: 'int', value: String(defaults.offsetsRetentionMinutes), documentation: 'How long the offsets of an empty group are kept.' },
    { name: 'producer.id.expiration.ms', type: 'int', value: String(defaults.producerIdExpirationMs), documentation: 'How long a partition keeps the state of an idle producer.' },
    { name: 'transaction.state.log.num.partitions', type: 'int', value: String(defaults.transactionStateLogNumPartitions), documentation: 'Partitions of __transaction_state at its creation.' },
    { name: 'transaction.state.log.replication.factor', type: 'int', value: String(defaults.transactionStateLogReplicationFactor), documentation: 'Replication factor of __transaction_state (fewer when fewer brokers are live).' },
    { name: 'transaction.max.timeout.ms', type: 'int', value: String(defaults.transactionMaxTimeoutMs), documentation: 'The longest transaction.timeout.ms a producer may ask for.' },
    { name: 'transaction.abort.timed.out.transaction.cleanup.interval.ms', type: 'int', value: String(defaults.transactionAbortTimedOutTransactionCleanupIntervalMs), documentation: 'How often transactions past their timeout are aborted.' },
    { name: 'transactional.id.expiration.ms', type: 'int', value: String(defaults.transactionalIdExpirationMs), documentation: 'How long an idle transactional id is kept.' },
  ];
  return settings.map((s) => ({ ...s, isDefault: false, source: 'STATIC_BROKER_CONFIG', sensitive: false, readOnly: true }));
}
