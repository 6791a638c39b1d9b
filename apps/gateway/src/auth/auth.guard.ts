import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';
import { RestError } from '../errors/rest-error.js';
import { AUTH_ERROR_CODES, forbidden, unauthenticated, WWW_AUTHENTICATE } from './auth-errors.js';
import { Authenticator } from './authenticator.js';
import { type RequestUser, roleAtLeast, setRequestUser } from './request-user.js';
import { routeAccess } from './route-roles.js';

/** The console's server side marks its requests with this header (door `console` when auth is off). */
export const CONSOLE_HEADER = 'x-weir-console';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The global guard on every REST route: who is asking (Authenticator), whether their
 * role reaches the route's (route-roles.ts), and for cookie-authenticated changes the
 * CSRF token. Leaves the user on the request for the handlers, the ACL checks and the
 * audit log. With WEIR_AUTH=off everyone is an anonymous admin.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (!this.config.security.authEnabled) {
      setRequestUser(req, anonymousUser(req, 'admin'));
      return true;
    }
    const access = routeAccess(req.method, req.routeOptions.url ?? req.url);
    if (access === 'public') {
      setRequestUser(req, anonymousUser(req, 'viewer'));
      return true;
    }
    const result = await this.authenticator.authenticate({ headers: req.headers, source: req.ip });
    switch (result.kind) {
      case 'none':
        void reply.header('www-authenticate', WWW_AUTHENTICATE);
        throw unauthenticated('Authentication required: an API key (Bearer), Basic credentials or a console session.');
      case 'invalid':
        void reply.header('www-authenticate', WWW_AUTHENTICATE);
        throw unauthenticated(result.message);
      case 'limited':
        void reply.header('retry-after', String(result.retryAfterS));
        throw new RestError(AUTH_ERROR_CODES.RATE_LIMITED, 'Too many failed sign-in attempts; try again later.');
      case 'ok':
        break;
      default:
        throw new Error(`unexpected authentication result ${String((result satisfies never as { kind: string }).kind)}`);
    }
    const user = result.user;
    if (user.via === 'session' && !SAFE_METHODS.has(req.method) && !csrfMatches(req.headers[CSRF_HEADER], result.csrfToken)) {
      throw forbidden('Missing or wrong x-csrf-token header for a change made with a session cookie.');
    }
    if (access !== 'authenticated' && !roleAtLeast(user.role, access)) {
      throw forbidden(`This needs the ${access} role; ${user.name} is ${user.role}.`);
    }
    setRequestUser(req, user);
    return true;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function csrfMatches(presented: string | string[] | undefined, expected: string | undefined): boolean {
  if (typeof presented !== 'string' || expected === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Everyone when authentication is off (admin); an unauthenticated caller of a public route (viewer). */
export function anonymousUser(req: FastifyRequest, role: 'viewer' | 'admin'): RequestUser {
  return { name: 'anonymous', role, via: 'none', door: req.headers[CONSOLE_HEADER] === '1' ? 'console' : 'rest', source: req.ip };
}
