export * from './api-handler.js';
export * from './kafka-listener.js';
export { API_HANDLERS } from './handlers/index.js';
export { ListenerStats } from './listener-stats.js';
