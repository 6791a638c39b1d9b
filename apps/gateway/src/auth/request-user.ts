import type { FastifyRequest } from 'fastify';

/** Weir's roles, weakest first: each can do what the ones before it can. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/**
 * Who a REST request (or /live socket) acts as, set by the authentication guard before
 * any handler runs. With WEIR_AUTH=off every request is `anonymous` with the admin role.
 */
export interface RequestUser {
  readonly name: string;
  readonly role: Role;
  /** How the request proved it: a console session cookie, HTTP Basic, an API key, or nothing (auth off). */
  readonly via: 'session' | 'basic' | 'api-key' | 'none';
  /** `console` for a console session, else `rest`; the audit log's door. */
  readonly door: 'rest' | 'console';
  /** The client's address. */
  readonly source: string;
}

const USER = Symbol('weir.user');

export function setRequestUser(req: FastifyRequest | object, user: RequestUser): void {
  (req as Record<symbol, RequestUser>)[USER] = user;
}

export function requestUser(req: FastifyRequest | object): RequestUser | undefined {
  return (req as Record<symbol, RequestUser | undefined>)[USER];
}
