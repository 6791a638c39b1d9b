export * from './principal.js';
export * from './sasl-credentials.js';
export * from './listener-security.js';
export * from './audit.js';
export * from './acl.js';
export * from './acl-names.js';
export * from './acl-filter.js';
export { AclPaths } from './acl-znodes.js';
export * from './authorizer.js';
