import { ftruncateSync } from 'node:fs';
import { KafkaError } from '../../errors.js';
import { BATCH_HEADER_SIZE, MAX_RECORD_OFFSET, MAX_TIMESTAMP_OFFSET, baseOffsetNumberAt, batchSizeAt, isSafeInt64, lastOffsetNumberAt, maxTimestampNumberAt, validateBatchAt, writeInt64NumberAt } from '../batch/batch-header.js';
import { FileWindow } from './file-window.js';
import type { LogSegment } from './log-segment.js';
import { OFFSET_INDEX_ENTRY_SIZE } from './offset-index.js';
import { TIME_INDEX_ENTRY_SIZE } from './time-index.js';

export interface SegmentRecovery {
  /** Bytes cut from the end of the `.log` (a torn or corrupt tail). */
  readonly truncatedBytes: number;
  /** Why the tail was cut, when it was. */
  readonly reason: string | undefined;
}

const MAX_RELATIVE_OFFSET = 0x7fffffff;

/**
 * Rescans a segment after an unclean shutdown: validates every batch (length, magic,
 * CRC, offsets increasing and within the segment's relative range, offsets and max
 * timestamp within +-(2^53 - 1) so that the log can hold them as numbers), cuts the file at
 * the first invalid one, and rebuilds both indexes from what remains, with the same
 * entry rule as appends. Reads the file in large chunks through a reused window.
 */
export function recoverSegment(segment: LogSegment, fileSizeInBytes: number, indexIntervalBytes: number, scratch: Buffer): SegmentRecovery {
  const window = new FileWindow(segment, fileSizeInBytes, scratch);
  const offsetEntries = new GrowableEntries(OFFSET_INDEX_ENTRY_SIZE);
  const timeEntries = new GrowableEntries(TIME_INDEX_ENTRY_SIZE);
  const base = segment.baseOffset;
  let pos = 0;
  let nextOffset = base;
  let largestTimestamp = -1;
  let offsetOfLargestTimestamp = base;
  let lastIndexedTimestamp = -1;
  let rollingBasedTimestamp: number | undefined;
  let bytesSinceLastIndexEntry = 0;
  let reason: string | undefined;
  while (pos < fileSizeInBytes) {
    const headerAt = window.ensure(pos, BATCH_HEADER_SIZE);
    if (headerAt < 0) {
      reason = `a ${fileSizeInBytes - pos}-byte partial batch header at position ${pos}`;
      break;
    }
    const size = batchSizeAt(window.buf, headerAt);
    if (size < BATCH_HEADER_SIZE || pos + size > fileSizeInBytes) {
      reason = `a batch at position ${pos} claims ${size} bytes, ${fileSizeInBytes - pos} remain`;
      break;
    }
    const o = window.ensure(pos, size);
    const buf = window.buf;
    try {
      validateBatchAt(buf, o, o + size);
    } catch (err) {
      reason = `an invalid batch at position ${pos} (${err instanceof KafkaError ? err.message : String(err)})`;
      break;
    }
    // The base offset is checked against nextOffset (a safe integer) first, so the last
    // offset is exact whenever it is itself within range.
    const batchBase = baseOffsetNumberAt(buf, o);
    const lastOffset = lastOffsetNumberAt(buf, o);
    if (batchBase < nextOffset || !(lastOffset <= MAX_RECORD_OFFSET) || lastOffset - base > MAX_RELATIVE_OFFSET) {
      reason = `a batch at position ${pos} with offsets ${buf.readBigInt64BE(o)}..+${lastOffset - batchBase} after offset ${nextOffset - 1}`;
      break;
    }
    const maxTimestamp = maxTimestampNumberAt(buf, o);
    if (!isSafeInt64(maxTimestamp)) {
      reason = `a batch at position ${pos} with max timestamp ${buf.readBigInt64BE(o + MAX_TIMESTAMP_OFFSET)} beyond +-(2^53 - 1)`;
      break;
    }
    rollingBasedTimestamp ??= maxTimestamp;
    if (maxTimestamp > largestTimestamp) {
      largestTimestamp = maxTimestamp;
      offsetOfLargestTimestamp = lastOffset;
    }
    if (bytesSinceLastIndexEntry > indexIntervalBytes) {
      offsetEntries.next().writeInt32BE(lastOffset - base, offsetEntries.at);
      offsetEntries.buf.writeInt32BE(pos, offsetEntries.at + 4);
      if (largestTimestamp > lastIndexedTimestamp) {
        writeInt64NumberAt(timeEntries.next(), largestTimestamp, timeEntries.at);
        timeEntries.buf.writeInt32BE(offsetOfLargestTimestamp - base, timeEntries.at + 8);
        lastIndexedTimestamp = largestTimestamp;
      }
      bytesSinceLastIndexEntry = 0;
    }
    bytesSinceLastIndexEntry += size;
    nextOffset = lastOffset + 1;
    pos += size;
  }
  if (pos < fileSizeInBytes) ftruncateSync(segment.logFd(), pos);
  segment.restore({ sizeInBytes: pos, nextOffset, largestTimestamp, offsetOfLargestTimestamp, rollingBasedTimestamp });
  segment.offsetIndex.replaceWith(offsetEntries.buf, offsetEntries.count);
  segment.timeIndex.replaceWith(timeEntries.buf, timeEntries.count);
  segment.onBecomeInactive();
  segment.markDirty();
  return { truncatedBytes: fileSizeInBytes - pos, reason };
}

/** Index entries built in memory (a rescan, the cleaner's output). */
export class GrowableEntries {
  buf = Buffer.allocUnsafe(4096);
  count = 0;
  at = 0;

  constructor(readonly entrySize: number) {}

  /** Reserves the next entry; its byte offset is `at`. */
  next(): Buffer {
    this.at = this.count * this.entrySize;
    if (this.at + this.entrySize > this.buf.length) {
      const grown = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(grown, 0, 0, this.at);
      this.buf = grown;
    }
    this.count++;
    return this.buf;
  }
}
