import type { KafkaPrincipal } from './principal.js';

/** Kafka's ResourceType codes (DescribeAcls/CreateAcls/DeleteAcls). */
export const AclResourceType = { UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5, DELEGATION_TOKEN: 6, USER: 7 } as const;
export type AclResourceType = (typeof AclResourceType)[keyof typeof AclResourceType];

/** Kafka's PatternType codes. MATCH and ANY appear only in filters. */
export const AclPatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;
export type AclPatternType = (typeof AclPatternType)[keyof typeof AclPatternType];

/** Kafka's AclOperation codes (also the bits of `*_authorized_operations`, KIP-430). */
export const AclOperation = {
  UNKNOWN: 0, ANY: 1, ALL: 2, READ: 3, WRITE: 4, CREATE: 5, DELETE: 6, ALTER: 7, DESCRIBE: 8,
  CLUSTER_ACTION: 9, DESCRIBE_CONFIGS: 10, ALTER_CONFIGS: 11, IDEMPOTENT_WRITE: 12, CREATE_TOKENS: 13, DESCRIBE_TOKENS: 14,
} as const;
export type AclOperation = (typeof AclOperation)[keyof typeof AclOperation];

/** Kafka's AclPermissionType codes. */
export const AclPermissionType = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;
export type AclPermissionType = (typeof AclPermissionType)[keyof typeof AclPermissionType];

/** One ACL: a resource pattern and an access control entry. */
export interface AclBinding {
  readonly resourceType: AclResourceType;
  /** `*` with LITERAL is the wildcard; the cluster's name is `kafka-cluster`. */
  readonly resourceName: string;
  readonly patternType: typeof AclPatternType.LITERAL | typeof AclPatternType.PREFIXED;
  /** `User:alice`, or `User:*` for everyone. */
  readonly principal: string;
  /** `*` or an address. */
  readonly host: string;
  readonly operation: AclOperation;
  readonly permissionType: typeof AclPermissionType.ALLOW | typeof AclPermissionType.DENY;
}

/** A filter as DescribeAcls/DeleteAcls take it: null matches anything, ANY codes likewise. */
export interface AclBindingFilter {
  readonly resourceType: AclResourceType;
  readonly resourceName: string | null;
  readonly patternType: AclPatternType;
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: AclOperation;
  readonly permissionType: AclPermissionType;
}

/** The cluster resource's only name. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

/** One authorization question: may `principal` from `host` do `operation` on the resource? */
export interface AuthorizeRequest {
  readonly principal: KafkaPrincipal;
  /** The client's address, without Kafka's leading slash. */
  readonly host: string;
  readonly operation: AclOperation;
  readonly resourceType: AclResourceType;
  readonly resourceName: string;
}
