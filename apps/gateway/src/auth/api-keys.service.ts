import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@weir/registry-prisma';
import { RestError } from '../errors/rest-error.js';
import { PRISMA } from '../registry/registry.module.js';
import type { ApiKeyView, CreateApiKey } from './auth-schemas.js';
import { CredentialCache } from './credential-cache.js';
import { hashSecret, verifySecret } from './password-hash.js';
import type { Role } from './request-user.js';
import { UsersService } from './users.service.js';

/** `wk_` + 16 hex: the public half of a key, shown in lists and the audit log. */
const KEY_ID = /^wk_[0-9a-f]{16}$/;
/** How often at most a key's last_used_at is written (it is a hint, not an audit record). */
const LAST_USED_RESOLUTION_MS = 60_000;

/** A key that checked out: its id and the enabled user it belongs to. */
export interface VerifiedKey {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  readonly expiresAt: Date | null;
}

/**
 * API keys: `<id>.<secret>`, the secret 32 random bytes (base64url) of which only a scrypt
 * hash is stored, so a database dump does not give keys away.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly users: UsersService,
    private readonly cache: CredentialCache,
  ) {}

  async list(userName: string): Promise<ApiKeyView[]> {
    const user = await this.users.row(userName);
    const keys = await this.prisma.securityApiKey.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'asc' } });
    return keys.map(apiKeyView);
  }

  async create(userName: string, request: CreateApiKey): Promise<ApiKeyView & { key: string }> {
    const user = await this.users.row(userName);
    return this.createFor(user.id, request.name, request.expires_at === undefined ? null : new Date(request.expires_at));
  }

  /** Creates a key for a user id (the first-start admin's too). */
  async createFor(userId: number, name: string, expiresAt: Date | null): Promise<ApiKeyView & { key: string }> {
    const id = `wk_${randomBytes(8).toString('hex')}`;
    const secret = randomBytes(32).toString('base64url');
    const row = await this.prisma.securityApiKey.create({ data: { id, userId, name, secretHash: await hashSecret(secret), expiresAt } });
    return { ...apiKeyView(row), key: `${id}.${secret}` };
  }

  async delete(userName: string, keyId: string): Promise<ApiKeyView> {
    const user = await this.users.row(userName);
    const row = await this.prisma.securityApiKey.findUnique({ where: { id: keyId } });
    if (row === null || row.userId !== user.id) throw RestError.notFound(`API key ${keyId} of user ${userName} does not exist.`);
    await this.prisma.securityApiKey.delete({ where: { id: keyId } });
    this.cache.forgetKey(keyId);
    return apiKeyView(row);
  }

  /** The key's owner if the key is well formed, known, unexpired, right, and its user enabled. */
  async verify(key: string, now: Date): Promise<VerifiedKey | undefined> {
    const dot = key.indexOf('.');
    const id = key.slice(0, dot);
    if (dot < 0 || !KEY_ID.test(id)) return undefined;
    const row = await this.prisma.securityApiKey.findUnique({ where: { id }, include: { user: true } });
    if (row === null || row.user.disabled || (row.expiresAt !== null && row.expiresAt <= now)) return undefined;
    if (!(await verifySecret(key.slice(dot + 1), row.secretHash))) return undefined;
    if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // A hint for the key list; a failed write must not fail the request.
      this.prisma.securityApiKey.updateMany({ where: { id }, data: { lastUsedAt: now } }).catch(() => undefined);
    }
    return { keyId: id, name: row.user.name, role: row.user.role as Role, expiresAt: row.expiresAt };
  }
}

function apiKeyView(row: { id: string; name: string; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null }): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt?.toISOString() ?? null,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  };
}
