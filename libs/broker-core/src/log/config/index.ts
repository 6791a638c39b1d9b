export * from './definitions.js';
export * from './log-config.js';
