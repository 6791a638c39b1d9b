export * from './principal.js';
export * from './sasl-credentials.js';
export * from './listener-security.js';
export * from './audit.js';
export * from './acl.js';
