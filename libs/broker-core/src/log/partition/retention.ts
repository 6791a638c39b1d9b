import type { LogConfig } from '../config/log-config.js';
import type { SegmentList } from './segment-list.js';

/**
 * How many of the oldest segments a retention pass may delete. A segment qualifies when
 * all its offsets are below the log start offset, or (cleanup.policy includes delete)
 * its newest batch is older than retention.ms, or the log would still be at least
 * retention.bytes without it. Scanning stops at the first segment that does not
 * qualify, at the active segment (never deleted), and at the first segment holding an
 * offset at or past the high watermark (not yet committed, so not ours to drop).
 */
export function selectSegmentsToDelete(segments: SegmentList, config: LogConfig, nowMs: number, logStartOffset: number, highWatermark: number): number {
  const deletePolicy = config.cleanupPolicy.includes('delete');
  let bytesOverLimit = -1;
  if (deletePolicy && config.retentionBytes >= 0) {
    bytesOverLimit = -config.retentionBytes;
    for (let i = 0; i < segments.length; i++) bytesOverLimit += segments.sizeInBytes(i);
  }
  let count = 0;
  for (let i = 0; i + 1 < segments.length; i++) {
    const sizeInBytes = segments.sizeInBytes(i);
    const nextBaseOffset = segments.baseOffset(i + 1);
    if (nextBaseOffset > highWatermark) break;
    const belowLogStart = nextBaseOffset <= logStartOffset;
    const expired = deletePolicy && config.retentionMs >= 0 && nowMs - segments.largestTimestamp(i) > config.retentionMs;
    const oversize = bytesOverLimit >= 0 && bytesOverLimit - sizeInBytes >= 0;
    if (!belowLogStart && !expired && !oversize) break;
    if (bytesOverLimit >= 0) bytesOverLimit -= sizeInBytes;
    count++;
  }
  return count;
}
