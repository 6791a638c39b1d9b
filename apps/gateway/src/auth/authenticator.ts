import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiKeysService } from './api-keys.service.js';
import { SESSION_COOKIE, cookieValue } from './cookies.js';
import { type CachedIdentity, CredentialCache } from './credential-cache.js';
import { LoginLimiter } from './window-counter.js';
import type { RequestUser } from './request-user.js';
import { SessionsService, tokenId } from './sessions.service.js';
import { UsersService } from './users.service.js';

/** What a request's credentials came to. */
export type Authentication =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'limited'; readonly retryAfterS: number }
  | { readonly kind: 'ok'; readonly user: RequestUser; readonly csrfToken: string | undefined };

/** The parts of a request authentication reads: REST requests and the /live upgrade alike. */
export interface CredentialSource {
  readonly headers: IncomingHttpHeaders;
  /** The client's address. */
  readonly source: string;
  /** `?access_token=` of the /live upgrade, which a browser cannot give headers. */
  readonly accessToken?: string;
}

/**
 * Turns presented credentials into a user: `Authorization: Bearer <api key>`, then
 * `Authorization: Basic`, then the console's session cookie. A verified credential is
 * remembered in the CredentialCache, so only the first request of a minute pays scrypt.
 */
@Injectable()
export class Authenticator {
  readonly loginLimiter = new LoginLimiter();

  constructor(
    private readonly cache: CredentialCache,
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
    private readonly sessions: SessionsService,
  ) {}

  async authenticate(request: CredentialSource): Promise<Authentication> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const space = authorization.indexOf(' ');
      const scheme = authorization.slice(0, Math.max(space, 0)).toLowerCase();
      const value = authorization.slice(space + 1).trim();
      if (scheme === 'bearer') return this.byApiKey(value, request.source);
      if (scheme === 'basic') return this.byPassword(value, request.source);
      return { kind: 'invalid', message: 'Unsupported Authorization scheme: use Basic or Bearer.' };
    }
    if (request.accessToken !== undefined) return this.byApiKey(request.accessToken, request.source);
    const token = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (token !== undefined) return this.bySession(token, request.source);
    return { kind: 'none' };
  }

  private async byApiKey(key: string, source: string): Promise<Authentication> {
    const cacheKey = CredentialCache.keyOf('api-key', key);
    const now = new Date();
    const cached = this.cache.get(cacheKey, now.getTime());
    if (cached !== undefined) return ok(cached, source);
    const verified = await this.apiKeys.verify(key, now);
    if (verified === undefined) return { kind: 'invalid', message: 'Invalid, expired or revoked API key.' };
    const identity: CachedIdentity = { name: verified.name, role: verified.role, via: 'api-key', keyId: verified.keyId };
    this.cache.set(cacheKey, identity, now.getTime(), verified.expiresAt?.getTime());
    return ok(identity, source);
  }

  private async byPassword(encoded: string, source: string): Promise<Authentication> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { kind: 'invalid', message: 'Malformed Basic credentials.' };
    const name = decoded.slice(0, colon);
    const cacheKey = CredentialCache.keyOf('basic', decoded);
    const nowMs = Date.now();
    const cached = this.cache.get(cacheKey, nowMs);
    if (cached !== undefined) return ok(cached, source);
    // Basic is a password door as much as the login form: the same limit on guessing.
    const retryAfterS = this.loginLimiter.retryAfterS(source, name, nowMs);
    if (retryAfterS > 0) return { kind: 'limited', retryAfterS };
    const user = await this.users.verifyPassword(name, decoded.slice(colon + 1));
    if (user === undefined) {
      this.loginLimiter.recordFailure(source, name, nowMs);
      return { kind: 'invalid', message: 'Invalid user name or password.' };
    }
    const identity: CachedIdentity = { name: user.name, role: user.role, via: 'basic' };
    this.cache.set(cacheKey, identity, nowMs);
    return ok(identity, source);
  }

  private async bySession(token: string, source: string): Promise<Authentication> {
    const cacheKey = CredentialCache.keyOf('session', token);
    const now = new Date();
    const cached = this.cache.get(cacheKey, now.getTime());
    if (cached !== undefined) return ok(cached, source);
    const session = await this.sessions.resolve(token, now);
    if (session === undefined) return { kind: 'invalid', message: 'The session has ended; sign in again.' };
    const identity: CachedIdentity = { name: session.name, role: session.role, via: 'session', sessionId: tokenId(token), csrfToken: session.csrfToken };
    this.cache.set(cacheKey, identity, now.getTime(), session.expiresAt.getTime());
    return ok(identity, source);
  }
}

function ok(identity: CachedIdentity, source: string): Authentication {
  return {
    kind: 'ok',
    user: { name: identity.name, role: identity.role, via: identity.via, door: identity.via === 'session' ? 'console' : 'rest', source },
    csrfToken: identity.csrfToken,
  };
}
