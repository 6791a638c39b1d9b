export { openZooKeeperRegistry, openZooKeeperRegistryStore, type ZooKeeperRegistryOpenOptions, type ZooKeeperRegistryStoreOptions } from './open-store.js';
export { ZooKeeperRegistryStore, CHANGE_LOG_ENTRIES, RESERVED_NAME } from './zookeeper-registry-store.js';
export { maskZooKeeperUrl, parseZooKeeperUrl, type ZooKeeperLocation } from './zookeeper-url.js';
export { ZOOKEEPER_MAX_BUFFER_BYTES } from './zookeeper-connection.js';
