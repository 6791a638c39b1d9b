import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Prisma } from './generated/prisma/client.js';
import type { ChangeNotifier } from './prisma-registry-store.js';

export const REGISTRY_CHANNEL = 'weir_registry';

/**
 * LISTEN/NOTIFY between processes sharing one PostgreSQL registry. A write sends
 * `<schema> <origin> <zxid>` on commit (NOTIFY inside a transaction is delivered only if
 * it commits); every other process on the same schema hears it and catches up. The
 * notification is only a hint: the data is read from the tables, and the registry's
 * periodic sweep catches up too, so a lost notification delays watches, never loses them.
 * Owns one dedicated connection (LISTEN needs a connection outside the pool).
 */
export class PgChangeNotifier implements ChangeNotifier {
  private readonly origin = randomUUID();
  private readonly listeners: (() => void)[] = [];
  private closed = false;

  static async start(connectionString: string, schema: string, onError: (err: unknown) => void): Promise<PgChangeNotifier> {
    const client = new pg.Client({ connectionString });
    await client.connect();
    const notifier = new PgChangeNotifier(client, schema, onError);
    await client.query(`LISTEN ${REGISTRY_CHANNEL}`);
    return notifier;
  }

  private constructor(
    private readonly client: pg.Client,
    private readonly schema: string,
    onError: (err: unknown) => void,
  ) {
    client.on('notification', (msg) => {
      if (msg.channel !== REGISTRY_CHANNEL || msg.payload === undefined) return;
      const [schemaName, origin] = msg.payload.split(' ');
      if (schemaName !== this.schema || origin === this.origin) return;
      for (const listener of this.listeners) listener();
    });
    client.on('error', (err) => {
      if (!this.closed) onError(err);
    });
  }

  async notifyIn(tx: Prisma.TransactionClient, zxid: number): Promise<void> {
    const payload = `${this.schema} ${this.origin} ${zxid}`;
    await tx.$executeRaw`SELECT pg_notify(${REGISTRY_CHANNEL}, ${payload})`;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.end();
  }
}
