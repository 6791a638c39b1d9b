import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '@weir/registry-prisma';
import { PRISMA } from '../registry/registry.module.js';
import { CredentialCache } from './credential-cache.js';
import type { Role } from './request-user.js';

export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
export const LOGIN_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A live console session and its user. */
export interface ResolvedSession {
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly name: string;
  readonly role: Role;
}

/** Tokens are 32 random bytes; the database keeps only their SHA-256, so its rows cannot be replayed as cookies. */
export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Console sessions (cookie token, CSRF token, 12 h) and one-time login links (24 h). */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly cache: CredentialCache,
  ) {}

  async create(userId: number, source: string, now: Date): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await this.prisma.securitySession.create({ data: { id: tokenId(token), userId, csrfToken, expiresAt, source } });
    return { token, csrfToken, expiresAt };
  }

  async resolve(token: string, now: Date): Promise<ResolvedSession | undefined> {
    const sessionId = tokenId(token);
    const row = await this.prisma.securitySession.findUnique({ where: { id: sessionId }, include: { user: true } });
    if (row === null) return undefined;
    if (row.expiresAt <= now) {
      await this.prisma.securitySession.deleteMany({ where: { id: sessionId } });
      return undefined;
    }
    if (row.user.disabled) return undefined;
    return { sessionId, csrfToken: row.csrfToken, expiresAt: row.expiresAt, name: row.user.name, role: row.user.role as Role };
  }

  async delete(sessionId: string): Promise<void> {
    await this.prisma.securitySession.deleteMany({ where: { id: sessionId } });
    this.cache.forgetSession(sessionId);
  }

  async createLoginLink(userId: number, now: Date): Promise<string> {
    const token = newToken();
    await this.prisma.securityLoginLink.create({ data: { id: tokenId(token), userId, expiresAt: new Date(now.getTime() + LOGIN_LINK_LIFETIME_MS) } });
    return token;
  }

  /** The link's user id if the link is unused and unexpired; marks it used in the same statement, so two tabs cannot both use it. */
  async redeemLoginLink(token: string, now: Date): Promise<number | undefined> {
    const id = tokenId(token);
    const claimed = await this.prisma.securityLoginLink.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) return undefined;
    return (await this.prisma.securityLoginLink.findUnique({ where: { id } }))?.userId;
  }
}
