import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Registry, type RegistryOptions } from '@weir/broker-core';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { fileURLToPath } from 'node:url';
import { PrismaClient } from './generated/prisma/client.js';
import { applyMigrations, readMigrations } from './migrations.js';
import { asRegistryError, boundedPool, CONSOLE_STORE_LOGGER, DEFAULT_PG_LIMITS, pgConnectionConfig, type RegistryStoreLogger } from './pg-connection.js';
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
      /** Connection trouble: one warning when change notifications are lost, one info when restored. Default: console. */
      readonly logger?: RegistryStoreLogger;
      /** Bound on connecting (and waiting for a pooled connection); default 5,000 ms. */
      readonly connectTimeoutMs?: number;
      /** Bound on one query; a write on a dead path fails with CONNECTIONLOSS after it. Default 10,000 ms. */
      readonly queryTimeoutMs?: number;
      /** How often the LISTEN connection is probed; default 2,000 ms. */
      readonly notifierPingIntervalMs?: number;
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

  const limits = {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_PG_LIMITS.connectTimeoutMs,
    queryTimeoutMs: options.queryTimeoutMs ?? DEFAULT_PG_LIMITS.queryTimeoutMs,
  };
  // Migrations may legitimately run long (and wait for another process's migration lock): only connecting is bounded.
  const migrator = new pg.Client({ ...pgConnectionConfig(url, limits), query_timeout: undefined, statement_timeout: undefined });
  await migrator.connect();
  try {
    await applyMigrations(pgSession(migrator), migrations, `CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}";`);
  } finally {
    await migrator.end();
  }

  const pool = boundedPool(url, limits, 4);
  // An idle pooled connection that dies is dropped by the pool and replaced on demand; the
  // next query that needs one reports the outage (the notifier warns about it once).
  pool.on('error', (err) => {
    if (asRegistryError(err) === err) onError(err);
  });
  let notifier: PgChangeNotifier | undefined;
  try {
    notifier = await PgChangeNotifier.start({
      connectionString: url, schema, limits, logger: options.logger ?? CONSOLE_STORE_LOGGER, pingIntervalMs: options.notifierPingIntervalMs,
    });
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
  return Registry.open({ ...options, store: await openRegistryStore(options) });
}
