import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Registry, type RegistryOptions } from '@weir/broker-core';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { fileURLToPath } from 'node:url';
import { PrismaClient } from './generated/prisma/client.js';
import { applyMigrations, readMigrations } from './migrations.js';
import { PgChangeNotifier } from './pg-notifier.js';
import { PrismaRegistryStore } from './prisma-registry-store.js';
import { pgliteSession, pgSession } from './sql-session.js';
import { pgliteSnapshotLoader } from './pglite-snapshot.js';

/** prisma/migrations at the repository root (same depth from src/ and dist/). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

export type RegistryStoreOptions =
  | {
      /** Directory of the embedded PGlite database (created on first open, ~3 s). */
      readonly dataDir: string;
      readonly databaseUrl?: undefined;
      readonly migrationsDir?: string;
    }
  | {
      /** postgresql://... shared by every process of the cluster. */
      readonly databaseUrl: string;
      /** PostgreSQL schema holding the tables (created if missing); default "public". */
      readonly schema?: string;
      readonly migrationsDir?: string;
      readonly onError?: (err: unknown) => void;
    };

/**
 * Opens the registry's store: applies pending migrations, then returns a store over a
 * Prisma client with the matching driver adapter. The store owns every connection it
 * opened; closing it (or the Registry using it) releases them.
 */
export async function openRegistryStore(options: RegistryStoreOptions): Promise<PrismaRegistryStore> {
  const migrations = readMigrations(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  if (options.databaseUrl === undefined) {
    const db = new PGlite(options.dataDir);
    try {
      await db.waitReady;
      await applyMigrations(pgliteSession(db), migrations);
    } catch (err) {
      await db.close();
      throw err;
    }
    // The adapter is typed against its own copy of PGlite's declarations; the instance is the same API.
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db as never) });
    return new PrismaRegistryStore({ prisma, shared: false, loadSnapshot: pgliteSnapshotLoader(db, options.dataDir), release: () => db.close() });
  }

  const url = options.databaseUrl;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`DATABASE_URL must be a postgresql:// URL, got "${url.replace(/:[^:@/]*@/, ':***@')}"`);
  const schema = options.schema ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
  const onError = 'onError' in options && options.onError ? options.onError : (err: unknown) => console.error('registry store:', err);

  const migrator = new pg.Client({ connectionString: url });
  await migrator.connect();
  try {
    await applyMigrations(pgSession(migrator), migrations, `CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}";`);
  } finally {
    await migrator.end();
  }

  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', onError);
  let notifier: PgChangeNotifier | undefined;
  try {
    notifier = await PgChangeNotifier.start(url, schema, onError);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { schema }) });
  return new PrismaRegistryStore({ prisma, shared: true, notifier, schema, release: () => pool.end() });
}

/**
 * The one call the gateway makes: a Registry over PostgreSQL when `databaseUrl` is given
 * (DATABASE_URL), else over PGlite in `dataDir`.
 */
export async function openRegistry(
  options: RegistryStoreOptions & Omit<RegistryOptions, 'store'>,
): Promise<Registry> {
  const store = await openRegistryStore(options);
  try {
    return await Registry.open({ ...options, store });
  } catch (err) {
    await store.close();
    throw err;
  }
}
