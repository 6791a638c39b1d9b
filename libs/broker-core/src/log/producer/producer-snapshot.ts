import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { int64NumberAt, isSafeInt64, writeInt64NumberAt } from '../batch/batch-header.js';
import { writeFileAtomically } from '../checkpoint/checkpoint-file.js';
import { offsetFileName } from '../segment/file-names.js';
import { BatchMetadata, NO_TXN, ProducerStateEntry } from './producer-state-entry.js';

/**
 * Producer state snapshots, Kafka's format and naming: `<20-digit offset>.snapshot`
 * holds the state of every producer once the log up to (excluding) that offset was
 * applied. Big-endian:
 *
 *   version i16 (1) · crc u32 (CRC-32C of every byte after it) · count i32 ·
 *   count x { producerId i64 · producerEpoch i16 · lastSequence i32 · lastOffset i64 ·
 *             offsetDelta i32 · timestamp i64 · coordinatorEpoch i32 · currentTxnFirstOffset i64 }
 *
 * Only each producer's last batch is kept (lastOffset -1 when it has none), so after a
 * load, duplicates are recognised against that one batch until new ones arrive, as in
 * Kafka. Written to `.tmp` and renamed (see writeFileAtomically), so a reader sees a
 * whole file or none; a file that fails its checks is a CorruptSnapshotError.
 */
export const PRODUCER_SNAPSHOT_FILE_SUFFIX = '.snapshot';
const SNAPSHOT_VERSION = 1;
const CRC_AT = 2;
const ENTRIES_AT = 6;
const HEADER_BYTES = ENTRIES_AT + 4;
/** producerId i64, epoch i16, lastSequence i32, lastOffset i64, offsetDelta i32, timestamp i64, coordinatorEpoch i32, currentTxnFirstOffset i64. */
export const SNAPSHOT_ENTRY_BYTES = 46;
const SNAPSHOT_NAME = /^(\d{20})\.snapshot$/;

/** A snapshot file that fails its version, CRC or length checks. */
export class CorruptSnapshotError extends Error {}

export function snapshotPath(dir: string, offset: number): string {
  return join(dir, offsetFileName(offset, PRODUCER_SNAPSHOT_FILE_SUFFIX));
}

export function writeSnapshot(dir: string, offset: number, producers: Iterable<ProducerStateEntry>, sync: boolean): void {
  const list = [...producers];
  const buf = Buffer.allocUnsafe(HEADER_BYTES + list.length * SNAPSHOT_ENTRY_BYTES);
  buf.writeInt16BE(SNAPSHOT_VERSION, 0);
  buf.writeInt32BE(list.length, ENTRIES_AT);
  let at = HEADER_BYTES;
  for (const entry of list) {
    buf.writeBigInt64BE(entry.producerId, at);
    buf.writeInt16BE(entry.producerEpoch, at + 8);
    buf.writeInt32BE(entry.lastSeq, at + 10);
    writeInt64NumberAt(buf, entry.lastDataOffset, at + 14);
    buf.writeInt32BE(entry.lastOffsetDelta, at + 22);
    writeInt64NumberAt(buf, entry.lastTimestamp, at + 26);
    buf.writeInt32BE(entry.coordinatorEpoch, at + 34);
    writeInt64NumberAt(buf, entry.currentTxnFirstOffset, at + 38);
    at += SNAPSHOT_ENTRY_BYTES;
  }
  buf.writeUInt32BE(crc32c(buf.subarray(ENTRIES_AT)) >>> 0, CRC_AT);
  writeFileAtomically(snapshotPath(dir, offset), buf, sync);
}

/** The entries of a snapshot file; throws CorruptSnapshotError when it fails a check, the fs error when unreadable. */
export function readSnapshot(path: string): ProducerStateEntry[] {
  const buf = readFileSync(path);
  if (buf.length < HEADER_BYTES) throw new CorruptSnapshotError(`${path} has only ${buf.length} bytes`);
  const version = buf.readInt16BE(0);
  if (version !== SNAPSHOT_VERSION) throw new CorruptSnapshotError(`${path} has unknown version ${version}`);
  const stored = buf.readUInt32BE(CRC_AT);
  const computed = crc32c(buf.subarray(ENTRIES_AT)) >>> 0;
  if (stored !== computed) throw new CorruptSnapshotError(`${path} has CRC ${stored}, computed ${computed}`);
  const count = buf.readInt32BE(ENTRIES_AT);
  if (count < 0 || buf.length !== HEADER_BYTES + count * SNAPSHOT_ENTRY_BYTES) throw new CorruptSnapshotError(`${path} declares ${count} entries in ${buf.length} bytes`);
  const entries: ProducerStateEntry[] = [];
  for (let at = HEADER_BYTES; at < buf.length; at += SNAPSHOT_ENTRY_BYTES) {
    const lastOffset = int64NumberAt(buf, at + 14);
    const timestamp = int64NumberAt(buf, at + 26);
    const txnFirstOffset = int64NumberAt(buf, at + 38);
    if (!isSafeInt64(lastOffset) || !isSafeInt64(timestamp) || !isSafeInt64(txnFirstOffset)) {
      throw new CorruptSnapshotError(`${path} holds an offset or timestamp beyond +-(2^53 - 1)`);
    }
    const batches = lastOffset >= 0 ? [new BatchMetadata(buf.readInt32BE(at + 10), lastOffset, buf.readInt32BE(at + 22), timestamp)] : [];
    entries.push(new ProducerStateEntry(buf.readBigInt64BE(at), buf.readInt16BE(at + 8), buf.readInt32BE(at + 34), timestamp, txnFirstOffset >= 0 ? txnFirstOffset : NO_TXN, batches));
  }
  return entries;
}

/** The offsets of the snapshot files in `dir`, ascending. */
export function listSnapshots(dir: string): number[] {
  const offsets: number[] = [];
  for (const name of readdirSync(dir)) {
    const match = SNAPSHOT_NAME.exec(name);
    if (match === null) continue;
    const offset = Number(match[1]);
    if (Number.isSafeInteger(offset)) offsets.push(offset);
    else rmSync(join(dir, name), { force: true });
  }
  return offsets.sort((a, b) => a - b);
}

export function deleteSnapshot(dir: string, offset: number): void {
  rmSync(snapshotPath(dir, offset), { force: true });
}
