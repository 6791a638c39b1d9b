/**
 * What each role may do in the console: the one place that knows. It mirrors the
 * gateway's rule (its route-roles table), which is what actually decides; the console
 * only hides what the gateway would refuse, so nobody is offered a button that fails.
 *
 * - read: every GET (viewer and up);
 * - operate: changes to topics, configs, records, groups, transactions, partitions (operator and up);
 * - administer: users, API keys of others, ACLs, the audit log, the registry's raw znodes
 *   (they hold the ACLs), broker stop/start and leader elections of the whole cluster (admin).
 */

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Capability = 'read' | 'operate' | 'administer';

const NEEDS: Record<Capability, Role> = { read: 'viewer', operate: 'operator', administer: 'admin' };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` may do what `capability` names; no role (not signed in) may do nothing. */
export function can(role: Role | null | undefined, capability: Capability): boolean {
  if (role === null || role === undefined) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(NEEDS[capability]);
}

/** The console pages only admins may open, and the nav items that lead there. */
export const ADMIN_PAGES = ['/registry', '/users', '/acls', '/audit'] as const;

/** What a nav item to `href` needs. */
export function capabilityForPage(href: string): Capability {
  return ADMIN_PAGES.some((p) => href === p || href.startsWith(`${p}/`)) ? 'administer' : 'read';
}
