export * from './consumers.js';
