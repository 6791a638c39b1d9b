import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * The few raw SQL calls made outside Prisma: applying migration scripts (many statements
 * per call, which Prisma's prepared statements cannot run) under PostgreSQL's session
 * advisory lock, which needs one dedicated connection.
 */
export interface SqlSession {
  /** Runs a script of one or more statements, without parameters. */
  exec(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export function pgliteSession(db: PGlite): SqlSession {
  return {
    exec: async (sql) => void (await db.exec(sql)),
    query: async <T extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) =>
      (await db.query<T>(sql, [...params])).rows,
  };
}

export function pgSession(client: pg.Client): SqlSession {
  return {
    exec: async (sql) => void (await client.query(sql)),
    query: async <T extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) =>
      (await client.query<T>(sql, [...params])).rows,
  };
}
