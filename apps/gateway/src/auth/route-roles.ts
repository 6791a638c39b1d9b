import type { Role } from './request-user.js';

/**
 * Who may call a route: nobody needs to authenticate (`public`), any signed-in user
 * (`authenticated`: their own session and API keys, checked further by the handler), or
 * a role and the ones above it.
 */
export type RouteAccess = 'public' | 'authenticated' | Role;

interface Rule {
  readonly methods: readonly string[] | '*';
  /** Fastify's route pattern (`req.routeOptions.url`); a trailing `*` matches any rest. */
  readonly route: string;
  readonly access: RouteAccess;
}

const CLUSTER = '/v3/clusters/:cluster_id';

/**
 * The one table of route roles; the first matching rule wins. Routes not listed: reads
 * (GET, HEAD) are `viewer`, everything else `operator`. Admin is for what administers
 * people and permissions (users, ACLs, the audit log), the registry's raw contents (which
 * include the ACLs), and what takes a whole broker away (stop, controlled shutdown) or
 * moves every partition's leader at once.
 */
const RULES: readonly Rule[] = [
  { methods: ['GET', 'HEAD'], route: '/healthz', access: 'public' },
  { methods: ['GET', 'HEAD'], route: '/readyz', access: 'public' },
  { methods: ['GET', 'HEAD'], route: '/openapi.json', access: 'public' },
  { methods: ['GET', 'HEAD'], route: '/docs*', access: 'public' },
  { methods: ['POST'], route: '/v3/auth/login', access: 'public' },
  { methods: ['POST'], route: '/v3/auth/login-link', access: 'public' },
  { methods: '*', route: '/v3/auth/*', access: 'authenticated' },
  // A user's own keys; the handler lets admins reach anyone's.
  { methods: '*', route: '/v3/users/:name/api-keys*', access: 'authenticated' },
  { methods: '*', route: '/v3/users*', access: 'admin' },
  { methods: '*', route: '/v3/audit-log*', access: 'admin' },
  { methods: '*', route: `${CLUSTER}/acls*`, access: 'admin' },
  { methods: '*', route: `${CLUSTER}/registry*`, access: 'admin' },
  { methods: ['POST'], route: `${CLUSTER}/brokers/:broker_id/stop`, access: 'admin' },
  { methods: ['POST'], route: `${CLUSTER}/brokers/:broker_id/start`, access: 'admin' },
  { methods: ['POST'], route: `${CLUSTER}/brokers/:broker_id/controlled-shutdown`, access: 'admin' },
  { methods: ['POST'], route: `${CLUSTER}/topics/-/partitions/-/leader-election`, access: 'admin' },
];

/** The access a request to `route` (a fastify pattern) with `method` needs. */
export function routeAccess(method: string, route: string): RouteAccess {
  for (const rule of RULES) {
    if (rule.methods !== '*' && !rule.methods.includes(method)) continue;
    if (rule.route.endsWith('*') ? route.startsWith(rule.route.slice(0, -1)) : route === rule.route) return rule.access;
  }
  return method === 'GET' || method === 'HEAD' ? 'viewer' : 'operator';
}
