import { ACL_OPERATIONS, ACL_PATTERN_TYPES, ACL_PERMISSIONS, ACL_RESOURCE_TYPES, type AclBinding, type AclFilter } from './acl-binding';

type Params = Record<string, string | string[] | undefined>;

const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);

/** The list's filters from the URL: a known resource type, a resource name, a principal; the rest any. */
export function parseAclFilter(params: Params): AclFilter {
  const get = (key: string) => {
    const value = params[key];
    return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
  };
  const filter: AclFilter = {};
  const type = get('resource_type');
  if (oneOf(ACL_RESOURCE_TYPES, type)) filter.resource_type = type;
  if (get('resource_name') !== '') filter.resource_name = get('resource_name');
  if (get('principal') !== '') filter.principal = get('principal');
  return filter;
}

/**
 * A binding as the create form sends it, checked for shape (the enums, a `Type:name`
 * principal, a name; the cluster's resource is always `kafka-cluster`). The gateway
 * checks again; this only spares a round trip for a slip.
 */
export function parseAclBinding(input: Record<string, unknown>): { ok: true; binding: AclBinding } | { ok: false; message: string } {
  const { resource_type, pattern_type, operation, permission } = input;
  if (!oneOf(ACL_RESOURCE_TYPES, resource_type)) return { ok: false, message: 'Choose a resource type' };
  if (!oneOf(ACL_PATTERN_TYPES, pattern_type)) return { ok: false, message: 'Choose a pattern type' };
  if (!oneOf(ACL_OPERATIONS, operation)) return { ok: false, message: 'Choose an operation' };
  if (!oneOf(ACL_PERMISSIONS, permission)) return { ok: false, message: 'Choose ALLOW or DENY' };
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const resource_name = resource_type === 'CLUSTER' ? 'kafka-cluster' : text(input.resource_name);
  if (resource_name === '') return { ok: false, message: 'Give the resource name (* for every one)' };
  const principal = text(input.principal);
  if (!/^[^:\s]+:.+$/.test(principal)) return { ok: false, message: 'The principal is Type:name, e.g. User:alice (User:* for everyone)' };
  const host = text(input.host) === '' ? '*' : text(input.host);
  return { ok: true, binding: { resource_type, resource_name, pattern_type, principal, host, operation, permission } };
}
