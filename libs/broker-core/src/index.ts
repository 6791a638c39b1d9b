export * from './errors.js';
export * from './time.js';
export * from './log/index.js';
export * from './timer/index.js';
export * from './registry/index.js';
export * from './broker/index.js';
export * from './protocol/index.js';
export * from './kafka-server/index.js';
