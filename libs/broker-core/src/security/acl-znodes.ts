import { AclPatternType, AclPermissionType, AclResourceType, type AclBinding, type AclOperation } from './acl.js';
import { OPERATION_NAMES, PERMISSION_TYPE_NAMES, RESOURCE_TYPE_NAMES } from './acl-names.js';

/**
 * Where ACLs live in the registry, in Kafka's ZooKeeper layout (ZkData.scala, ZkAclStore):
 * LITERAL patterns under /kafka-acl/<ResourceType>/<name>, PREFIXED ones under
 * /kafka-acl-extended/prefixed/<ResourceType>/<name>; each node holds every entry for that
 * one resource pattern as {"version":1,"acls":[{"principal","permissionType","operation","host"}]}
 * with Kafka's PascalCase names. Tools that read a ZooKeeper-based cluster's ACLs read these.
 */
export const AclPaths = {
  literalRoot: '/kafka-acl',
  prefixedRoot: '/kafka-acl-extended/prefixed',
  root(patternType: AclBinding['patternType']): string {
    return patternType === AclPatternType.LITERAL ? AclPaths.literalRoot : AclPaths.prefixedRoot;
  },
  typeDir(patternType: AclBinding['patternType'], resourceType: AclResourceType): string {
    return `${AclPaths.root(patternType)}/${RESOURCE_TYPE_NAMES.pascal.get(resourceType)!}`;
  },
  resource(patternType: AclBinding['patternType'], resourceType: AclResourceType, name: string): string {
    return `${AclPaths.typeDir(patternType, resourceType)}/${name}`;
  },
} as const;

/** The resource types whose ACLs are stored (the concrete ones). */
export const STORED_RESOURCE_TYPES: readonly AclResourceType[] = [
  AclResourceType.TOPIC, AclResourceType.GROUP, AclResourceType.CLUSTER, AclResourceType.TRANSACTIONAL_ID, AclResourceType.DELEGATION_TOKEN, AclResourceType.USER,
];

/** One access control entry, the part of a binding stored inside a resource's node. */
export interface AclEntry {
  readonly principal: string;
  readonly host: string;
  readonly operation: AclOperation;
  readonly permissionType: AclBinding['permissionType'];
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export const AclZNode = {
  encode(entries: readonly AclEntry[]): Uint8Array {
    return utf8.encode(JSON.stringify({
      version: 1,
      acls: entries.map((e) => ({
        principal: e.principal,
        permissionType: PERMISSION_TYPE_NAMES.pascal.get(e.permissionType)!,
        operation: OPERATION_NAMES.pascal.get(e.operation)!,
        host: e.host,
      })),
    }));
  },
  /** Accepts what Kafka's AclEntry.fromBytes accepts: version 1, names in either spelling. */
  decode(data: Uint8Array, path: string): AclEntry[] {
    if (data.length === 0) return [];
    const value = JSON.parse(fromUtf8.decode(data)) as { version?: unknown; acls?: unknown };
    if (value.version !== 1 || !Array.isArray(value.acls)) throw new Error(`${path}: expected {"version":1,"acls":[...]}`);
    return value.acls.map((raw: Record<string, unknown>) => {
      const operation = OPERATION_NAMES.byName.get(String(raw.operation));
      const permissionType = PERMISSION_TYPE_NAMES.byName.get(String(raw.permissionType));
      if (typeof raw.principal !== 'string' || typeof raw.host !== 'string' || operation === undefined
        || (permissionType !== AclPermissionType.ALLOW && permissionType !== AclPermissionType.DENY)) {
        throw new Error(`${path}: bad ACL entry ${JSON.stringify(raw)}`);
      }
      return { principal: raw.principal, host: raw.host, operation, permissionType };
    });
  },
};

export function sameEntry(a: AclEntry, b: AclEntry): boolean {
  return a.principal === b.principal && a.host === b.host && a.operation === b.operation && a.permissionType === b.permissionType;
}
