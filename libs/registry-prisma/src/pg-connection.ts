import { RegistryError, StoreConflictError } from '@weir/broker-core';
import pg from 'pg';

/**
 * Bounds on every connection the registry opens to PostgreSQL. A path that silently drops
 * packets (a cut link, a partitioned host) raises no error for minutes (TCP keepalive and
 * retransmission give up only after ~15 min by default), so without them a registry write
 * would hang and the Registry's one write queue with it.
 */
export interface PgConnectionLimits {
  /** Connecting, and waiting for a free pooled connection; default 5,000 ms. */
  readonly connectTimeoutMs: number;
  /**
   * One query, from sending it to its last row (client side: the connection is then
   * destroyed, since its answer may still arrive); also the server's statement_timeout.
   * Default 10,000 ms.
   */
  readonly queryTimeoutMs: number;
}

export const DEFAULT_PG_LIMITS: PgConnectionLimits = { connectTimeoutMs: 5000, queryTimeoutMs: 10_000 };

/** Where the store reports connection trouble (one warning per outage, one info on recovery). */
export interface RegistryStoreLogger {
  warn(message: string): void;
  info(message: string): void;
}

export const CONSOLE_STORE_LOGGER: RegistryStoreLogger = {
  warn: (message) => console.warn(`registry store: ${message}`),
  info: (message) => console.info(`registry store: ${message}`),
};

export function pgConnectionConfig(connectionString: string, limits: PgConnectionLimits): pg.ClientConfig {
  return {
    connectionString,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    query_timeout: limits.queryTimeoutMs,
    statement_timeout: limits.queryTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/**
 * A pool whose connections are destroyed when a query times out. pg reports the timeout
 * but keeps the connection, still waiting for the lost answer, so every later query on it
 * would queue behind that one; destroyed, the pool drops it and opens a fresh one.
 */
export function boundedPool(connectionString: string, limits: PgConnectionLimits, max: number): pg.Pool {
  const pool = new pg.Pool({ ...pgConnectionConfig(connectionString, limits), max });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (err: unknown, res: unknown) => {
          if (isReadTimeout(err)) destroyClient(client);
          (last as (e: unknown, r: unknown) => void)(err, res);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((err: unknown) => {
          if (isReadTimeout(err)) destroyClient(client);
        });
      }
      return result;
    };
  });
  return pool;
}

function isReadTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === 'Query read timeout';
}

/** Ends a client at once, without waiting for the server (the path to it may be dead). */
export function destroyClient(client: pg.ClientBase): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

const CONNECTION_TROUBLE = [
  'Query read timeout',
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error',
  'canceling statement due to statement timeout',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'Transaction already closed',
  'Unable to start a transaction in the given time',
  'Transaction API error',
  "Can't reach database server",
  'Server has closed the connection',
];

/**
 * The error a store call reports: a failure to reach PostgreSQL (or to hear back in time)
 * becomes RegistryError CONNECTIONLOSS, as ZooKeeper reports it: the operation may or may
 * not have been applied. Everything else passes unchanged.
 */
export function asRegistryError(err: unknown): unknown {
  if (err instanceof RegistryError || err instanceof StoreConflictError) return err;
  const text = describe(err);
  if (!CONNECTION_TROUBLE.some((marker) => text.includes(marker))) return err;
  const error = new RegistryError('CONNECTIONLOSS', undefined, `PostgreSQL unreachable or not answering: ${firstLine(text)}`);
  (error as { cause?: unknown }).cause = err;
  return error;
}

function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    parts.push(e instanceof Error ? `${e.message} ${(e as { code?: unknown }).code ?? ''}` : String(e));
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join(' | ');
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
