import { keyDigest } from './key-digest.js';

/** Kafka's log.cleaner.dedupe.buffer.size for one cleaner thread. */
export const DEFAULT_OFFSET_MAP_BYTES = 16 * 1024 * 1024;
/** Kafka's log.cleaner.io.buffer.load.factor: how full the map may get before a pass stops mapping. */
export const DEFAULT_OFFSET_MAP_LOAD_FACTOR = 0.9;
/** A slot: a 16-byte key digest and an 8-byte offset. */
export const OFFSET_MAP_SLOT_BYTES = 24;

/**
 * The cleaner's key -> latest offset map (Kafka's SkimpyOffsetMap): fixed memory, keys
 * kept only as 128-bit digests (see keyDigest), so a map of 16 MiB holds about 630,000
 * keys whatever their size.
 *
 * Layout: `slots` entries in two typed arrays, the digest as four int32 in `digests`
 * and the offset + 1 in `offsets` (0 marks an empty slot, so clearing is a fill).
 * Open addressing with linear probing from the digest's first lane. The map never holds
 * more than `maxEntries` (slots x load factor): the cleaner checks `hasRoomFor` before
 * each batch and stops mapping there, so probing stays short and always ends.
 *
 * Single-threaded: one LogCleaner uses it for one log at a time.
 */
export class OffsetMap {
  readonly slots: number;
  readonly maxEntries: number;
  private readonly digests: Int32Array;
  private readonly offsets: Float64Array;
  private readonly digest = new Int32Array(4);
  private entries = 0;
  /** The largest offset put since the last clear, -1 when none. */
  latestOffset = -1;

  constructor(memoryBytes: number = DEFAULT_OFFSET_MAP_BYTES, loadFactor: number = DEFAULT_OFFSET_MAP_LOAD_FACTOR) {
    this.slots = Math.floor(memoryBytes / OFFSET_MAP_SLOT_BYTES);
    this.maxEntries = Math.floor(this.slots * loadFactor);
    if (this.maxEntries < 1) throw new RangeError(`an offset map of ${memoryBytes} bytes at load factor ${loadFactor} holds no key`);
    this.digests = new Int32Array(this.slots * 4);
    this.offsets = new Float64Array(this.slots);
  }

  get size(): number {
    return this.entries;
  }

  /** Share of the slots in use. */
  get utilization(): number {
    return this.entries / this.slots;
  }

  hasRoomFor(keys: number): boolean {
    return this.entries + keys <= this.maxEntries;
  }

  /** Records `offset` as the latest for the key in buf[start, start + length). */
  put(buf: Buffer, start: number, length: number, offset: number): void {
    const slot = this.find(buf, start, length);
    if (this.offsets[slot] === 0) {
      if (this.entries >= this.maxEntries) throw new RangeError(`offset map is full (${this.entries} keys)`);
      const d = this.digest;
      const at = slot * 4;
      this.digests[at] = d[0]!;
      this.digests[at + 1] = d[1]!;
      this.digests[at + 2] = d[2]!;
      this.digests[at + 3] = d[3]!;
      this.entries++;
    }
    this.offsets[slot] = offset + 1;
    if (offset > this.latestOffset) this.latestOffset = offset;
  }

  /** The latest offset recorded for the key, -1 when it is not in the map. */
  get(buf: Buffer, start: number, length: number): number {
    return this.offsets[this.find(buf, start, length)]! - 1;
  }

  clear(): void {
    if (this.entries === 0 && this.latestOffset < 0) return;
    this.digests.fill(0);
    this.offsets.fill(0);
    this.entries = 0;
    this.latestOffset = -1;
  }

  /** The slot holding the key's digest, or the empty slot where it would go. */
  private find(buf: Buffer, start: number, length: number): number {
    const d = this.digest;
    keyDigest(buf, start, length, d);
    const d0 = d[0]!;
    const d1 = d[1]!;
    const d2 = d[2]!;
    const d3 = d[3]!;
    const slots = this.slots;
    let slot = (d0 >>> 0) % slots;
    for (;;) {
      if (this.offsets[slot] === 0) return slot;
      const at = slot * 4;
      if (this.digests[at] === d0 && this.digests[at + 1] === d1 && this.digests[at + 2] === d2 && this.digests[at + 3] === d3) return slot;
      slot = slot + 1 === slots ? 0 : slot + 1;
    }
  }
}
