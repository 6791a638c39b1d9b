export * from './resource.js';
export * from './cluster.js';
export * from './topic.js';
export * from './partition.js';
export * from './config.js';
export * from './produce.js';
export * from './reassignment.js';
export * from './consumer-group.js';
