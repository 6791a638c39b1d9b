export * from './api-handler.js';
export * from './kafka-listener.js';
export { API_HANDLERS } from './handlers/index.js';
export { ListenerStats } from './listener-stats.js';
export { INTER_BROKER_PRINCIPAL } from './sasl/in-process-peers.js';
