import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import type { SegmentState } from '../segment/log-segment.js';

/**
 * The two small per-log files beside the segments.
 *
 * `log-offsets-checkpoint` (text, always present once a log was opened):
 *   line 1 `0` (format version), line 2 `<logStartOffset> <recoveryPoint>`.
 * The recovery point is an offset below which every segment, with its indexes, was
 * fsynced; recovery after a crash rescans only from the segment holding it. A stale
 * value is safe (more is rescanned); it is never written ahead of a completed fsync.
 * The log start offset is written (and synced) before segments below it are removed.
 *
 * `.clean-shutdown` (written last by close(), removed by open): line 1 the CRC-32C of
 * the rest, then JSON {v, logStartOffset, recoveryPoint, segments: [[baseOffset,
 * sizeInBytes, nextOffset, largestTimestamp, offsetOfLargestTimestamp,
 * rollingBasedTimestamp|null, createdMs, indexEntries, timeIndexEntries], ...]}.
 * Its presence means the segments are exactly as described, so open can trust it
 * without reading or even stat-ing the segment files. Offsets and timestamps are JSON
 * numbers: exact below 2^53, which no real offset reaches.
 */
export const CHECKPOINT_FILE = 'log-offsets-checkpoint';
export const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';
const MANIFEST_VERSION = 1;

export interface LogCheckpoint {
  readonly logStartOffset: bigint;
  readonly recoveryPoint: bigint;
}

export interface CleanShutdownManifest extends LogCheckpoint {
  readonly segments: SegmentState[];
}

/** Write to a temporary name, optionally fsync, then rename over the old file. */
export function writeFileAtomically(path: string, text: string, sync: boolean): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  if (sync) {
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  renameSync(tmp, path);
}

/** fsync of a directory, so that created, renamed and removed names survive a crash. */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
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
  return match ? { logStartOffset: BigInt(match[1]!), recoveryPoint: BigInt(match[2]!) } : undefined;
}

export function writeManifest(dir: string, manifest: CleanShutdownManifest): void {
  const body = JSON.stringify({
    v: MANIFEST_VERSION,
    logStartOffset: Number(manifest.logStartOffset),
    recoveryPoint: Number(manifest.recoveryPoint),
    segments: manifest.segments.map((s) => [
      Number(s.baseOffset), s.sizeInBytes, Number(s.nextOffset), Number(s.largestTimestamp), Number(s.offsetOfLargestTimestamp),
      s.rollingBasedTimestamp === undefined ? null : Number(s.rollingBasedTimestamp), s.createdMs, s.indexEntries, s.timeIndexEntries,
    ]),
  });
  writeFileAtomically(join(dir, CLEAN_SHUTDOWN_FILE), `${crc32c(body) >>> 0}\n${body}`, true);
}

type ManifestRow = [number, number, number, number, number, number | null, number, number, number];

/**
 * The manifest left by a clean shutdown: `undefined` when there is none (an unclean
 * shutdown), an Error when it exists but cannot be trusted.
 */
export function readManifest(dir: string): CleanShutdownManifest | Error | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, CLEAN_SHUTDOWN_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  const body = text.slice(newline + 1);
  if (newline < 0 || String(crc32c(body) >>> 0) !== text.slice(0, newline)) return new Error('its checksum does not match');
  try {
    const parsed = JSON.parse(body) as { v: number; logStartOffset: number; recoveryPoint: number; segments: ManifestRow[] };
    if (parsed.v !== MANIFEST_VERSION || parsed.segments.length === 0) return new Error(`unexpected version ${parsed.v} or no segments`);
    return {
      logStartOffset: BigInt(parsed.logStartOffset),
      recoveryPoint: BigInt(parsed.recoveryPoint),
      segments: parsed.segments.map((r) => ({
        baseOffset: BigInt(r[0]),
        sizeInBytes: r[1],
        nextOffset: BigInt(r[2]),
        largestTimestamp: BigInt(r[3]),
        offsetOfLargestTimestamp: BigInt(r[4]),
        rollingBasedTimestamp: r[5] === null ? undefined : BigInt(r[5]),
        createdMs: r[6],
        indexEntries: r[7],
        timeIndexEntries: r[8],
      })),
    };
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
