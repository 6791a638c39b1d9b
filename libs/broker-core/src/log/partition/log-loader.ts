import { mkdirSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { StorageLogger } from '../logger.js';
import { MAX_SAFE_INT64 } from '../batch/batch-header.js';
import { INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, SEGMENT_FILE_SUFFIXES, TIME_INDEX_FILE_SUFFIX, parseLogFileName, segmentFilePath } from '../segment/file-names.js';
import { LogSegment, emptyState, type SegmentSettings } from '../segment/log-segment.js';
import { OFFSET_INDEX_ENTRY_SIZE } from '../segment/offset-index.js';
import { recoverSegment } from '../segment/segment-recovery.js';
import { TIME_INDEX_ENTRY_SIZE } from '../segment/time-index.js';
import { completeInterruptedSwaps } from '../cleaner/segment-swap.js';
import { SegmentList } from './segment-list.js';
import { CLEAN_SHUTDOWN_FILE, readCheckpoint, readManifest, writeCheckpoint } from './log-files.js';

export interface LoadedLog {
  readonly segments: SegmentList;
  readonly logStartOffset: number;
  readonly recoveryPoint: number;
  readonly hadCleanShutdown: boolean;
  /** Base offset of the first segment recovery rescanned (its derived files are rebuilt from it); the log end after a clean shutdown. */
  readonly firstRecoveredOffset: number;
}

const RECOVERY_CHUNK_BYTES = 1024 * 1024;
const MAX_SAFE_INT64_BIGINT = BigInt(MAX_SAFE_INT64);

/**
 * Opens a partition directory. After a clean shutdown the manifest is trusted: no
 * segment file is listed, stat-ed or read (only the active segment is opened and its
 * size compared). Otherwise every segment from the one holding the recovery point on is
 * rescanned (torn or CRC-bad tail cut, indexes rebuilt), older segments get a cheap index
 * sanity check, and problems are logged as warnings. Never throws for bad data; only an
 * unusable directory (permissions, a full disk) surfaces as an error.
 */
export function loadLog(dir: string, settings: SegmentSettings, nowMs: number, logger: StorageLogger): LoadedLog {
  mkdirSync(dir, { recursive: true });
  const manifest = readManifest(dir);
  if (manifest instanceof Error) {
    logger.warn(`log ${dir}: ignoring the clean-shutdown manifest (${manifest.message}); recovering`);
  } else if (manifest !== undefined) {
    const segments = new SegmentList(dir, settings, [], manifest.rows, manifest.segmentCount);
    const active = segments.last();
    const onDisk = active.fileSizeInBytes();
    // The marker goes first: if we crash from here on, the next open recovers.
    unlinkSync(join(dir, CLEAN_SHUTDOWN_FILE));
    if (onDisk === active.sizeInBytes) {
      return { segments, logStartOffset: manifest.logStartOffset, recoveryPoint: manifest.recoveryPoint, hadCleanShutdown: true, firstRecoveredOffset: active.nextOffset };
    }
    logger.warn(`log ${dir}: active segment has ${onDisk} bytes, the manifest says ${active.sizeInBytes}; recovering`);
    active.close();
  }
  return recoverLog(dir, settings, nowMs, logger);
}

function recoverLog(dir: string, settings: SegmentSettings, nowMs: number, logger: StorageLogger): LoadedLog {
  completeInterruptedSwaps(dir, logger);
  const names = readdirSync(dir);
  const bases: number[] = [];
  for (const name of names) {
    if (name.endsWith('.tmp') || name.endsWith('.deleted')) rmSync(join(dir, name), { force: true });
    const base = parseLogFileName(name);
    if (base === undefined) continue;
    if (base > MAX_SAFE_INT64_BIGINT) {
      // The log holds offsets as numbers, exact up to 2^53 - 1 (see batch-header.ts),
      // and never creates a segment past that: such a file is not ours to serve.
      logger.warn(`log ${dir}: removing segment ${base}, whose base offset is beyond 2^53 - 1`);
      for (const suffix of SEGMENT_FILE_SUFFIXES) rmSync(segmentFilePath(dir, base, suffix), { force: true });
      continue;
    }
    bases.push(Number(base));
  }
  bases.sort((a, b) => a - b);
  const checkpoint = readCheckpoint(dir);
  if (checkpoint === undefined && bases.length > 0) logger.warn(`log ${dir}: no readable offsets checkpoint; rescanning every segment`);
  const recoveryPoint = checkpoint?.recoveryPoint ?? 0;
  let firstToRescan = 0;
  for (let i = 0; i < bases.length; i++) if (bases[i]! <= recoveryPoint) firstToRescan = i;

  const scratch = Buffer.allocUnsafe(RECOVERY_CHUNK_BYTES);
  const segments: LogSegment[] = [];
  for (let i = 0; i < bases.length; i++) {
    const base = bases[i]!;
    const logPath = join(dir, `${base.toString().padStart(20, '0')}${LOG_FILE_SUFFIX}`);
    const logStat = statSync(logPath);
    const logSizeInBytes = logStat.size;
    const indexEntries = entriesIn(logPath.replace(/\.log$/, INDEX_FILE_SUFFIX), OFFSET_INDEX_ENTRY_SIZE);
    const timeIndexEntries = entriesIn(logPath.replace(/\.log$/, TIME_INDEX_FILE_SUFFIX), TIME_INDEX_ENTRY_SIZE);
    const nextBase = bases[i + 1] ?? base;
    const segment = new LogSegment(dir, {
      ...emptyState(base, nowMs),
      // The file's own time, as Kafka's segments have, but never past the injected clock
      // (a test's, or a clock set back): a later time only keeps tombstones longer.
      lastModifiedMs: Math.min(Math.floor(logStat.mtimeMs), nowMs),
      sizeInBytes: logSizeInBytes,
      nextOffset: nextBase,
      indexEntries: indexEntries ?? 0,
      timeIndexEntries: timeIndexEntries ?? 0,
    }, settings);
    segments.push(segment);
    // Segments from the recovery point on are rebuilt anyway (their index tails are
    // written lazily, so a short or missing index there is expected after a crash).
    const problem = i >= firstToRescan ? undefined : checkIndexes(segment, indexEntries, timeIndexEntries);
    if (i < firstToRescan && problem === undefined) {
      const last = segment.timeIndex.lastEntry();
      segment.restore({ sizeInBytes: logSizeInBytes, nextOffset: nextBase, largestTimestamp: last?.timestamp ?? -1, offsetOfLargestTimestamp: last?.offset ?? base, rollingBasedTimestamp: undefined });
      continue;
    }
    if (problem !== undefined) logger.warn(`log ${dir}: segment ${base}: ${problem}; rebuilding its indexes`);
    let cut = false;
    try {
      const result = recoverSegment(segment, logSizeInBytes, settings.indexIntervalBytes, scratch);
      if (result.reason !== undefined) {
        logger.warn(`log ${dir}: segment ${base}: dropped ${result.truncatedBytes} bytes at the tail after ${result.reason}`);
        cut = true;
      }
      segment.flushSync();
    } catch (err) {
      logger.warn(`log ${dir}: segment ${base} could not be read (${err instanceof Error ? err.message : String(err)}); dropping it and what follows`);
      segments.pop();
      segment.deleteFiles();
      cut = true;
    }
    if (cut && i + 1 < bases.length) {
      // Offsets after a hole are not trustworthy: Kafka drops the following segments too.
      logger.warn(`log ${dir}: removing ${bases.length - i - 1} segment(s) after the corrupt one`);
      for (const later of bases.slice(i + 1)) new LogSegment(dir, emptyState(later, nowMs), settings).deleteFiles();
      break;
    }
  }
  let logStartOffset = checkpoint?.logStartOffset ?? 0;
  if (segments.length === 0) segments.push(LogSegment.create(dir, logStartOffset, settings, nowMs));
  const logEndOffset = segments[segments.length - 1]!.nextOffset;
  if (logStartOffset < segments[0]!.baseOffset) logStartOffset = segments[0]!.baseOffset;
  if (logStartOffset > logEndOffset) logStartOffset = logEndOffset;
  // Synced with the directory: also makes the segment files removed above stay removed.
  // A new log's is not (one fsync fewer per partition created): lost, it is written again
  // by the next open, which finds the same empty log.
  writeCheckpoint(dir, { logStartOffset, recoveryPoint: logEndOffset }, bases.length > 0);
  const firstRecoveredOffset = Math.min(bases[firstToRescan] ?? logEndOffset, logEndOffset);
  return { segments: new SegmentList(dir, settings, segments), logStartOffset, recoveryPoint: logEndOffset, hadCleanShutdown: false, firstRecoveredOffset };
}

/** Entries in an index file, or undefined when it is missing or ends in a partial entry. */
function entriesIn(path: string, entrySize: number): number | undefined {
  try {
    const size = statSync(path).size;
    return size % entrySize === 0 ? size / entrySize : undefined;
  } catch {
    return undefined;
  }
}

function checkIndexes(segment: LogSegment, indexEntries: number | undefined, timeIndexEntries: number | undefined): string | undefined {
  if (indexEntries === undefined || timeIndexEntries === undefined) return 'an index file is missing or has a partial entry';
  return segment.offsetIndex.sanityCheck(segment.sizeInBytes) ?? segment.timeIndex.sanityCheck();
}
