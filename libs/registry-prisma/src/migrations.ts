import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlSession } from './sql-session.js';

/** One migration in Prisma's layout: prisma/migrations/<timestamp>_<name>/migration.sql. */
export interface MigrationFile {
  readonly name: string;
  readonly sql: string;
  /** sha256 hex of the file, as Prisma records it. */
  readonly checksum: string;
}

/** The key `prisma migrate` locks too, so our runner and Prisma's never overlap. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// The table exactly as Prisma's migration engine creates it.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new Error(`migrations directory ${dir} does not exist`);
  return readdirSync(dir)
    .filter((entry) => statSync(join(dir, entry)).isDirectory() && existsSync(join(dir, entry, 'migration.sql')))
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

interface AppliedRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/**
 * Applies pending migrations in name order and records each in `_prisma_migrations`
 * with Prisma's columns, so `prisma migrate deploy` later sees them as applied. Each
 * migration runs in its own transaction (PostgreSQL DDL is transactional): a failure
 * leaves no trace and stops start-up with the migration's name. Concurrent openers
 * serialise on Prisma's advisory lock; the later one finds nothing left to do.
 * `setupSql` (e.g. creating and selecting the schema) runs first, under the lock.
 * Returns the names applied now.
 */
export async function applyMigrations(session: SqlSession, migrations: readonly MigrationFile[], setupSql?: string): Promise<string[]> {
  await session.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  try {
    // Under the lock: even CREATE SCHEMA IF NOT EXISTS races with itself in PostgreSQL.
    if (setupSql !== undefined) await session.exec(setupSql);
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const applied = new Map<string, AppliedRow>();
    for (const row of rows) {
      if (row.rolled_back_at !== null) continue;
      if (row.finished_at === null) {
        throw new Error(`migration ${row.migration_name} is recorded as failed; resolve it with \`prisma migrate resolve\` before starting`);
      }
      applied.set(row.migration_name, row);
    }
    const done: string[] = [];
    for (const migration of migrations) {
      const previous = applied.get(migration.name);
      if (previous !== undefined) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(`migration ${migration.name} was modified after it was applied (checksum ${previous.checksum} in the database, ${migration.checksum} on disk)`);
        }
        continue;
      }
      await session.exec('BEGIN');
      try {
        const id = randomUUID();
        await session.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, migration.checksum, migration.name],
        );
        await session.exec(migration.sql);
        await session.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await session.exec('COMMIT');
      } catch (err) {
        await session.exec('ROLLBACK');
        throw new Error(`migration ${migration.name} failed: ${(err as Error).message}`, { cause: err });
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  }
}
