import { AclOperation, AclPatternType, AclPermissionType, AclResourceType } from './acl.js';

/**
 * Names for Kafka's ACL codes, two spellings: Kafka's own in the registry (PascalCase:
 * `Topic`, `ClusterAction`, `Allow`, as SecurityUtils writes them into ZooKeeper) and the
 * upper-case enum names Confluent's REST API and Kafka's tools print (`TOPIC`,
 * `CLUSTER_ACTION`, `ALLOW`).
 */
type Codes = Readonly<Record<string, number>>;

function pascal(name: string): string {
  return name.toLowerCase().split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function namesOf<T extends number>(codes: Codes): { readonly upper: ReadonlyMap<T, string>; readonly pascal: ReadonlyMap<T, string>; readonly byName: ReadonlyMap<string, T> } {
  const upper = new Map<T, string>();
  const pascalNames = new Map<T, string>();
  const byName = new Map<string, T>();
  for (const [name, code] of Object.entries(codes)) {
    upper.set(code as T, name);
    pascalNames.set(code as T, pascal(name));
    byName.set(name, code as T);
    byName.set(pascal(name), code as T);
  }
  return { upper, pascal: pascalNames, byName };
}

export const RESOURCE_TYPE_NAMES = namesOf<AclResourceType>(AclResourceType);
export const PATTERN_TYPE_NAMES = namesOf<AclPatternType>(AclPatternType);
export const OPERATION_NAMES = namesOf<AclOperation>(AclOperation);
export const PERMISSION_TYPE_NAMES = namesOf<AclPermissionType>(AclPermissionType);

/** The operations each resource type supports (Kafka's AclEntry.supportedOperations), ALL included. */
export const SUPPORTED_OPERATIONS: ReadonlyMap<AclResourceType, readonly AclOperation[]> = new Map<AclResourceType, readonly AclOperation[]>([
  [AclResourceType.TOPIC, [AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DELETE,
    AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS]],
  [AclResourceType.GROUP, [AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE]],
  [AclResourceType.CLUSTER, [AclOperation.CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
    AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE]],
  [AclResourceType.TRANSACTIONAL_ID, [AclOperation.DESCRIBE, AclOperation.WRITE]],
  [AclResourceType.DELEGATION_TOKEN, [AclOperation.DESCRIBE]],
  [AclResourceType.USER, [AclOperation.CREATE_TOKENS, AclOperation.DESCRIBE_TOKENS]],
]);
