import { IndexFile } from './index-file.js';
import type { OpenFiles } from './open-files.js';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export interface OffsetPosition {
  /** Absolute offset of the entry (the last offset of the batch it points at). */
  readonly offset: number;
  /** Byte position of that batch in the segment's .log file. */
  readonly position: number;
}

const relativeOffsetAt = (buf: Buffer, entry: number): number => buf.readInt32BE(entry * OFFSET_INDEX_ENTRY_SIZE);

/**
 * The sparse offset index of one segment (`.index`).
 *
 * Layout: 8-byte entries, 4-byte offset relative to the segment's base offset and 4-byte
 * byte position in the `.log`, both big-endian, sorted by offset. An entry is added once
 * at least `index.interval.bytes` were appended since the previous one; it names the
 * last offset of a batch and the position where that batch starts. A lookup finds the
 * greatest entry <= the target and the caller scans batch headers from there.
 *
 * Invariants: relative offsets and positions strictly increase; the file is exactly
 * `entries * 8` bytes. Single-threaded, owned by its LogSegment.
 */
export class OffsetIndex extends IndexFile {
  constructor(
    path: string,
    readonly baseOffset: number,
    maxIndexBytes: number,
    knownEntries: number,
    openFiles?: OpenFiles,
  ) {
    super(path, OFFSET_INDEX_ENTRY_SIZE, maxIndexBytes, knownEntries, openFiles);
  }

  append(offset: number, position: number): void {
    this.scratch.writeInt32BE(offset - this.baseOffset, 0);
    this.scratch.writeInt32BE(position, 4);
    this.appendScratch();
  }

  /** The greatest entry whose offset is <= target, or the segment start when none is. */
  lookup(targetOffset: number): OffsetPosition {
    const relative = targetOffset - this.baseOffset;
    if (relative < 0) return { offset: this.baseOffset, position: 0 };
    const slot = this.largestLowerBound(relative > 0x7fffffff ? 0x7fffffff : relative, relativeOffsetAt);
    if (slot < 0) return { offset: this.baseOffset, position: 0 };
    const buf = this.loaded();
    return {
      offset: this.baseOffset + buf.readInt32BE(slot * OFFSET_INDEX_ENTRY_SIZE),
      position: buf.readInt32BE(slot * OFFSET_INDEX_ENTRY_SIZE + 4),
    };
  }

  /** Removes entries pointing at `position` or beyond (after the log was cut there). */
  truncateToPosition(position: number): void {
    const buf = this.loaded();
    let keep = this.entries;
    while (keep > 0 && buf.readInt32BE((keep - 1) * OFFSET_INDEX_ENTRY_SIZE + 4) >= position) keep--;
    this.truncateToEntries(keep);
  }

  /**
   * Checks what a crash could have broken: entries increasing, positions inside the log.
   * Returns a description of the first problem, or undefined when the index is sound.
   */
  sanityCheck(logSizeInBytes: number): string | undefined {
    const buf = this.loaded();
    let previousOffset = -1;
    let previousPosition = -1;
    for (let i = 0; i < this.entries; i++) {
      const relative = buf.readInt32BE(i * OFFSET_INDEX_ENTRY_SIZE);
      const position = buf.readInt32BE(i * OFFSET_INDEX_ENTRY_SIZE + 4);
      if (relative <= previousOffset || position <= previousPosition || position >= logSizeInBytes) {
        return `entry ${i} (relative offset ${relative}, position ${position}) is out of order or past the log's ${logSizeInBytes} bytes`;
      }
      previousOffset = relative;
      previousPosition = position;
    }
    return undefined;
  }
}
