import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server the multi-process cluster suites share their registry through:
 * TEST_DATABASE_URL's server when set (CI sets it when PostgreSQL answers), else the
 * local one with trust auth. Only the server is taken from it: each run gets a database
 * of its own.
 */
export function clusterServerUrl(): string {
  const fromEnv = process.env.TEST_DATABASE_URL;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/** A partition's state znode (Kafka's /brokers/topics/<t>/partitions/<p>/state) as stored. */
export interface StoredPartitionState {
  readonly topic: string;
  readonly partition: number;
  readonly controllerEpoch: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  /** The registry transaction that wrote it (registry_znode.mzxid). */
  readonly zxid: bigint;
}

const STATE_PATH = /^\/brokers\/topics\/([^/]+)\/partitions\/(\d+)\/state$/;
const STATE_LIKE = '/brokers/topics/%/partitions/%/state';
/** Test-only objects added to a run's database; the registry never reads them. */
const HISTORY_TABLE = 'weir_test_state_history';

/**
 * A fresh database for one cluster run (`<prefix>_<random>` on the cluster server), and
 * read access to the registry the brokers keep in it, for assertions REST cannot make.
 *
 * Reads follow docs/registry.md: one row per znode in `registry_znode` (path, data as
 * Kafka's JSON, mzxid = the zxid of the last write), the last zxid in `registry_meta`.
 * `recordStateHistory()` adds a trigger that copies every write of a partition state
 * znode into a side table, so a test sees each write, not only the last one per row
 * (the registry overwrites rows in place). Not safe for concurrent use by several
 * callers beyond what one pg.Client allows (queries are queued).
 */
export class ClusterDatabase {
  private client: pg.Client | undefined;

  private constructor(
    readonly name: string,
    /** postgresql://... of this database, for the brokers' DATABASE_URL. */
    readonly url: string,
    private readonly serverUrl: string,
  ) {}

  static async create(prefix: string): Promise<ClusterDatabase> {
    if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`database prefix must be lower-case letters, digits and _: ${prefix}`);
    const serverUrl = clusterServerUrl();
    const name = `${prefix}_${randomBytes(4).toString('hex')}`;
    await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return new ClusterDatabase(name, url.toString(), serverUrl);
  }

  /** The registry's last zxid: every write after this moment has a larger one. */
  async zxid(): Promise<bigint> {
    const { rows } = await this.query<{ zxid: string }>('SELECT zxid::text AS zxid FROM registry_meta WHERE id = 1');
    return rows.length === 0 ? 0n : BigInt(rows[0]!.zxid);
  }

  /** /controller_epoch (0 before the first controller). */
  async controllerEpoch(): Promise<number> {
    const { rows } = await this.query<{ data: Buffer }>(`SELECT data FROM registry_znode WHERE path = '/controller_epoch'`);
    return rows.length === 0 ? 0 : Number(rows[0]!.data.toString('utf8'));
  }

  /** Every partition state znode as it is now. */
  async partitionStates(): Promise<StoredPartitionState[]> {
    const { rows } = await this.query<{ path: string; data: Buffer; zxid: string }>('SELECT path, data, mzxid::text AS zxid FROM registry_znode WHERE path LIKE $1 ORDER BY path', [STATE_LIKE]);
    return rows.map((r) => parseState(r.path, r.data, BigInt(r.zxid)));
  }

  /**
   * From now on, every insert or update of a partition state znode is also appended to a
   * side table (in the writing transaction, so in commit order of zxid per row).
   */
  async recordStateHistory(): Promise<void> {
    await this.query(`
      CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (seq BIGSERIAL PRIMARY KEY, path TEXT NOT NULL, data BYTEA NOT NULL, zxid BIGINT NOT NULL);
      CREATE OR REPLACE FUNCTION ${HISTORY_TABLE}_copy() RETURNS trigger AS $$
      BEGIN
        INSERT INTO ${HISTORY_TABLE} (path, data, zxid) VALUES (NEW.path, NEW.data, NEW.mzxid);
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      DROP TRIGGER IF EXISTS ${HISTORY_TABLE}_trigger ON registry_znode;
      CREATE TRIGGER ${HISTORY_TABLE}_trigger AFTER INSERT OR UPDATE ON registry_znode
        FOR EACH ROW WHEN (NEW.path LIKE '${STATE_LIKE}') EXECUTE FUNCTION ${HISTORY_TABLE}_copy();
    `);
  }

  /** Every partition state write recorded since `recordStateHistory()`, in zxid order. */
  async stateHistory(): Promise<StoredPartitionState[]> {
    const { rows } = await this.query<{ path: string; data: Buffer; zxid: string }>(`SELECT path, data, zxid::text AS zxid FROM ${HISTORY_TABLE} ORDER BY zxid, seq`);
    return rows.map((r) => parseState(r.path, r.data, BigInt(r.zxid)));
  }

  /** Closes this helper's connection and drops the database (brokers must be gone; FORCE ends stray sessions). */
  async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await withClient(this.serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`));
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.client === undefined) {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
      client.on('error', () => undefined);
      await client.connect();
      this.client = client;
    }
    return this.client.query<R>(sql, params);
  }
}

function parseState(path: string, data: Buffer, zxid: bigint): StoredPartitionState {
  const match = STATE_PATH.exec(path);
  if (match === null) throw new Error(`not a partition state path: ${path}`);
  const o = JSON.parse(data.toString('utf8')) as { controller_epoch: number; leader: number; leader_epoch: number; isr: number[] };
  return { topic: match[1]!, partition: Number(match[2]), controllerEpoch: o.controller_epoch, leader: o.leader, leaderEpoch: o.leader_epoch, isr: o.isr, zxid };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`the cluster suites need PostgreSQL (TEST_DATABASE_URL, else 127.0.0.1:5432): ${(err as Error).message}`, { cause: err });
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
