export * from './topic-name.js';
