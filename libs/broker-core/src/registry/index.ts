export * from './registry-error.js';
export * from './types.js';
export * from './path.js';
export * from './store.js';
export * from './registry.js';
export * from './memory-store.js';
export * from './kafka-znodes.js';
