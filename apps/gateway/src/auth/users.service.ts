import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@weir/registry-prisma';
import { RestError } from '../errors/rest-error.js';
import { PRISMA } from '../registry/registry.module.js';
import { AUTH_ERROR_CODES } from './auth-errors.js';
import type { CreateUser, UpdateUser, UserView } from './auth-schemas.js';
import { CredentialCache } from './credential-cache.js';
import { passwordCredentials, verifySecret } from './password-hash.js';
import type { Role } from './request-user.js';

/** The columns of a user the gateway reads. */
export interface UserRow {
  id: number;
  name: string;
  role: string;
  passwordHash: string | null;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** The scrypt hash a missing user's password is checked against, so "no such user" takes as long as "wrong password". */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Users in the registry database: the REST/console identities and, by name, the Kafka SASL principals. */
@Injectable()
export class UsersService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly cache: CredentialCache,
  ) {}

  async list(): Promise<UserView[]> {
    return (await this.prisma.securityUser.findMany({ orderBy: { name: 'asc' } })).map(userView);
  }

  async get(name: string): Promise<UserView> {
    return userView(await this.row(name));
  }

  async row(name: string): Promise<UserRow> {
    const row = await this.prisma.securityUser.findUnique({ where: { name } });
    if (row === null) throw RestError.notFound(`User ${name} does not exist.`);
    return row;
  }

  async byId(id: number): Promise<UserRow | undefined> {
    return (await this.prisma.securityUser.findUnique({ where: { id } })) ?? undefined;
  }

  async create(user: CreateUser): Promise<UserView> {
    const credentials = user.password === undefined ? {} : await passwordCredentials(user.password);
    try {
      return userView(await this.prisma.securityUser.create({ data: { name: user.name, role: user.role, ...credentials } }));
    } catch (err) {
      if (isUniqueViolation(err)) throw new RestError(AUTH_ERROR_CODES.CONFLICT, `User ${user.name} already exists.`);
      throw err;
    }
  }

  async update(name: string, change: UpdateUser): Promise<{ before: UserView; after: UserView }> {
    const before = await this.row(name);
    if (before.role === 'admin' && (change.role !== undefined && change.role !== 'admin' || change.disabled === true)) await this.refuseLastAdmin(before);
    const credentials = change.password === undefined ? {} : await passwordCredentials(change.password);
    const after = await this.prisma.securityUser.update({
      where: { name },
      data: { ...(change.role !== undefined ? { role: change.role } : {}), ...(change.disabled !== undefined ? { disabled: change.disabled } : {}), ...credentials },
    });
    this.cache.forgetUser(name);
    return { before: userView(before), after: userView(after) };
  }

  async delete(name: string): Promise<UserView> {
    const row = await this.row(name);
    if (row.role === 'admin') await this.refuseLastAdmin(row);
    await this.prisma.securityUser.delete({ where: { name } });
    this.cache.forgetUser(name);
    return userView(row);
  }

  /** The user whose password this is, if enabled; undefined otherwise (after the same scrypt cost). */
  async verifyPassword(name: string, password: string): Promise<(UserRow & { role: Role }) | undefined> {
    const row = await this.prisma.securityUser.findUnique({ where: { name } });
    const ok = await verifySecret(password, row?.passwordHash ?? DUMMY_HASH);
    return ok && row !== null && !row.disabled ? (row as UserRow & { role: Role }) : undefined;
  }

  /** An admin who is the last enabled one cannot be deleted, demoted or disabled: nobody could administer users after. */
  private async refuseLastAdmin(user: UserRow): Promise<void> {
    const others = await this.prisma.securityUser.count({ where: { role: 'admin', disabled: false, NOT: { id: user.id } } });
    if (others === 0) throw new RestError(AUTH_ERROR_CODES.CONFLICT, `User ${user.name} is the last enabled admin.`);
  }
}

export function userView(row: UserRow): UserView {
  // Roles are written only through the schema, so a stored one is always a Role.
  return {
    name: row.name,
    role: row.role as Role,
    disabled: row.disabled,
    has_password: row.passwordHash !== null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/**
 * A unique-name conflict: Prisma's P2002, or PostgreSQL's 23505 in the message, which is
 * how an error through the PGlite driver adapter arrives.
 */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && ((err as { code?: unknown }).code === 'P2002' || /23505|unique constraint/i.test(err.message));
}
