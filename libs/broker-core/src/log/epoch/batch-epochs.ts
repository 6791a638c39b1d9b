import { closeSync, openSync } from 'node:fs';
import { BATCH_HEADER_SIZE, LENGTH_OFFSET, LOG_OVERHEAD, PARTITION_LEADER_EPOCH_OFFSET, baseOffsetNumberAt } from '../batch/batch-header.js';
import type { SegmentList } from '../partition/segment-list.js';
import { FileWindow } from '../segment/file-window.js';
import { LOG_FILE_SUFFIX, segmentFilePath } from '../segment/file-names.js';
import type { LeaderEpochCache } from './leader-epoch-cache.js';

/** Header bytes up to and including partitionLeaderEpoch: enough for size, base offset and epoch. */
const EPOCH_HEADER_BYTES = PARTITION_LEADER_EPOCH_OFFSET + 4;

/**
 * Assigns each batch's partitionLeaderEpoch at its base offset, as Kafka does for a
 * follower append: every batch is offered, and the cache's rule keeps only a new epoch
 * (in practice the leader's epochs only grow along its log). Batches without an epoch
 * (-1, written by a broker that assigned none) are skipped. `records` holds whole,
 * validated batches. Allocation-free unless an epoch changes; several changes in one
 * fetch are written to the checkpoint once.
 */
export function assignBatchEpochs(cache: LeaderEpochCache, records: Buffer): void {
  let changed = false;
  for (let pos = 0; pos < records.length; pos += LOG_OVERHEAD + records.readInt32BE(pos + LENGTH_OFFSET)) {
    changed = offerBatchEpoch(cache, records, pos) || changed;
  }
  if (changed) cache.flush();
}

function offerBatchEpoch(cache: LeaderEpochCache, buf: Buffer, at: number): boolean {
  const epoch = buf.readInt32BE(at + PARTITION_LEADER_EPOCH_OFFSET);
  if (epoch < 0) return false;
  const baseOffset = baseOffsetNumberAt(buf, at);
  return cache.needsUpdate(epoch, baseOffset) && cache.assign(epoch, baseOffset, false);
}

/**
 * Fills `cache` (unflushed) from the batch headers of every segment, oldest first: what
 * appends would have assigned. For logs written before the cache existed; reads each
 * `.log` once through `scratch`, opening and closing its own descriptors so that segments
 * not yet materialised stay that way. Batches are trusted as stored (recovery has run).
 */
export function assignEpochsFromSegments(cache: LeaderEpochCache, dir: string, segments: SegmentList, scratch: Buffer): void {
  for (let i = 0; i < segments.length; i++) {
    const sizeInBytes = segments.sizeInBytes(i);
    if (sizeInBytes === 0) continue;
    const fd = openSync(segmentFilePath(dir, segments.baseOffset(i), LOG_FILE_SUFFIX), 'r');
    try {
      const window = new FileWindow(fd, sizeInBytes, scratch);
      for (let pos = 0; ; ) {
        const at = window.ensure(pos, EPOCH_HEADER_BYTES);
        if (at < 0) break;
        const size = LOG_OVERHEAD + window.buf.readInt32BE(at + LENGTH_OFFSET);
        // Only a damaged length can be this short; stop rather than loop on it.
        if (size < BATCH_HEADER_SIZE) break;
        offerBatchEpoch(cache, window.buf, at);
        pos += size;
      }
    } finally {
      closeSync(fd);
    }
  }
}
