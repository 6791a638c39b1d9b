import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { int64NumberAt, isSafeInt64, writeInt64NumberAt } from '../batch/batch-header.js';
import { writeFileAtomically } from '../checkpoint/checkpoint-file.js';
import { MANIFEST_ROW_BYTES } from './segment-list.js';

/**
 * The log's own two small files beside the segments (the leader epoch cache and
 * partition.metadata keep theirs: see epoch/ and partition-metadata.ts).
 *
 * `log-offsets-checkpoint` (text, always present once a log was opened):
 *   line 1 `0` (format version), line 2 `<logStartOffset> <recoveryPoint>`.
 * The recovery point is an offset below which every segment, with its indexes, was
 * fsynced; recovery after a crash rescans only from the segment holding it. A stale
 * value is safe (more is rescanned); it is never written ahead of a completed fsync.
 * The log start offset is written (and synced) before segments below it are removed.
 *
 * `.clean-shutdown` (written last by close(), removed by open), binary, big-endian:
 *   0 version i32 · 4 segmentCount i32 · 8 logStartOffset i64 · 16 recoveryPoint i64 ·
 *   24 reserved i64 · 32 one 72-byte row per segment (see segment-list.ts: base offset,
 *   next offset, largest timestamp and its offset, rolling timestamp, creation time,
 *   size, index entry counts, last-modified time) · CRC-32C u32 of everything before it.
 * Its presence means the segments are exactly as described, so open trusts it without
 * listing, stat-ing or reading segment files, and keeps the rows as one Buffer.
 */
export const CHECKPOINT_FILE = 'log-offsets-checkpoint';
export const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';
/**
 * Version 3: every offset and timestamp in the manifest is within +-(2^53 - 1) (the log
 * holds them as numbers and writes them through writeInt64NumberAt, which refuses
 * anything else), so rows are trusted without a per-row check, keeping open O(1); rows
 * carry each segment's last-modified time (the cleaner's tombstone rule needs it).
 * Older manifests (version 1: bigint state, no such bound; version 2: 64-byte rows
 * without that time) are not trusted: open recovers, as after a crash.
 */
const MANIFEST_VERSION = 3;

/** Offsets as numbers, like everywhere inside the log (exact up to 2^53 - 1). */
export interface LogCheckpoint {
  readonly logStartOffset: number;
  readonly recoveryPoint: number;
}

export interface CleanShutdownManifest extends LogCheckpoint {
  readonly segmentCount: number;
  /** `segmentCount` rows of MANIFEST_ROW_BYTES. */
  readonly rows: Buffer;
}

export function writeCheckpoint(dir: string, checkpoint: LogCheckpoint, sync: boolean): void {
  writeFileAtomically(join(dir, CHECKPOINT_FILE), `0\n${checkpoint.logStartOffset} ${checkpoint.recoveryPoint}\n`, sync);
}

/** The checkpoint, or undefined when missing or unreadable (the caller then rescans). */
export function readCheckpoint(dir: string): LogCheckpoint | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, CHECKPOINT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const match = /^0\n(\d+) (\d+)\n$/.exec(text);
  if (!match) return undefined;
  // An offset past 2^53 - 1 cannot come from this log: treated as unreadable (rescan).
  const logStartOffset = Number(match[1]);
  const recoveryPoint = Number(match[2]);
  return Number.isSafeInteger(logStartOffset) && Number.isSafeInteger(recoveryPoint) ? { logStartOffset, recoveryPoint } : undefined;
}

const MANIFEST_HEADER_BYTES = 32;

export function writeManifest(dir: string, checkpoint: LogCheckpoint, rows: Buffer): void {
  const count = rows.length / MANIFEST_ROW_BYTES;
  const buf = Buffer.alloc(MANIFEST_HEADER_BYTES + rows.length + 4);
  buf.writeInt32BE(MANIFEST_VERSION, 0);
  buf.writeInt32BE(count, 4);
  writeInt64NumberAt(buf, checkpoint.logStartOffset, 8);
  writeInt64NumberAt(buf, checkpoint.recoveryPoint, 16);
  rows.copy(buf, MANIFEST_HEADER_BYTES);
  buf.writeUInt32BE(crc32c(buf.subarray(0, buf.length - 4)) >>> 0, buf.length - 4);
  writeFileAtomically(join(dir, CLEAN_SHUTDOWN_FILE), buf, true);
}

/**
 * The manifest left by a clean shutdown: `undefined` when there is none (an unclean
 * shutdown), an Error when it exists but cannot be trusted.
 */
export function readManifest(dir: string): CleanShutdownManifest | Error | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(join(dir, CLEAN_SHUTDOWN_FILE));
  } catch {
    return undefined;
  }
  if (buf.length < MANIFEST_HEADER_BYTES + 4) return new Error(`it is only ${buf.length} bytes`);
  if (buf.readUInt32BE(buf.length - 4) !== crc32c(buf.subarray(0, buf.length - 4)) >>> 0) return new Error('its checksum does not match');
  const count = buf.readInt32BE(4);
  if (buf.readInt32BE(0) !== MANIFEST_VERSION || count < 1 || buf.length !== MANIFEST_HEADER_BYTES + count * MANIFEST_ROW_BYTES + 4) {
    return new Error(`unexpected version ${buf.readInt32BE(0)} or segment count ${count}`);
  }
  const logStartOffset = int64NumberAt(buf, 8);
  const recoveryPoint = int64NumberAt(buf, 16);
  if (!isSafeInt64(logStartOffset) || !isSafeInt64(recoveryPoint)) return new Error('its log start offset or recovery point is beyond 2^53 - 1');
  const rows = buf.subarray(MANIFEST_HEADER_BYTES, MANIFEST_HEADER_BYTES + count * MANIFEST_ROW_BYTES);
  return { logStartOffset, recoveryPoint, segmentCount: count, rows };
}
