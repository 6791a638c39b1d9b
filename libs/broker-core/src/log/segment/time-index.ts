import { int64NumberAt, isSafeInt64, writeInt64NumberAt } from '../batch/batch-header.js';
import { IndexFile } from './index-file.js';
import type { OpenFiles } from './open-files.js';

export const TIME_INDEX_ENTRY_SIZE = 12;

export interface TimestampOffset {
  readonly timestamp: number;
  readonly offset: number;
}

const timestampAt = (buf: Buffer, entry: number): number => int64NumberAt(buf, entry * TIME_INDEX_ENTRY_SIZE);

/**
 * The time index of one segment (`.timeindex`).
 *
 * Layout: 12-byte entries, 8-byte timestamp and 4-byte offset relative to the segment's
 * base offset, big-endian. Each entry records the largest timestamp seen so far in the
 * segment and the offset of the batch holding it, so timestamps strictly increase
 * across entries even when producers' timestamps do not. Entries are added alongside
 * offset index entries (every `index.interval.bytes`) and when the segment is rolled.
 *
 * Single-threaded, owned by its LogSegment.
 */
export class TimeIndex extends IndexFile {
  private lastTimestamp: number | undefined;

  constructor(
    path: string,
    readonly baseOffset: number,
    maxIndexBytes: number,
    knownEntries: number,
    openFiles?: OpenFiles,
  ) {
    super(path, TIME_INDEX_ENTRY_SIZE, maxIndexBytes, knownEntries, openFiles);
  }

  /** Appends (timestamp, offset) unless the timestamp does not exceed the last entry's. */
  maybeAppend(timestamp: number, offset: number): void {
    if (this.lastTimestamp === undefined) this.lastTimestamp = this.lastEntry()?.timestamp ?? -1;
    if (timestamp <= this.lastTimestamp || this.isFull()) return;
    writeInt64NumberAt(this.scratch, timestamp, 0);
    this.scratch.writeInt32BE(offset - this.baseOffset, 8);
    this.appendScratch();
    this.lastTimestamp = timestamp;
  }

  lastEntry(): TimestampOffset | undefined {
    if (this.entries === 0) return undefined;
    return this.entryAt(this.entries - 1);
  }

  private entryAt(slot: number): TimestampOffset {
    const buf = this.loaded();
    return {
      timestamp: timestampAt(buf, slot),
      offset: this.baseOffset + buf.readInt32BE(slot * TIME_INDEX_ENTRY_SIZE + 8),
    };
  }

  /**
   * The greatest entry whose timestamp is strictly below `timestamp`: every record at or
   * before its offset is older than the target, so a search may start there. Undefined
   * when even the first entry is not older (search from the segment start).
   */
  lookupBefore(timestamp: number): TimestampOffset | undefined {
    const slot = this.largestLowerBound(timestamp - 1, timestampAt);
    return slot < 0 ? undefined : this.entryAt(slot);
  }

  /** Removes entries for offsets >= `offset`. */
  truncateToOffset(offset: number): void {
    const buf = this.loaded();
    const relative = offset - this.baseOffset;
    let keep = this.entries;
    while (keep > 0 && buf.readInt32BE((keep - 1) * TIME_INDEX_ENTRY_SIZE + 8) >= relative) keep--;
    this.truncateToEntries(keep);
    this.lastTimestamp = undefined;
  }

  override replaceWith(entries: Buffer, count: number): void {
    super.replaceWith(entries, count);
    this.lastTimestamp = undefined;
  }

  sanityCheck(): string | undefined {
    const buf = this.loaded();
    let previous = -Infinity;
    for (let i = 0; i < this.entries; i++) {
      const ts = timestampAt(buf, i);
      const relative = buf.readInt32BE(i * TIME_INDEX_ENTRY_SIZE + 8);
      if (!isSafeInt64(ts) || ts <= previous || relative < 0) return `entry ${i} (timestamp ${ts}, relative offset ${relative}) is out of order`;
      previous = ts;
    }
    return undefined;
  }
}
