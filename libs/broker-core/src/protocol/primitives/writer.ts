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

export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.buf = Buffer.allocUnsafe(Math.max(capacity, 16));
  }

  get length(): number {
    return this.pos;
  }

  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
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

  /** Zig-zag signed 32-bit varint, so small negative numbers stay short. */
  varint(v: number): this {
    return this.unsignedVarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Zig-zag signed 64-bit varint (at most 10 bytes). */
  varlong(v: bigint): this {
    let value = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    while (value > 0x7fn) {
      this.buf[this.pos++] = Number(value & 0x7fn) | 0x80;
      value >>= 7n;
    }
    this.buf[this.pos++] = Number(value);
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
