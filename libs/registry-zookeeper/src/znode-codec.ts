import type { ZNodeRecord } from '@weir/broker-core';

/**
 * A Weir znode's bytes in ZooKeeper: one text line holding Weir's stat, then Weir's data
 * unchanged, so `zkCli.sh get /brokers/ids/1` shows the stat line and Kafka's JSON:
 *
 *   weir 1 <version> <cversion> <czxid> <mzxid> <pzxid> <ctime> <mtime> <ephemeralOwner>\n<data>
 *
 * ZooKeeper's own stat cannot carry Weir's: its zxids are the server's, its ctime/mtime
 * the server's clock (Weir's come from the Registry's injected Time), its version also
 * counts the rewrites of a parent's stat line, and Weir's ephemeral nodes are persistent
 * znodes owned by a Weir lease. A znode without the line (made by another tool) reads as
 * a fresh persistent node holding all its bytes.
 */
const MAGIC = 'weir 1 ';
const MAGIC_BYTES = Buffer.from(MAGIC, 'latin1');
const NEWLINE = 0x0a;

export function encodeZNode(record: ZNodeRecord): Buffer {
  const line = `${MAGIC}${record.version} ${record.cversion} ${record.czxid} ${record.mzxid} ${record.pzxid} ${record.ctime} ${record.mtime} ${record.ephemeralOwner}\n`;
  const header = Buffer.from(line, 'latin1');
  return Buffer.concat([header, record.data], header.length + record.data.length);
}

export function decodeZNode(path: string, bytes: Buffer): ZNodeRecord {
  const end = bytes.subarray(0, MAGIC_BYTES.length).equals(MAGIC_BYTES) ? bytes.indexOf(NEWLINE) : -1;
  const fields = end < 0 ? [] : bytes.toString('latin1', MAGIC_BYTES.length, end).split(' ').map(Number);
  if (fields.length !== 8 || fields.some((n) => !Number.isSafeInteger(n))) {
    return { path, data: new Uint8Array(bytes), version: 0, cversion: 0, czxid: 0, mzxid: 0, pzxid: 0, ctime: 0, mtime: 0, ephemeralOwner: 0 };
  }
  const [version, cversion, czxid, mzxid, pzxid, ctime, mtime, ephemeralOwner] = fields as [number, number, number, number, number, number, number, number];
  // Copy: the record outlives the response buffer and callers must not see a shared slab.
  const data = new Uint8Array(bytes.subarray(end + 1));
  return { path, data, version, cversion, czxid, mzxid, pzxid, ctime, mtime, ephemeralOwner };
}
