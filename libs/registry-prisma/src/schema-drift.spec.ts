import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, openRegistryStore, readMigrations, pgliteSession } from './index.js';
import { createPgTestSchema, tempDir, TEST_DATABASE_URL, type PgTestSchema } from './testing/test-databases.js';

/** Every model, written with every field set and read back through the generated client. */
async function roundTripEveryModel(prisma: PrismaClient): Promise<void> {
  const znode = {
    path: '/drift/x', parent: '/drift', data: new Uint8Array([0, 1, 255]), version: 7, cversion: 3,
    czxid: 2n ** 40n, mzxid: 2n ** 41n, pzxid: 2n ** 42n, ctime: 1_795_000_000_000n, mtime: 1_795_000_000_001n, ephemeralOwner: 99n,
  };
  await prisma.registryZnode.create({ data: znode });
  expect(await prisma.registryZnode.findUnique({ where: { path: znode.path } })).toEqual(znode);
  await prisma.registryZnode.delete({ where: { path: znode.path } });

  const session = await prisma.registrySession.create({ data: { timeoutMs: 6000, expiresAt: 2n ** 45n, createdAt: 2n ** 44n } });
  expect(await prisma.registrySession.findUnique({ where: { id: session.id } })).toEqual({ id: session.id, timeoutMs: 6000, expiresAt: 2n ** 45n, createdAt: 2n ** 44n });
  await prisma.registrySession.delete({ where: { id: session.id } });

  expect(await prisma.registryMeta.findUnique({ where: { id: 1 } })).toEqual({ id: 1, zxid: 0n });
  await prisma.registryMeta.create({ data: { id: 2, zxid: 5n } });
  expect(await prisma.registryMeta.findUnique({ where: { id: 2 } })).toEqual({ id: 2, zxid: 5n });
  await prisma.registryMeta.delete({ where: { id: 2 } });

  const at = new Date('2026-12-01T10:00:00.123Z');
  const user = { id: 7, name: 'drift', role: 'operator', passwordHash: 'scrypt$x', scramSha256: 'a$4096$b$c', scramSha512: 'd$4096$e$f', disabled: true, createdAt: at, updatedAt: at };
  await prisma.securityUser.create({ data: user });
  expect(await prisma.securityUser.findUnique({ where: { name: 'drift' } })).toEqual({ ...user, updatedAt: expect.any(Date) });
  const key = { id: 'k1', userId: 7, name: 'ci', secretHash: 'scrypt$y', createdAt: at, lastUsedAt: at, expiresAt: at };
  await prisma.securityApiKey.create({ data: key });
  expect(await prisma.securityApiKey.findUnique({ where: { id: 'k1' } })).toEqual(key);
  const consoleSession = { id: 's1', userId: 7, csrfToken: 'c', createdAt: at, expiresAt: at, source: '127.0.0.1' };
  await prisma.securitySession.create({ data: consoleSession });
  expect(await prisma.securitySession.findUnique({ where: { id: 's1' } })).toEqual(consoleSession);
  const link = { id: 'l1', userId: 7, expiresAt: at, usedAt: at };
  await prisma.securityLoginLink.create({ data: link });
  expect(await prisma.securityLoginLink.findUnique({ where: { id: 'l1' } })).toEqual(link);
  await prisma.securityUser.delete({ where: { id: 7 } });
  expect(await prisma.securityApiKey.count()).toBe(0);

  const entry = { time: at, actor: 'drift', door: 'rest', source: '127.0.0.1', action: 'topic.create', resource: 'topic:t', before: { a: 1 }, after: [1, 'x'], result: 'failure', error: 'no' };
  const created = await prisma.auditEntry.create({ data: entry });
  expect(await prisma.auditEntry.findUnique({ where: { id: created.id } })).toEqual({ ...entry, id: created.id });
  await prisma.auditEntry.delete({ where: { id: created.id } });
}

const migrationFiles = readMigrations(DEFAULT_MIGRATIONS_DIR).map(({ name }) => {
  const bytes = readFileSync(join(DEFAULT_MIGRATIONS_DIR, name, 'migration.sql'));
  return { migration_name: name, checksum: createHash('sha256').update(bytes).digest('hex') };
});

describe('migrated PGlite database matches schema.prisma', () => {
  const dir = tempDir('weir-registry-drift');
  let db: PGlite;
  afterAll(async () => {
    await db?.close();
    dir.remove();
  });

  it('applies migrations once, records them as Prisma does, and round-trips every model', async () => {
    db = new PGlite(dir.path);
    const session = pgliteSession(db);
    const migrations = readMigrations(DEFAULT_MIGRATIONS_DIR);
    expect(await applyMigrations(session, migrations)).toEqual(migrations.map((m) => m.name));
    expect(await applyMigrations(session, migrations)).toEqual([]);
    const rows = await session.query<{ migration_name: string; checksum: string; applied_steps_count: number; finished_at: unknown }>(
      'SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations"',
    );
    expect(rows.map(({ migration_name, checksum }) => ({ migration_name, checksum }))).toEqual(migrationFiles);
    for (const row of rows) {
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at).not.toBeNull();
    }

    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db as never) });
    try {
      await roundTripEveryModel(prisma);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('refuses to start when an applied migration was edited', async () => {
    const edited = readMigrations(DEFAULT_MIGRATIONS_DIR).map((m) => ({ ...m, checksum: '0'.repeat(64) }));
    await expect(applyMigrations(pgliteSession(db), edited)).rejects.toThrow(/was modified after it was applied/);
  });
});

const describePg = TEST_DATABASE_URL === undefined ? describe.skip : describe;

describePg('migrated PostgreSQL database matches schema.prisma', () => {
  let schema: PgTestSchema;
  beforeAll(async () => {
    schema = await createPgTestSchema('w2_drift');
  });
  afterAll(async () => {
    await schema?.drop();
  });

  it('lets concurrent openers apply each migration exactly once, then round-trips every model', async () => {
    const stores = await Promise.all([1, 2, 3].map(() => openRegistryStore({ databaseUrl: schema.url, schema: schema.schema })));
    await Promise.all(stores.map((s) => s.close()));
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT migration_name, checksum FROM "${schema.schema}"."_prisma_migrations" ORDER BY migration_name`);
      expect(rows).toEqual(migrationFiles);
    } finally {
      await client.end();
    }
    const pool = new pg.Pool({ connectionString: schema.url, max: 1 });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { schema: schema.schema }) });
    try {
      await roundTripEveryModel(prisma);
    } finally {
      await prisma.$disconnect();
      await pool.end();
    }
  });
});
