import { decodeRecordBatch } from '../batch/record-batch-decoder.js';
import type { LogSegment } from '../segment/log-segment.js';
import type { SegmentList } from './segment-list.js';
import type { TimestampAndOffset } from './types.js';

/** Where a read found its bytes: the segment and the position of the first batch. */
export interface SegmentsRead {
  readonly segment: LogSegment;
  readonly position: number;
  readonly records: Buffer;
}

/**
 * The read side of PartitionLog over its segments, in the log's number offsets: the
 * caller has checked `startOffset` against the log's range. Returns undefined when no
 * segment from the one holding `startOffset` on has a batch to return.
 */
export function readSegments(
  segments: SegmentList,
  startOffset: number,
  maxBytes: number,
  maxOffset: number | undefined,
  minOneMessage: boolean,
  scratch: Buffer,
  buffer: Buffer | undefined,
): SegmentsRead | undefined {
  for (let i = segments.indexFor(startOffset); i < segments.length; i++) {
    const segment = segments.get(i);
    const found = segment.read(startOffset, maxBytes, maxOffset, minOneMessage, scratch, buffer);
    if (found !== undefined) return { segment, position: found.position, records: found.records };
  }
  return undefined;
}

/**
 * The earliest offset at or after `logStartOffset` whose record timestamp is >=
 * `timestamp`, or undefined when every record is older. Segments whose newest batch is
 * older are skipped from their manifest rows; only the one batch the time index points
 * to is decoded (records compared as the decoder returns them, in bigint).
 */
export function findOffsetForTimestamp(segments: SegmentList, logStartOffset: number, timestamp: bigint, scratch: Buffer): TimestampAndOffset | undefined {
  // Number() keeps the order against the exact numbers in the log even past 2^53.
  const target = Number(timestamp);
  for (let i = 0; i < segments.length; i++) {
    if (segments.largestTimestamp(i) < target || segments.nextOffset(i) <= logStartOffset) continue;
    const segment = segments.get(i);
    const startOffset = segment.baseOffset > logStartOffset ? segment.baseOffset : logStartOffset;
    const location = segment.findBatchByTimestamp(target, startOffset, scratch);
    if (location === undefined) continue;
    const batch = decodeRecordBatch(segment.readBatch(location), 0, { verifyCrc: false });
    const start = BigInt(startOffset);
    for (const record of batch.records) {
      if (record.offset >= start && record.timestamp >= timestamp) return { timestamp: record.timestamp, offset: record.offset };
    }
  }
  return undefined;
}

/**
 * The largest timestamp in the log and the offset it was recorded at (the last offset
 * of its batch, as segments track it); the earliest such segment wins a tie. Read from
 * the segments' rows, no batch is read. Undefined for an empty log.
 */
export function findOffsetOfMaxTimestamp(segments: SegmentList, logStartOffset: number): TimestampAndOffset | undefined {
  let best = -1;
  for (let i = 0; i < segments.length; i++) {
    // An empty segment has no timestamp (a cleaned one may span offsets yet hold no batch).
    if (segments.nextOffset(i) <= logStartOffset || segments.sizeInBytes(i) === 0) continue;
    if (best < 0 || segments.largestTimestamp(i) > segments.largestTimestamp(best)) best = i;
  }
  if (best < 0) return undefined;
  const offset = Math.max(segments.offsetOfLargestTimestamp(best), logStartOffset);
  return { timestamp: BigInt(segments.largestTimestamp(best)), offset: BigInt(offset) };
}
