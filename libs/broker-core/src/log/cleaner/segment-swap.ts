import { closeSync, fstatSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_HEADER_SIZE, LAST_OFFSET_DELTA_OFFSET, batchSizeAt, lastOffsetNumberAt } from '../batch/batch-header.js';
import { syncDirectory } from '../checkpoint/checkpoint-file.js';
import type { StorageLogger } from '../logger.js';
import {
  CLEANED_FILE_SUFFIX, DELETED_FILE_SUFFIX, INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, SEGMENT_FILE_SUFFIXES, SWAP_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX,
  segmentFilePath,
} from '../segment/file-names.js';
import { FileWindow } from '../segment/file-window.js';
import type { LogSegment } from '../segment/log-segment.js';
import { CLEANED_SEGMENT_SUFFIXES } from './cleaned-segment-writer.js';

const SWAP_LOG_NAME = /^(\d{20})\.log\.swap$/;
const SEGMENT_FILE_NAME = /^(\d{20})(\.[a-z]+)$/;
const SCAN_CHUNK_BYTES = 64 * 1024;

/**
 * Puts a cleaned segment (its `.cleaned` files complete and synced, named by the first
 * original's base offset) in place of `originals`, in Kafka's crash-safe order:
 *
 *   1. `.cleaned` -> `.swap` (indexes, then the log), directory synced: from here the
 *      new segment wins over the originals if we crash;
 *   2. every original file -> `.deleted`;
 *   3. `.swap` -> its normal name, directory synced;
 *   4. the `.deleted` files are unlinked.
 *
 * Opening the log after a crash anywhere in between ends in the same state through
 * `completeInterruptedSwaps`. Descriptors the originals hold stay valid (renaming and
 * unlinking do not close them); the caller closes them once no fsync uses them.
 * Pending index entries of the originals are written first: after step 2 a descriptor
 * opened lazily by name would open the new segment's file.
 */
export function swapInCleanedSegment(dir: string, baseOffset: number, originals: readonly LogSegment[]): void {
  for (const suffix of CLEANED_SEGMENT_SUFFIXES) {
    renameSync(segmentFilePath(dir, baseOffset, suffix + CLEANED_FILE_SUFFIX), segmentFilePath(dir, baseOffset, suffix + SWAP_FILE_SUFFIX));
  }
  syncDirectory(dir);
  for (const segment of originals) {
    segment.offsetIndex.writePending();
    segment.timeIndex.writePending();
    for (const suffix of SEGMENT_FILE_SUFFIXES) renameIfPresent(segment.path(suffix), segment.path(suffix) + DELETED_FILE_SUFFIX);
  }
  for (const suffix of CLEANED_SEGMENT_SUFFIXES) {
    renameSync(segmentFilePath(dir, baseOffset, suffix + SWAP_FILE_SUFFIX), segmentFilePath(dir, baseOffset, suffix));
  }
  syncDirectory(dir);
  for (const segment of originals) {
    for (const suffix of SEGMENT_FILE_SUFFIXES) rmSync(segment.path(suffix) + DELETED_FILE_SUFFIX, { force: true });
  }
}

/**
 * At open after a crash (Kafka's LogLoader does the same): `.cleaned` files are an
 * unfinished pass and go; a `<base>.log.swap` is a complete cleaned segment whose swap
 * was interrupted, so every segment it replaces goes (those whose base offset lies in
 * [base, one past the swap's last offset), which always includes the one at `base`,
 * whichever of their files remain) and it takes its normal name. Its index files are
 * removed rather than trusted (an index at `base` may be the original's): the load
 * that follows rebuilds them. Its `.txnindex.swap` is kept (renamed before the log's,
 * so complete whenever the log's swap exists; the load does not rebuild it). Other `.swap` files (indexes whose log never became a
 * swap) go too. `.deleted` files are left for the loader, which removes them.
 * Returns how many swaps were completed.
 */
export function completeInterruptedSwaps(dir: string, logger: StorageLogger): number {
  const names = readdirSync(dir);
  for (const name of names) if (name.endsWith(CLEANED_FILE_SUFFIX)) rmSync(join(dir, name), { force: true });
  let completed = 0;
  for (const name of names) {
    const match = SWAP_LOG_NAME.exec(name);
    if (match === null) continue;
    const baseOffset = Number(match[1]);
    const end = Math.max(swapEndOffset(join(dir, name), baseOffset), baseOffset + 1);
    const replaced = new Set<number>();
    for (const other of readdirSync(dir)) {
      const file = SEGMENT_FILE_NAME.exec(other);
      if (file === null || !(SEGMENT_FILE_SUFFIXES as readonly string[]).includes(file[2]!)) continue;
      const base = Number(file[1]);
      if (base < baseOffset || base >= end) continue;
      rmSync(join(dir, other), { force: true });
      if (file[2] === LOG_FILE_SUFFIX) replaced.add(base);
    }
    for (const suffix of [INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX]) rmSync(segmentFilePath(dir, baseOffset, suffix + SWAP_FILE_SUFFIX), { force: true });
    renameIfPresent(segmentFilePath(dir, baseOffset, TXN_INDEX_FILE_SUFFIX + SWAP_FILE_SUFFIX), segmentFilePath(dir, baseOffset, TXN_INDEX_FILE_SUFFIX));
    renameSync(join(dir, name), segmentFilePath(dir, baseOffset, LOG_FILE_SUFFIX));
    logger.warn(`log ${dir}: completed an interrupted cleaner swap at offset ${baseOffset}, replacing ${replaced.size} segment(s)`);
    completed++;
  }
  for (const name of readdirSync(dir)) if (name.endsWith(SWAP_FILE_SUFFIX)) rmSync(join(dir, name), { force: true });
  if (completed > 0) syncDirectory(dir);
  return completed;
}

/** One past the last offset of the whole batches in a swap file (its base offset when it has none). */
function swapEndOffset(path: string, baseOffset: number): number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const window = new FileWindow(fd, size, Buffer.allocUnsafe(SCAN_CHUNK_BYTES));
    let end = baseOffset;
    for (let pos = 0; ; ) {
      const o = window.ensure(pos, LAST_OFFSET_DELTA_OFFSET + 4);
      if (o < 0) return end;
      const batchSize = batchSizeAt(window.buf, o);
      if (batchSize < BATCH_HEADER_SIZE || pos + batchSize > size) return end;
      end = lastOffsetNumberAt(window.buf, o) + 1;
      pos += batchSize;
    }
  } finally {
    closeSync(fd);
  }
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
