/**
 * Encodes Kafka's primitive types (big-endian) into a buffer that grows as needed.
 * Methods chain; `toBuffer()` returns a view of the bytes written so far.
 *
 * Flexible versions (KIP-482) use compact forms: lengths as unsigned varints holding
 * length + 1, so that 0 can mean null. Tagged fields end every flexible struct.
 */
export interface TaggedField {
  tag: number;
  data: Buffer;
}

const INITIAL_CAPACITY = 256;

/**
 * Record sets at least this large are not copied into the writer's buffer: they are kept
 * as their own chunk and sent with the rest by `toChunks()` (a Fetch response serves stored
 * batches as the bytes they are on disk). Smaller ones are cheaper to copy than to track.
 */
const ZERO_COPY_MIN_BYTES = 4096;

export class Writer {
  private buf: Buffer;
  private pos = 0;
  /** Finished chunks before `buf` (only when a large record set was spliced in). */
  private chunks: Buffer[] = [];
  private chunkedBytes = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.buf = Buffer.allocUnsafe(Math.max(capacity, 16));
  }

  /** Bytes written so far, spliced record sets included. */
  get length(): number {
    return this.chunkedBytes + this.pos;
  }

  /** The bytes written so far as one buffer (copies only when record sets were spliced in). */
  toBuffer(): Buffer {
    if (this.chunks.length === 0) return this.buf.subarray(0, this.pos);
    return Buffer.concat(this.toChunks(), this.length);
  }

  /** The bytes written so far as a list of buffers, for a vectored socket write. */
  toChunks(): Buffer[] {
    return this.pos === 0 ? [...this.chunks] : [...this.chunks, this.buf.subarray(0, this.pos)];
  }

  /**
   * Record sets (Produce's and Fetch's `records`): NULLABLE_BYTES, or COMPACT_NULLABLE_BYTES
   * in flexible versions. Large ones are spliced in without a copy (see ZERO_COPY_MIN_BYTES).
   */
  records(v: Buffer | null, compact: boolean): this {
    if (v === null) return compact ? this.unsignedVarint(0) : this.int32(-1);
    if (compact) this.unsignedVarint(v.length + 1);
    else this.int32(v.length);
    if (v.length < ZERO_COPY_MIN_BYTES) return this.raw(v);
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    this.chunks.push(v);
    this.chunkedBytes += this.pos + v.length;
    this.buf = this.buf.subarray(this.pos);
    this.pos = 0;
    if (this.buf.length < 64) this.buf = Buffer.allocUnsafe(INITIAL_CAPACITY);
    return this;
  }

  /** Doubling growth keeps the cost of many small writes linear. */
  private ensure(n: number): void {
    const needed = this.pos + n;
    if (needed <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int8(v: number): this {
    this.ensure(1);
    this.pos = this.buf.writeInt8(v, this.pos);
    return this;
  }

  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(v, this.pos);
    return this;
  }

  uint16(v: number): this {
    this.ensure(2);
    this.pos = this.buf.writeUInt16BE(v, this.pos);
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(v, this.pos);
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeUInt32BE(v, this.pos);
    return this;
  }

  int64(v: bigint): this {
    this.ensure(8);
    this.pos = this.buf.writeBigInt64BE(v, this.pos);
    return this;
  }

  /** IEEE 754 double, big-endian. */
  float64(v: number): this {
    this.ensure(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
    return this;
  }

  /** Unsigned LEB128 of a 32-bit value (at most 5 bytes). */
  unsignedVarint(v: number): this {
    let value = v >>> 0;
    this.ensure(5);
    while (value > 0x7f) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buf[this.pos++] = value;
    return this;
  }

  raw(bytes: Buffer): this {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.pos);
    this.pos += bytes.length;
    return this;
  }

  string(v: string): this {
    const bytes = Buffer.from(v, 'utf8');
    if (bytes.length > 0x7fff) throw new RangeError(`string of ${bytes.length} bytes exceeds INT16 length`);
    return this.int16(bytes.length).raw(bytes);
  }

  nullableString(v: string | null): this {
    return v === null ? this.int16(-1) : this.string(v);
  }

  compactString(v: string): this {
    const bytes = Buffer.from(v, 'utf8');
    return this.unsignedVarint(bytes.length + 1).raw(bytes);
  }

  compactNullableString(v: string | null): this {
    return v === null ? this.unsignedVarint(0) : this.compactString(v);
  }

  bytes(v: Buffer): this {
    return this.int32(v.length).raw(v);
  }

  nullableBytes(v: Buffer | null): this {
    return v === null ? this.int32(-1) : this.bytes(v);
  }

  compactBytes(v: Buffer): this {
    return this.unsignedVarint(v.length + 1).raw(v);
  }

  compactNullableBytes(v: Buffer | null): this {
    return v === null ? this.unsignedVarint(0) : this.compactBytes(v);
  }

  array<T>(items: readonly T[], each: (w: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) each(this, item);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    return items === null ? this.int32(-1) : this.array(items, each);
  }

  compactArray<T>(items: readonly T[], each: (w: this, item: T) => void): this {
    this.unsignedVarint(items.length + 1);
    for (const item of items) each(this, item);
    return this;
  }

  compactNullableArray<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    return items === null ? this.unsignedVarint(0) : this.compactArray(items, each);
  }

  /** Kafka requires tags in ascending order; sorting here keeps callers simple. */
  taggedFields(fields: readonly TaggedField[] = []): this {
    // Most structs carry none: one byte, no copy of the list.
    if (fields.length === 0) return this.unsignedVarint(0);
    const sorted = [...fields].sort((a, b) => a.tag - b.tag);
    this.unsignedVarint(sorted.length);
    for (const { tag, data } of sorted) this.unsignedVarint(tag).unsignedVarint(data.length).raw(data);
    return this;
  }

  /** A UUID in its canonical 8-4-4-4-12 hex form, written as 16 raw bytes. */
  uuid(v: string): this {
    const hex = v.replace(/-/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${v}`);
    return this.raw(Buffer.from(hex, 'hex'));
  }
}
