import {
  AclOperation, AclPatternType, AclPermissionType, AclResourceType, CLUSTER_RESOURCE_NAME, type AclBinding, type AclBindingFilter,
} from './acl.js';
import { parsePrincipal } from './principal.js';

/**
 * Kafka's AclBindingFilter.matches: null fields and ANY codes match anything. A pattern
 * type of ANY matches patterns of every type with exactly the filter's name; MATCH
 * matches every pattern that would apply to a resource of that name (the literal name,
 * the literal wildcard `*`, and every prefix of it).
 */
export function filterMatches(filter: AclBindingFilter, b: AclBinding): boolean {
  if (filter.resourceType !== AclResourceType.ANY && filter.resourceType !== b.resourceType) return false;
  if (filter.patternType !== AclPatternType.ANY && filter.patternType !== AclPatternType.MATCH && filter.patternType !== b.patternType) return false;
  if (filter.resourceName !== null && !nameMatches(filter, b)) return false;
  return (filter.principal === null || filter.principal === b.principal)
    && (filter.host === null || filter.host === b.host)
    && (filter.operation === AclOperation.ANY || filter.operation === b.operation)
    && (filter.permissionType === AclPermissionType.ANY || filter.permissionType === b.permissionType);
}

function nameMatches(filter: AclBindingFilter, b: AclBinding): boolean {
  const name = filter.resourceName!;
  if (filter.patternType !== AclPatternType.MATCH) return name === b.resourceName;
  return b.patternType === AclPatternType.LITERAL ? name === b.resourceName || b.resourceName === '*' : name.startsWith(b.resourceName);
}

/** Why a filter cannot be used (Kafka's AclBindingFilter.findIndefiniteField), or undefined. */
export function invalidFilter(filter: AclBindingFilter): string | undefined {
  if (filter.resourceType === AclResourceType.UNKNOWN) return 'unknown resource type';
  if (filter.patternType === AclPatternType.UNKNOWN) return 'unknown pattern type';
  if (filter.operation === AclOperation.UNKNOWN) return 'unknown operation';
  if (filter.permissionType === AclPermissionType.UNKNOWN) return 'unknown permission type';
  if (!isCode(AclResourceType, filter.resourceType) || !isCode(AclPatternType, filter.patternType)
    || !isCode(AclOperation, filter.operation) || !isCode(AclPermissionType, filter.permissionType)) return 'unknown code';
  return undefined;
}

/** Why a binding cannot be created (as Kafka's CreateAcls refuses it), or undefined. */
export function invalidBinding(b: {
  readonly resourceType: number; readonly resourceName: string; readonly patternType: number; readonly principal: string;
  readonly host: string; readonly operation: number; readonly permissionType: number;
}): string | undefined {
  if (!isCode(AclResourceType, b.resourceType) || b.resourceType <= AclResourceType.ANY) return 'Invalid resource type';
  if (b.patternType !== AclPatternType.LITERAL && b.patternType !== AclPatternType.PREFIXED) return 'Invalid pattern type';
  if (!isCode(AclOperation, b.operation) || b.operation <= AclOperation.ANY) return 'Invalid operation';
  if (b.permissionType !== AclPermissionType.ALLOW && b.permissionType !== AclPermissionType.DENY) return 'Invalid permission type';
  if (b.resourceName === '') return 'Resource name must not be empty';
  if (b.resourceName.includes('/')) return 'Resource name must not contain "/"';
  if (b.resourceType === AclResourceType.CLUSTER && b.resourceName !== CLUSTER_RESOURCE_NAME) {
    return `The only valid name for the CLUSTER resource is ${CLUSTER_RESOURCE_NAME}`;
  }
  if (b.patternType === AclPatternType.PREFIXED && b.resourceName === '*') return 'The wildcard is a LITERAL resource name';
  if (b.principal !== 'User:*' && parsePrincipal(b.principal) === undefined) return `Invalid principal ${b.principal}: expected User:<name>`;
  if (b.host === '') return 'Host must not be empty (use * for every host)';
  return undefined;
}

function isCode(codes: Readonly<Record<string, number>>, code: number): boolean {
  return Object.values(codes).includes(code);
}
