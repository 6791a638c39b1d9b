import { isUtf8 } from 'node:buffer';
import { KafkaError } from '../../errors.js';

/**
 * Decodes Kafka's primitive types from untrusted bytes. Every read is bounds-checked and
 * every length validated against the bytes that remain, so malformed input surfaces as a
 * KafkaError (never a RangeError, never a huge allocation):
 * - CORRUPT_MESSAGE: the input ends before the value does;
 * - INVALID_REQUEST: a value is impossible (negative length, a length longer than the
 *   rest of the input, an over-long varint, tags out of order, a string that is not UTF-8).
 */
export const NULL_UUID = '00000000-0000-0000-0000-000000000000';

/** Reads one tagged field's payload; returns false when the tag is unknown (then skipped). */
export type TaggedFieldHandler = (tag: number, field: Reader) => boolean;

export class Reader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    offset = 0,
  ) {
    this.pos = offset;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) {
      throw new KafkaError('CORRUPT_MESSAGE', `truncated ${what}: need ${n} bytes at offset ${this.pos}, have ${this.remaining}`);
    }
  }

  private length(n: number, what: string): number {
    if (n < 0) throw new KafkaError('INVALID_REQUEST', `negative ${what} length ${n}`);
    if (n > this.remaining) throw new KafkaError('INVALID_REQUEST', `${what} length ${n} exceeds the ${this.remaining} bytes left`);
    return n;
  }

  int8(): number {
    this.need(1, 'int8');
    return this.buf.readInt8(this.pos++);
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2, 'int16');
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  uint16(): number {
    this.need(2, 'uint16');
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4, 'int32');
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint32(): number {
    this.need(4, 'uint32');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  int64(): bigint {
    this.need(8, 'int64');
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  /** IEEE 754 double, big-endian. */
  float64(): number {
    this.need(8, 'float64');
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  unsignedVarint(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      this.need(1, 'varint');
      const b = this.buf[this.pos++]!;
      // The fifth byte may only carry the top 4 bits of a 32-bit value.
      if (i === 4 && b > 0x0f) throw new KafkaError('INVALID_REQUEST', 'varint exceeds 32 bits');
      value |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) return value >>> 0;
    }
    throw new KafkaError('INVALID_REQUEST', 'varint longer than 5 bytes');
  }

  raw(n: number): Buffer {
    this.need(n, 'bytes');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /**
   * Strings must be UTF-8, as the protocol says. Decoding bad bytes leniently would put a
   * 3-byte U+FFFD in place of each, and a name echoed back in a response could then no
   * longer fit its INT16 length (20,000 bad bytes of topic name became 54,607).
   */
  private utf8(n: number): string {
    const at = this.pos;
    const bytes = this.raw(n);
    if (!isUtf8(bytes)) throw new KafkaError('INVALID_REQUEST', `string of ${n} bytes at offset ${at} is not valid UTF-8`);
    return bytes.toString('utf8');
  }

  string(): string {
    return this.utf8(this.length(this.int16(), 'string'));
  }

  nullableString(): string | null {
    const n = this.int16();
    return n === -1 ? null : this.utf8(this.length(n, 'string'));
  }

  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new KafkaError('INVALID_REQUEST', 'null where a non-nullable compact string is required');
    return s;
  }

  compactNullableString(): string | null {
    const n = this.unsignedVarint();
    return n === 0 ? null : this.utf8(this.length(n - 1, 'compact string'));
  }

  bytes(): Buffer {
    return this.raw(this.length(this.int32(), 'bytes'));
  }

  nullableBytes(): Buffer | null {
    const n = this.int32();
    return n === -1 ? null : this.raw(this.length(n, 'bytes'));
  }

  compactBytes(): Buffer {
    const b = this.compactNullableBytes();
    if (b === null) throw new KafkaError('INVALID_REQUEST', 'null where non-nullable compact bytes are required');
    return b;
  }

  /** Record sets: NULLABLE_BYTES, or COMPACT_NULLABLE_BYTES in flexible versions; a view, not a copy. */
  records(compact: boolean): Buffer | null {
    return compact ? this.compactNullableBytes() : this.nullableBytes();
  }

  compactNullableBytes(): Buffer | null {
    const n = this.unsignedVarint();
    return n === 0 ? null : this.raw(this.length(n - 1, 'compact bytes'));
  }

  /**
   * Every element of every Kafka array takes at least one byte, so a count above the bytes
   * left is a lie: rejecting it up front stops a 4-byte input from driving a 2^31 loop.
   */
  array<T>(each: (r: this) => T): T[] {
    const items = this.nullableArray(each);
    if (items === null) throw new KafkaError('INVALID_REQUEST', 'null where a non-nullable array is required');
    return items;
  }

  nullableArray<T>(each: (r: this) => T): T[] | null {
    const n = this.int32();
    return n === -1 ? null : this.items(this.length(n, 'array'), each);
  }

  compactArray<T>(each: (r: this) => T): T[] {
    const items = this.compactNullableArray(each);
    if (items === null) throw new KafkaError('INVALID_REQUEST', 'null where a non-nullable compact array is required');
    return items;
  }

  compactNullableArray<T>(each: (r: this) => T): T[] | null {
    const n = this.unsignedVarint();
    return n === 0 ? null : this.items(this.length(n - 1, 'compact array'), each);
  }

  private items<T>(n: number, each: (r: this) => T): T[] {
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each(this));
    return out;
  }

  /**
   * Reads a tagged-field section. Known tags are decoded by `handler` from a reader
   * confined to the field's bytes; unknown ones are skipped, as forward compatibility asks.
   */
  taggedFields(handler: TaggedFieldHandler = () => false): void {
    const count = this.length(this.unsignedVarint(), 'tagged fields');
    let last = -1;
    for (let i = 0; i < count; i++) {
      const tag = this.unsignedVarint();
      if (tag <= last) throw new KafkaError('INVALID_REQUEST', `tagged field ${tag} out of order after ${last}`);
      last = tag;
      const data = this.raw(this.length(this.unsignedVarint(), 'tagged field'));
      handler(tag, new Reader(data));
    }
  }

  uuid(): string {
    const hex = this.raw(16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
