export * from './topic-name.js';
export * from './rest/v2/index.js';
export * from './rest/records.js';
export * from './live/index.js';
export * from './rest/errors.js';
export * from './rest/v3/index.js';
