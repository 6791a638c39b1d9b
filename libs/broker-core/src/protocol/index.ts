export * from './primitives/index.js';
export * from './api-catalog.js';
export * from './api-keys.js';
export * from './header.js';
export * from './frame-decoder.js';
export * from './frame-pool.js';
export * from './codecs.js';
