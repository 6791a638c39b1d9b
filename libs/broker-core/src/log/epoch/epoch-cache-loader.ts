import type { StorageLogger } from '../logger.js';
import type { SegmentList } from '../partition/segment-list.js';
import { assignEpochsFromSegments } from './batch-epochs.js';
import { LeaderEpochCache, leaderEpochCheckpointFile } from './leader-epoch-cache.js';

const REBUILD_CHUNK_BYTES = 1024 * 1024;

/**
 * Opens the leader epoch cache of a log that loadLog has just opened (and, after an
 * unclean shutdown, recovered):
 *
 * - `leader-epoch-checkpoint` is read. When it is missing from a log holding batches (a
 *   directory written before the cache existed) or unreadable, the cache is rebuilt once
 *   from the batch headers and written, synced. A new, empty log gets an empty file,
 *   not synced: should it be lost, the next open rebuilds the same empty cache.
 * - It is then cut to the log, as Kafka's log loading does: entries at or past the log
 *   end offset are dropped (the checkpoint is written before the batches of a new epoch,
 *   so after a crash it may name an epoch whose batches were lost), then entries below
 *   the log start offset (a move of the log start may have been interrupted).
 *
 * Reads no segment unless it rebuilds, so a clean open stays O(1) in segment I/O.
 */
export function loadLeaderEpochCache(dir: string, segments: SegmentList, logStartOffset: number, logger: StorageLogger): LeaderEpochCache {
  const file = leaderEpochCheckpointFile(dir);
  let corrupt = false;
  const stored = file.readOrUndefined((err) => {
    corrupt = true;
    logger.warn(`log ${dir}: ${err.message}; rebuilding the leader epoch cache from the batch headers`);
  });
  const cache = new LeaderEpochCache(file, stored, logger);
  const holdsBatches = segments.length > 1 || segments.sizeInBytes(0) > 0;
  // An empty list beside batches is a first epoch's unsynced write lost in a crash (see
  // PartitionLog.assignLeaderEpoch): the batches still name their epochs.
  const rebuild = (stored === undefined || stored.length === 0) && holdsBatches;
  if (rebuild) {
    if (!corrupt) logger.info(`log ${dir}: no ${file.path}; rebuilding the leader epoch cache from the batch headers`);
    assignEpochsFromSegments(cache, dir, segments, Buffer.allocUnsafe(REBUILD_CHUNK_BYTES));
  }
  const cut = cache.truncateFromEnd(segments.last().nextOffset, false);
  const moved = cache.truncateFromStart(logStartOffset, false);
  if (rebuild || cut || moved) cache.flush();
  else if (stored === undefined) file.write([], false);
  return cache;
}
