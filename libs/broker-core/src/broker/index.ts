export * from './broker-api.js';
export { Broker } from './broker.js';
export { DEFAULT_BROKER_DEFAULTS, type BrokerDefaults, type BrokerLogger, type BrokerOptions } from './broker-options.js';
export { murmur2, partitionForKey, toPositive } from './murmur2.js';
export { DefaultPartitioner } from './partitioner.js';
export { INTERNAL_TOPICS, isInternalTopic, validateTopicName } from './topic-name.js';
export { MAX_PARTITIONS_PER_TOPIC } from './topic-admin.js';
