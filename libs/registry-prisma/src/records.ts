import type { ZNodeRecord } from '@weir/broker-core';
import type { RegistryZnode } from './generated/prisma/client.js';

/** Row ↔ record. zxids, times and session ids are BIGINT columns; they stay below 2^53. */
export function recordFromRow(row: RegistryZnode): ZNodeRecord {
  return {
    path: row.path,
    data: row.data,
    version: row.version,
    cversion: row.cversion,
    czxid: Number(row.czxid),
    mzxid: Number(row.mzxid),
    pzxid: Number(row.pzxid),
    ctime: Number(row.ctime),
    mtime: Number(row.mtime),
    ephemeralOwner: Number(row.ephemeralOwner),
  };
}

export function rowFromRecord(record: ZNodeRecord, parent: string): RegistryZnode {
  return {
    path: record.path,
    parent,
    data: record.data as Uint8Array<ArrayBuffer>,
    version: record.version,
    cversion: record.cversion,
    czxid: BigInt(record.czxid),
    mzxid: BigInt(record.mzxid),
    pzxid: BigInt(record.pzxid),
    ctime: BigInt(record.ctime),
    mtime: BigInt(record.mtime),
    ephemeralOwner: BigInt(record.ephemeralOwner),
  };
}
