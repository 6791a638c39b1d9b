import type { Registry } from '../registry/registry.js';
import {
  AclOperation, AclPatternType, AclPermissionType, type AclBinding, type AclBindingFilter, type AclResourceType, type AuthorizeRequest,
} from './acl.js';
import { SUPPORTED_OPERATIONS } from './acl-names.js';
import { AclStore, type AclResourceNode } from './acl-store.js';
import type { KafkaPrincipal } from './principal.js';

/** Who is allowed what when no ACL says (Kafka's super.users and allow.everyone.if.no.acl.found). */
export interface AuthorizerSettings {
  /** Principals allowed everything, as `User:<name>`. */
  readonly superUsers?: readonly string[];
  /** Whether a resource no ACL matches is open to everyone (Kafka's default is false; Weir's gateway defaults to true). */
  readonly allowEveryoneIfNoAclFound?: boolean;
}

/** An entry ready for matching: the principal split once, so a check compares strings without building any. */
interface IndexedEntry {
  /** The principal's name, `*` for `User:*`; undefined for a principal type other than User (never matches). */
  readonly principalName: string | undefined;
  readonly host: string;
  readonly operation: AclOperation;
  readonly deny: boolean;
}

/** Per resource type: literal names (`*` included) by name, prefixed patterns in a list, and what each name resolved to. */
interface TypeIndex {
  readonly literal: Map<string, IndexedEntry[]>;
  readonly prefixed: { readonly prefix: string; readonly entries: readonly IndexedEntry[] }[];
  readonly resolved: Map<string, readonly IndexedEntry[]>;
}

const NONE: readonly IndexedEntry[] = [];
/** A bound on remembered resolutions per resource type (names come from clients). */
const MAX_RESOLVED = 10_000;

/**
 * Kafka's AclAuthorizer over the ACLs in the registry: super users may do anything; a
 * resource that no ACL matches (literal name, the literal wildcard `*`, or a prefix) is
 * open iff allowEveryoneIfNoAclFound; otherwise a matching DENY for the principal (or
 * `User:*`) and host (or `*`) refuses, and an ALLOW of the operation, of ALL, or of an
 * operation that implies it (READ/WRITE/DELETE/ALTER imply DESCRIBE, ALTER_CONFIGS implies
 * DESCRIBE_CONFIGS) grants.
 *
 * `authorize` is synchronous and reads only memory: with no ACL at all it is one
 * comparison; otherwise one map lookup per resource once a name has been resolved. The
 * index is rebuilt whenever the store reports a change.
 */
export class AclAuthorizer {
  private readonly store: AclStore;
  private readonly superUsers: ReadonlySet<string>;
  private readonly allowIfNoAcl: boolean;
  private index = new Map<AclResourceType, TypeIndex>();
  private count = 0;

  constructor(registry: Registry, settings: AuthorizerSettings, onError: (err: unknown) => void) {
    this.store = new AclStore(registry, () => this.rebuild(), onError);
    this.superUsers = new Set(settings.superUsers ?? []);
    this.allowIfNoAcl = settings.allowEveryoneIfNoAclFound ?? true;
  }

  start(): void {
    this.store.start();
  }

  close(): void {
    this.store.close();
  }

  /** How many ACLs are stored. */
  get aclCount(): number {
    return this.count;
  }

  isSuperUser(principal: KafkaPrincipal): boolean {
    return this.superUsers.size > 0 && principal.type === 'User' && this.superUsers.has(`User:${principal.name}`);
  }

  authorize(req: AuthorizeRequest): boolean {
    if (this.count === 0) return this.allowIfNoAcl || this.isSuperUser(req.principal);
    if (this.isSuperUser(req.principal)) return true;
    const acls = this.matchingEntries(req.resourceType, req.resourceName);
    if (acls.length === 0) return this.allowIfNoAcl;
    const { name } = req.principal;
    let allowed = false;
    for (const acl of acls) {
      if ((acl.principalName !== name && acl.principalName !== '*') || (acl.host !== req.host && acl.host !== '*')) continue;
      if (acl.deny) {
        if (acl.operation === req.operation || acl.operation === AclOperation.ALL) return false;
      } else if (!allowed) {
        allowed = acl.operation === req.operation || acl.operation === AclOperation.ALL || implies(acl.operation, req.operation);
      }
    }
    return allowed;
  }

  /** The operations the principal may do on the resource, as KIP-430's bit set (bit n = AclOperation n). */
  authorizedOperations(principal: KafkaPrincipal, host: string, resourceType: AclResourceType, resourceName: string): number {
    let bits = 0;
    for (const operation of SUPPORTED_OPERATIONS.get(resourceType) ?? []) {
      if (this.authorize({ principal, host, operation, resourceType, resourceName })) bits |= 1 << operation;
    }
    return bits;
  }

  /**
   * Whether the principal may do `operation` on some resource of the type (Kafka's
   * authorizeByResourceType, simplified): super users may; a DENY on the literal wildcard
   * refuses every resource; with allowEveryoneIfNoAclFound some resource has no ACL, so it
   * may; otherwise it needs an ALLOW for the principal and host on some resource.
   */
  authorizeAnyResource(principal: KafkaPrincipal, host: string, operation: AclOperation, resourceType: AclResourceType): boolean {
    if (this.isSuperUser(principal)) return true;
    const index = this.index.get(resourceType);
    if (index === undefined) return this.allowIfNoAcl;
    const applies = (e: IndexedEntry): boolean => (e.principalName === principal.name || e.principalName === '*') && (e.host === host || e.host === '*')
      && (e.operation === operation || e.operation === AclOperation.ALL);
    if ((index.literal.get('*') ?? NONE).some((e) => e.deny && applies(e))) return false;
    if (this.allowIfNoAcl) return true;
    const lists = [...index.literal.values(), ...index.prefixed.map((p) => p.entries)];
    return lists.some((entries) => entries.some((e) => !e.deny && applies(e)));
  }

  describe(filter: AclBindingFilter): AclBinding[] {
    return this.store.matching(filter);
  }

  create(bindings: readonly AclBinding[]): Promise<void> {
    return this.store.add(bindings);
  }

  delete(filters: readonly AclBindingFilter[]): Promise<AclBinding[][]> {
    return this.store.remove(filters);
  }

  private matchingEntries(resourceType: AclResourceType, name: string): readonly IndexedEntry[] {
    const index = this.index.get(resourceType);
    if (index === undefined) return NONE;
    const known = index.resolved.get(name);
    if (known !== undefined) return known;
    const found = [...(index.literal.get(name) ?? NONE), ...(name === '*' ? NONE : index.literal.get('*') ?? NONE)];
    for (const p of index.prefixed) if (name.startsWith(p.prefix)) found.push(...p.entries);
    if (index.resolved.size >= MAX_RESOLVED) index.resolved.clear();
    index.resolved.set(name, found);
    return found;
  }

  private rebuild(): void {
    const index = new Map<AclResourceType, TypeIndex>();
    let count = 0;
    for (const node of this.store.resources()) {
      let t = index.get(node.resourceType);
      if (t === undefined) index.set(node.resourceType, t = { literal: new Map(), prefixed: [], resolved: new Map() });
      const entries = indexed(node);
      count += entries.length;
      if (node.patternType === AclPatternType.LITERAL) t.literal.set(node.resourceName, entries);
      else t.prefixed.push({ prefix: node.resourceName, entries });
    }
    this.index = index;
    this.count = count;
  }
}

function indexed(node: AclResourceNode): IndexedEntry[] {
  return node.entries.map((e) => ({
    principalName: e.principal === 'User:*' ? '*' : e.principal.startsWith('User:') ? e.principal.slice('User:'.length) : undefined,
    host: e.host,
    operation: e.operation,
    deny: e.permissionType === AclPermissionType.DENY,
  }));
}

/** Kafka's implied operations: an ALLOW of `granted` also allows `asked`. */
function implies(granted: AclOperation, asked: AclOperation): boolean {
  if (asked === AclOperation.DESCRIBE) {
    return granted === AclOperation.READ || granted === AclOperation.WRITE || granted === AclOperation.DELETE || granted === AclOperation.ALTER;
  }
  return asked === AclOperation.DESCRIBE_CONFIGS && granted === AclOperation.ALTER_CONFIGS;
}
