/** ACL bindings as the gateway's ACL API spells them; no request APIs here, so forms in the browser import it too. */

/** Confluent's spellings of Kafka's ACL enums, as the gateway takes and answers them. */
export const ACL_RESOURCE_TYPES = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID'] as const;
export const ACL_PATTERN_TYPES = ['LITERAL', 'PREFIXED'] as const;
export const ACL_OPERATIONS = ['ALL', 'READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE'] as const;
export const ACL_PERMISSIONS = ['ALLOW', 'DENY'] as const;

/** One ACL binding: a resource pattern and an access control entry. */
export interface AclBinding {
  resource_type: (typeof ACL_RESOURCE_TYPES)[number];
  resource_name: string;
  pattern_type: (typeof ACL_PATTERN_TYPES)[number];
  /** `User:<name>`, or `User:*` for everyone. */
  principal: string;
  /** `*` for any host. */
  host: string;
  operation: (typeof ACL_OPERATIONS)[number];
  permission: (typeof ACL_PERMISSIONS)[number];
}

/** Filters of the list: unset means any. */
export type AclFilter = Partial<Pick<AclBinding, 'resource_type' | 'resource_name' | 'principal'>>;
