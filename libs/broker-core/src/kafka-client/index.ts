export * from './kafka-client-error.js';
export * from './client-apis.js';
export * from './kafka-client-connection.js';
export * from './broker-connections.js';
export * from './client-security.js';
