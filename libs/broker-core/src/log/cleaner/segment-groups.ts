import type { SegmentList } from '../partition/segment-list.js';
import type { LogSegment } from '../segment/log-segment.js';

const MAX_RELATIVE_OFFSET = 0x7fffffff;

/**
 * Kafka's Cleaner.groupSegmentsBySize: the segments from the log's first up to the one
 * holding `endOffset - 1`, cut into runs of consecutive segments that one cleaned
 * segment can replace: their log bytes together within segment.bytes, each kind of
 * index within segment.index.bytes, and every offset within 32 bits of the run's first
 * base offset (the relative offsets of the indexes). Cleaning only shrinks what it
 * copies, so sizes are summed before cleaning. A segment over the limits on its own is
 * a run of one. Never includes the active segment.
 */
export function groupSegmentsBySize(segments: SegmentList, endOffset: number, maxBytes: number, maxIndexBytes: number): LogSegment[][] {
  let count = 0;
  while (count < segments.length - 1 && segments.baseOffset(count) < endOffset) count++;
  const groups: LogSegment[][] = [];
  let i = 0;
  while (i < count) {
    const first = segments.get(i);
    const group = [first];
    let logBytes = first.sizeInBytes;
    let indexBytes = first.offsetIndex.sizeInBytes;
    let timeIndexBytes = first.timeIndex.sizeInBytes;
    for (i++; i < count; i++) {
      const next = segments.get(i);
      // The next segment's offsets end before the base offset of the one after it.
      const lastOffset = segments.baseOffset(i + 1) - 1;
      if (
        logBytes + next.sizeInBytes > maxBytes ||
        indexBytes + next.offsetIndex.sizeInBytes > maxIndexBytes ||
        timeIndexBytes + next.timeIndex.sizeInBytes > maxIndexBytes ||
        lastOffset - first.baseOffset > MAX_RELATIVE_OFFSET
      ) break;
      group.push(next);
      logBytes += next.sizeInBytes;
      indexBytes += next.offsetIndex.sizeInBytes;
      timeIndexBytes += next.timeIndex.sizeInBytes;
    }
    groups.push(group);
  }
  return groups;
}
