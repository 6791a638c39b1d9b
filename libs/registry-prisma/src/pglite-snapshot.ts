import type { PGlite } from '@electric-sql/pglite';
import type { StoreSnapshot, ZNodeRecord } from '@weir/broker-core';

/** One registry_znode row as the snapshot query returns it: BIGINT columns cast to float8 (all below 2^53). */
interface SnapshotRow {
  path: string;
  data: Uint8Array;
  version: number;
  cversion: number;
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctime: number;
  mtime: number;
  ephemeral_owner: number;
}

const SNAPSHOT_SQL = `SELECT path, data, version, cversion, czxid::float8 AS czxid, mzxid::float8 AS mzxid, pzxid::float8 AS pzxid,
  ctime::float8 AS ctime, mtime::float8 AS mtime, ephemeral_owner::float8 AS ephemeral_owner FROM registry_znode`;

/**
 * The whole registry read straight from the embedded PGlite, bypassing Prisma's row
 * mapping: with 100,000 partitions (some 200,000 znodes) Prisma's findMany spent over
 * 10 s building and converting rows, the query itself a fraction of it. One transaction,
 * so the zxid and the rows agree (PGlite has one connection; nothing writes meanwhile).
 */
export function pgliteSnapshotLoader(db: PGlite): () => Promise<StoreSnapshot> {
  return () =>
    db.transaction(async (tx) => {
      const meta = await tx.query<{ zxid: number }>('SELECT zxid::float8 AS zxid FROM registry_meta WHERE id = 1');
      if (meta.rows.length !== 1) throw new Error('registry_meta has no row 1: the registry database is not initialised');
      const { rows } = await tx.query<SnapshotRow>(SNAPSHOT_SQL);
      const nodes: ZNodeRecord[] = rows.map((row) => ({
        path: row.path, data: row.data, version: row.version, cversion: row.cversion, czxid: row.czxid, mzxid: row.mzxid, pzxid: row.pzxid,
        ctime: row.ctime, mtime: row.mtime, ephemeralOwner: row.ephemeral_owner,
      }));
      return { zxid: meta.rows[0]!.zxid, nodes };
    });
}
