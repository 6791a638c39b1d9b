import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Prisma } from './generated/prisma/client.js';
import type { ChangeNotifier } from './prisma-registry-store.js';
import { destroyClient as destroy, pgConnectionConfig, type PgConnectionLimits, type RegistryStoreLogger } from './pg-connection.js';

export const REGISTRY_CHANNEL = 'weir_registry';

export interface PgChangeNotifierOptions {
  readonly connectionString: string;
  readonly schema: string;
  readonly limits: PgConnectionLimits;
  readonly logger: RegistryStoreLogger;
  /** How often the listening connection is probed (a dead TCP path sends no error by itself); default 2,000 ms. */
  readonly pingIntervalMs?: number;
}

const DEFAULT_PING_INTERVAL_MS = 2000;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/**
 * LISTEN/NOTIFY between processes sharing one PostgreSQL registry. A write sends
 * `<schema> <origin> <zxid>` on commit (NOTIFY inside a transaction is delivered only if
 * it commits); every other process on the same schema hears it and catches up. The
 * notification is only a hint: the data is read from the tables, and the registry's
 * periodic sweep catches up too, so a lost notification delays watches, never loses them.
 *
 * Owns one dedicated connection (LISTEN needs a connection outside the pool), probed every
 * `pingIntervalMs` with a bounded query, since a path that silently drops packets never
 * raises an error. When the connection is lost (error, end, or a probe that got no answer
 * in time) it is destroyed and opened again with a doubling backoff (100 ms to 5 s); once
 * LISTEN runs again the listeners fire once, because notifications sent meanwhile were
 * missed. One warning per outage, one info line on recovery. Timers are the notifier's
 * own and cancelled by close().
 */
export class PgChangeNotifier implements ChangeNotifier {
  private readonly origin = randomUUID();
  private readonly listeners: (() => void)[] = [];
  private client: pg.Client | undefined;
  private lostAtMs: number | undefined;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly pingTimer: NodeJS.Timeout;
  private pinging = false;
  private closed = false;

  static async start(options: PgChangeNotifierOptions): Promise<PgChangeNotifier> {
    const notifier = new PgChangeNotifier(options);
    try {
      await notifier.connect();
    } catch (err) {
      await notifier.close();
      throw err;
    }
    return notifier;
  }

  private constructor(private readonly options: PgChangeNotifierOptions) {
    this.pingTimer = setInterval(() => this.ping(), options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  /** True while the listening connection is up and LISTENing. */
  get listening(): boolean {
    return this.client !== undefined && this.lostAtMs === undefined;
  }

  async notifyIn(tx: Prisma.TransactionClient, zxid: number): Promise<void> {
    const payload = `${this.options.schema} ${this.origin} ${zxid}`;
    await tx.$executeRaw`SELECT pg_notify(${REGISTRY_CHANNEL}, ${payload})`;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    clearInterval(this.pingTimer);
    clearTimeout(this.retryTimer);
    // end() would wait for the server's goodbye, forever on a dead path: the socket is
    // destroyed instead (the server ends the backend when it sees the connection go).
    if (this.client !== undefined) destroy(this.client);
    this.client = undefined;
    return Promise.resolve();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(pgConnectionConfig(this.options.connectionString, this.options.limits));
    client.on('notification', (msg) => {
      if (msg.channel !== REGISTRY_CHANNEL || msg.payload === undefined) return;
      const [schemaName, origin] = msg.payload.split(' ');
      if (schemaName !== this.options.schema || origin === this.origin) return;
      this.fire();
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${REGISTRY_CHANNEL}`);
    } catch (err) {
      destroy(client);
      throw err;
    }
    if (this.closed) {
      destroy(client);
      return;
    }
    this.client = client;
  }

  private ping(): void {
    const client = this.client;
    if (this.closed || client === undefined || this.lostAtMs !== undefined || this.pinging) return;
    this.pinging = true;
    client
      .query('SELECT 1')
      .catch((err: unknown) => this.lost(client, err))
      .finally(() => (this.pinging = false));
  }

  private lost(client: pg.Client, err: unknown): void {
    if (this.closed || client !== this.client || this.lostAtMs !== undefined) return;
    this.lostAtMs = Date.now();
    this.options.logger.warn(`registry change notifications lost (${(err as Error)?.message ?? String(err)}); reconnecting`);
    destroy(client);
    this.retryMs = FIRST_RETRY_MS;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.connect().then(
        () => {
          if (this.closed) return;
          this.options.logger.info(`registry change notifications restored after ${Date.now() - this.lostAtMs!} ms; catching up`);
          this.lostAtMs = undefined;
          this.fire();
        },
        () => {
          this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}

