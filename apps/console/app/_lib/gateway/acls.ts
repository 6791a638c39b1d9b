import { clusterPath } from './clusters';
import { gatewayRequest } from './http';

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

export interface AclData extends AclBinding {
  kind: 'KafkaAcl';
  cluster_id: string;
}

/** Filters of the list: unset means any. */
export type AclFilter = Partial<Pick<AclBinding, 'resource_type' | 'resource_name' | 'principal'>>;

export async function listAcls(filter: AclFilter): Promise<AclData[]> {
  return (await gatewayRequest<{ data: AclData[] }>(await clusterPath('/acls'), { query: filter })).data;
}

export async function createAcl(binding: AclBinding): Promise<void> {
  await gatewayRequest<unknown>(await clusterPath('/acls'), { method: 'POST', body: binding });
}

/** Deletes exactly this binding (every field given, so the filter matches it alone); answers what was deleted. */
export async function deleteAcl(binding: AclBinding): Promise<AclData[]> {
  const query = { ...binding };
  return (await gatewayRequest<{ data: AclData[] }>(await clusterPath('/acls'), { method: 'DELETE', query })).data;
}
