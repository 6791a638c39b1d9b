export * from './batch/batch-header.js';
