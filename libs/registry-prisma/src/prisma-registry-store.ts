import {
  parentOf,
  RegistryError,
  StoreConflictError,
  type Mutation,
  type RegistryStore,
  type RemoteChanges,
  type StoreSnapshot,
  type WriteContext,
} from '@weir/broker-core';
import { Prisma, type PrismaClient } from './generated/prisma/client.js';
import { asRegistryError } from './pg-connection.js';
import { recordFromRow, rowFromRecord } from './records.js';

/** Publishes "something changed" to other processes inside a write transaction, and hears theirs. */
export interface ChangeNotifier {
  notifyIn(tx: Prisma.TransactionClient, zxid: number): Promise<void>;
  onChange(listener: () => void): void;
  close(): Promise<void>;
}

export interface PrismaRegistryStoreOptions {
  readonly prisma: PrismaClient;
  /** True for PostgreSQL shared by several processes; false for an embedded PGlite. */
  readonly shared: boolean;
  readonly notifier?: ChangeNotifier;
  /** Schema holding the tables (bulk inserts name it explicitly); default "public". */
  readonly schema?: string;
  /** Reads the whole registry without Prisma (embedded PGlite: see pglite-snapshot.ts); Prisma's findMany otherwise. */
  readonly loadSnapshot?: () => Promise<StoreSnapshot>;
  /** Releases what the factory opened (driver pools, the PGlite instance). */
  readonly release?: () => Promise<void>;
}

const TX_OPTIONS = { maxWait: 30_000, timeout: 60_000 } as const;

/**
 * RegistryStore over Prisma (PGlite or PostgreSQL through driver adapters).
 *
 * Tables: registry_znode (one row per znode), registry_session (leases), registry_meta
 * (one row holding the last zxid). Every write transaction starts by incrementing
 * registry_meta.zxid: the row lock it takes serialises writers of all processes until
 * commit, so zxids commit in order and "changes since zxid N" is a consistent query.
 * Every row the mutation touches is written with a WHERE on the version/cversion it was
 * planned against; a row count other than one aborts the transaction (compare-and-set
 * enforced by the database). Called by one Registry, one write at a time.
 */
export class PrismaRegistryStore implements RegistryStore {
  readonly shared: boolean;
  private readonly prisma: PrismaClient;
  private readonly znodeTable: Prisma.Sql;
  private readonly sessionTable: Prisma.Sql;
  private closed = false;

  constructor(private readonly options: PrismaRegistryStoreOptions) {
    this.prisma = options.prisma;
    this.shared = options.shared;
    this.znodeTable = Prisma.raw(`"${options.schema ?? 'public'}"."registry_znode"`);
    this.sessionTable = Prisma.raw(`"${options.schema ?? 'public'}"."registry_session"`);
  }

  /**
   * The Prisma client over the same database, for the gateway's other tables (users,
   * API keys, sessions, audit log). Closed with the store.
   */
  get client(): PrismaClient {
    return this.prisma;
  }

  load(): Promise<StoreSnapshot> {
    if (this.options.loadSnapshot !== undefined) return this.options.loadSnapshot();
    return reported(this.prisma.$transaction(
      async (tx) => {
        const meta = await tx.registryMeta.findUniqueOrThrow({ where: { id: 1 } });
        const rows = await tx.registryZnode.findMany();
        return { zxid: Number(meta.zxid), nodes: rows.map(recordFromRow) };
      },
      { ...TX_OPTIONS, isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    ));
  }

  /**
   * A CONNECTIONLOSS from here may follow a commit whose answer was lost: the Registry
   * leaves memory as it was, and the next write or catch-up reads the change back (under
   * the write lock, as a change committed since its zxid).
   */
  write<T>(sinceZxid: number, plan: (ctx: WriteContext) => { mutation: Mutation; result: T }): Promise<T> {
    return reported(this.prisma.$transaction(async (tx) => {
      const meta = await tx.registryMeta.update({ where: { id: 1 }, data: { zxid: { increment: 1 } } });
      const zxid = Number(meta.zxid);
      const remote = zxid - 1 > sinceZxid ? await readChangesIn(tx, sinceZxid, zxid - 1) : undefined;
      const { mutation, result } = plan({ zxid, remote });
      await applyMutation(tx, mutation, this.znodeTable);
      await this.options.notifier?.notifyIn(tx, zxid);
      return result;
    }, TX_OPTIONS));
  }

  async readChanges(sinceZxid: number): Promise<RemoteChanges | undefined> {
    if (!this.shared) return undefined;
    return reported(this.prisma.$transaction(
      async (tx) => {
        const meta = await tx.registryMeta.findUniqueOrThrow({ where: { id: 1 } });
        const zxid = Number(meta.zxid);
        return zxid > sinceZxid ? readChangesIn(tx, sinceZxid, zxid) : undefined;
      },
      { ...TX_OPTIONS, isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    ));
  }

  async createSession(timeoutMs: number, nowMs: number): Promise<number> {
    const row = await reported(this.prisma.registrySession.create({
      data: { timeoutMs, expiresAt: BigInt(nowMs + timeoutMs), createdAt: BigInt(nowMs) },
    }));
    return Number(row.id);
  }

  /**
   * Renews the lease while its row exists, even if its time ran out: a session is over
   * only once a sweeper deleted it (ZooKeeper's rule: a session expires when the ensemble
   * says so, not by the client's clock). After an outage of the database every lease has
   * run out and the Registries wait a session timeout before expiring anyone, so the
   * brokers that are alive get to renew. One statement: a sweeper deleting the row
   * concurrently either wins (0 rows) or finds the lease renewed and keeps it.
   */
  async renewSession(id: number, nowMs: number): Promise<boolean> {
    const count = await reported(this.prisma.$executeRaw`
      UPDATE ${this.sessionTable} SET expires_at = ${BigInt(nowMs)}::bigint + timeout_ms WHERE id = ${BigInt(id)}::bigint`);
    return count === 1;
  }

  async expiredSessions(nowMs: number): Promise<number[]> {
    const rows = await reported(this.prisma.registrySession.findMany({ where: { expiresAt: { lte: BigInt(nowMs) } }, select: { id: true } }));
    return rows.map((r) => Number(r.id));
  }

  onRemoteChange(listener: () => void): void {
    this.options.notifier?.onChange(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.options.notifier?.close();
    await this.prisma.$disconnect();
    await this.options.release?.();
  }
}

/** The store call's result, with a lost or silent database reported as RegistryError CONNECTIONLOSS. */
async function reported<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw asRegistryError(err);
  }
}

/**
 * What committed in (sinceZxid, uptoZxid]: rows created or changed (mzxid), and rows whose
 * children changed (pzxid) with their current child lists, from which deletions follow.
 */
async function readChangesIn(tx: Prisma.TransactionClient, sinceZxid: number, uptoZxid: number): Promise<RemoteChanges> {
  const since = BigInt(sinceZxid);
  const rows = await tx.registryZnode.findMany({ where: { OR: [{ mzxid: { gt: since } }, { pzxid: { gt: since } }] } });
  const parents = rows.filter((r) => r.pzxid > since).map((r) => r.path);
  const children = new Map<string, string[]>(parents.map((p) => [p, []]));
  if (parents.length > 0) {
    const kids = await tx.registryZnode.findMany({ where: { parent: { in: parents } }, select: { path: true, parent: true } });
    for (const kid of kids) children.get(kid.parent)?.push(kid.path);
  }
  return { zxid: uptoZxid, upserts: rows.map(recordFromRow), children };
}

/** Above this many rows, inserts go as one JSON parameter: Prisma's createMany binds 11 parameters per row and costs ~0.35 ms a row. */
const BULK_INSERT_ROWS = 16;

async function applyMutation(tx: Prisma.TransactionClient, m: Mutation, znodeTable: Prisma.Sql): Promise<void> {
  for (const d of m.deletes) {
    const { count } = await tx.registryZnode.deleteMany({ where: { path: d.path, version: d.expectVersion, cversion: d.expectCversion } });
    if (count !== 1) throw new StoreConflictError('stale', `delete ${d.path} at version ${d.expectVersion}/${d.expectCversion}`);
  }
  if (m.inserts.length > 0) {
    try {
      if (m.inserts.length <= BULK_INSERT_ROWS) {
        await tx.registryZnode.createMany({ data: m.inserts.map((r) => rowFromRecord(r, parentOf(r.path))) });
      } else {
        await bulkInsert(tx, znodeTable, m.inserts);
      }
    } catch (err) {
      if (isUniqueViolation(err)) throw new StoreConflictError('stale', 'insert of an existing node');
      throw err;
    }
  }
  for (const u of m.updates) {
    const { path: _path, parent: _parent, ...fields } = rowFromRecord(u.record, parentOf(u.record.path));
    const { count } = await tx.registryZnode.updateMany({
      where: { path: u.record.path, version: u.expectVersion, cversion: u.expectCversion },
      data: fields,
    });
    if (count !== 1) throw new StoreConflictError('stale', `update ${u.record.path} at version ${u.expectVersion}/${u.expectCversion}`);
  }
  for (const c of m.checks) {
    const found = await tx.registryZnode.count({ where: c.version === -1 ? { path: c.path } : { path: c.path, version: c.version } });
    if (found !== 1) throw new StoreConflictError('stale', `check ${c.path} at version ${c.version}`);
  }
  if (m.liveSessions.length > 0) {
    const alive = await tx.registrySession.count({
      where: { id: { in: m.liveSessions.map((id) => BigInt(id)) }, expiresAt: { gt: BigInt(m.nowMs) } },
    });
    if (alive !== m.liveSessions.length) throw new RegistryError('SESSIONEXPIRED', undefined, `session ${m.liveSessions.join(', ')} is not alive`);
  }
  for (const s of m.endSessions) {
    const where = s.ifExpiredAtMs === undefined ? { id: BigInt(s.id) } : { id: BigInt(s.id), expiresAt: { lte: BigInt(s.ifExpiredAtMs) } };
    const { count } = await tx.registrySession.deleteMany({ where });
    if (s.ifExpiredAtMs !== undefined && count !== 1) throw new StoreConflictError('session-renewed', `session ${s.id}`);
    const left = await tx.registryZnode.count({ where: { ephemeralOwner: BigInt(s.id) } });
    if (left !== 0) throw new StoreConflictError('stale', `session ${s.id} still owns ${left} ephemeral node(s)`);
  }
}

async function bulkInsert(tx: Prisma.TransactionClient, znodeTable: Prisma.Sql, records: Mutation['inserts']): Promise<void> {
  const rows = records.map((r) => ({
    path: r.path, parent: parentOf(r.path), data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).toString('hex'),
    version: r.version, cversion: r.cversion, czxid: r.czxid, mzxid: r.mzxid, pzxid: r.pzxid, ctime: r.ctime, mtime: r.mtime,
    ephemeral_owner: r.ephemeralOwner,
  }));
  await tx.$executeRaw`
    INSERT INTO ${znodeTable} (path, parent, data, version, cversion, czxid, mzxid, pzxid, ctime, mtime, ephemeral_owner)
    SELECT path, parent, decode(data, 'hex'), version, cversion, czxid, mzxid, pzxid, ctime, mtime, ephemeral_owner
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(path text, parent text, data text, version int, cversion int,
      czxid bigint, mzxid bigint, pzxid bigint, ctime bigint, mtime bigint, ephemeral_owner bigint)`;
}

function isUniqueViolation(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    return err.code === 'P2002' || (err.code === 'P2010' && /23505|unique/i.test(err.message));
  }
  return err instanceof Error && /23505|unique constraint/i.test(err.message);
}
