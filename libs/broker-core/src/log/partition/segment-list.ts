import { int64NumberAt, writeInt64NumberAt } from '../batch/batch-header.js';
import { LogSegment, type SegmentSettings, type SegmentState } from '../segment/log-segment.js';

/** Bytes per segment row in the clean-shutdown manifest (see log-files.ts). */
export const MANIFEST_ROW_BYTES = 72;
/** The rolling timestamp of an empty segment is stored as int64 -2^63: high word, low word 0. */
const NO_TIMESTAMP_ROW_HIGH = -0x8000_0000;

export function writeStateRow(buf: Buffer, at: number, s: SegmentState): void {
  writeInt64NumberAt(buf, s.baseOffset, at);
  writeInt64NumberAt(buf, s.nextOffset, at + 8);
  writeInt64NumberAt(buf, s.largestTimestamp, at + 16);
  writeInt64NumberAt(buf, s.offsetOfLargestTimestamp, at + 24);
  if (s.rollingBasedTimestamp === undefined) {
    buf.writeInt32BE(NO_TIMESTAMP_ROW_HIGH, at + 32);
    buf.writeInt32BE(0, at + 36);
  } else {
    writeInt64NumberAt(buf, s.rollingBasedTimestamp, at + 32);
  }
  buf.writeDoubleBE(s.createdMs, at + 40);
  buf.writeDoubleBE(s.sizeInBytes, at + 48);
  buf.writeInt32BE(s.indexEntries, at + 56);
  buf.writeInt32BE(s.timeIndexEntries, at + 60);
  buf.writeDoubleBE(s.lastModifiedMs, at + 64);
}

function isNoTimestampRow(buf: Buffer, at: number): boolean {
  return buf.readInt32BE(at + 32) === NO_TIMESTAMP_ROW_HIGH && buf.readInt32BE(at + 36) === 0;
}

function readStateRow(buf: Buffer, at: number): SegmentState {
  return {
    baseOffset: int64NumberAt(buf, at),
    nextOffset: int64NumberAt(buf, at + 8),
    largestTimestamp: int64NumberAt(buf, at + 16),
    offsetOfLargestTimestamp: int64NumberAt(buf, at + 24),
    rollingBasedTimestamp: isNoTimestampRow(buf, at) ? undefined : int64NumberAt(buf, at + 32),
    createdMs: buf.readDoubleBE(at + 40),
    sizeInBytes: buf.readDoubleBE(at + 48),
    indexEntries: buf.readInt32BE(at + 56),
    timeIndexEntries: buf.readInt32BE(at + 60),
    lastModifiedMs: buf.readDoubleBE(at + 64),
  };
}

/**
 * The segments of a log in base-offset order, the active one last. After a clean
 * shutdown they start as rows of the manifest Buffer and become LogSegment objects only
 * when something touches them (a read, a lookup, retention), so opening a log costs the
 * same for 10 segments or 10,000. Offsets, sizes and timestamps needed for lookups and
 * retention are read from the row without materialising. Any removal materialises all
 * first (removals are rare: retention, truncation), so rows never shift.
 */
export class SegmentList {
  private readonly items: (LogSegment | undefined)[];

  constructor(
    private readonly dir: string,
    private readonly settings: SegmentSettings,
    segments: LogSegment[],
    private readonly rows: Buffer | undefined = undefined,
    rowCount = 0,
  ) {
    this.items = rows === undefined ? segments : new Array<LogSegment | undefined>(rowCount);
  }

  get length(): number {
    return this.items.length;
  }

  get(i: number): LogSegment {
    let segment = this.items[i];
    if (segment === undefined) {
      segment = new LogSegment(this.dir, readStateRow(this.rows!, i * MANIFEST_ROW_BYTES), this.settings);
      this.items[i] = segment;
    }
    return segment;
  }

  last(): LogSegment {
    return this.get(this.items.length - 1);
  }

  baseOffset(i: number): number {
    return this.items[i]?.baseOffset ?? int64NumberAt(this.rows!, i * MANIFEST_ROW_BYTES);
  }

  nextOffset(i: number): number {
    return this.items[i]?.nextOffset ?? int64NumberAt(this.rows!, i * MANIFEST_ROW_BYTES + 8);
  }

  largestTimestamp(i: number): number {
    return this.items[i]?.largestTimestamp ?? int64NumberAt(this.rows!, i * MANIFEST_ROW_BYTES + 16);
  }

  offsetOfLargestTimestamp(i: number): number {
    return this.items[i]?.offsetOfLargestTimestamp ?? int64NumberAt(this.rows!, i * MANIFEST_ROW_BYTES + 24);
  }

  sizeInBytes(i: number): number {
    return this.items[i]?.sizeInBytes ?? this.rows!.readDoubleBE(i * MANIFEST_ROW_BYTES + 48);
  }

  /** Index of the segment holding `offset`: the last whose base offset is <= it (0 if none). */
  indexFor(offset: number): number {
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.baseOffset(mid) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  push(segment: LogSegment): void {
    this.items.push(segment);
  }

  lastModifiedMs(i: number): number {
    return this.items[i]?.lastModifiedMs ?? this.rows!.readDoubleBE(i * MANIFEST_ROW_BYTES + 64);
  }

  /** Replaces `count` segments from `start` with `segment` (the cleaner's swap); returns the replaced ones. */
  replace(start: number, count: number, segment: LogSegment): LogSegment[] {
    const removed = this.all().slice(start, start + count);
    this.items.splice(start, count, segment);
    return removed;
  }

  /** Removes and returns `count` segments from `start` (all of them from `start` when omitted). */
  splice(start: number, count = this.items.length - start): LogSegment[] {
    const removed = this.all().slice(start, start + count);
    this.items.splice(start, count);
    return removed;
  }

  /** Every segment, materialised. */
  all(): LogSegment[] {
    for (let i = 0; i < this.items.length; i++) this.get(i);
    return this.items as LogSegment[];
  }

  /** The segments that exist as objects: the only ones that can have unflushed writes. */
  materialized(): LogSegment[] {
    return this.items.filter((s): s is LogSegment => s !== undefined);
  }

  /** Manifest rows for every segment, copying untouched rows as they were. */
  toRows(): Buffer {
    const out = Buffer.allocUnsafe(this.items.length * MANIFEST_ROW_BYTES);
    for (let i = 0; i < this.items.length; i++) {
      const segment = this.items[i];
      if (segment === undefined) this.rows!.copy(out, i * MANIFEST_ROW_BYTES, i * MANIFEST_ROW_BYTES, (i + 1) * MANIFEST_ROW_BYTES);
      else writeStateRow(out, i * MANIFEST_ROW_BYTES, segment.state());
    }
    return out;
  }
}
