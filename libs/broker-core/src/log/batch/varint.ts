import { KafkaError } from '../../errors.js';

/**
 * Zig-zag varints as Kafka writes them inside RecordBatch v2 records (ByteUtils in
 * Kafka's clients): the signed value is mapped to an unsigned one, `(n << 1) ^ (n >> 63)`,
 * so small magnitudes of either sign take few bytes; the result is written 7 bits at a
 * time, least significant group first, with the high bit of each byte meaning "more".
 *
 * - varint: int32, at most 5 bytes. Like Kafka, a 5th byte's surplus high bits are
 *   dropped rather than rejected, and a 6th continuation byte is an error.
 * - varlong: int64, at most 10 bytes, read as bigint, written from bigint or number.
 *   Plain numbers carry the arithmetic while it is exact (reading up to 7 bytes, writing
 *   |n| < 2^51), so timestamp deltas, the common case, stay off bigint arithmetic.
 *
 * Reading never throws a RangeError: running off the end or an over-long encoding is a
 * KafkaError CORRUPT_MESSAGE.
 */

const TWO_POW_7 = 128;
/** Zig-zag values below this are encoded by the number path exactly. */
const SAFE_ZIGZAG_LIMIT = 2 ** 52;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Bytes taken by `value` (an int32) as a zig-zag varint. */
export function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (v >= 0x80) {
    v >>>= 7;
    bytes++;
  }
  return bytes;
}

/** Bytes taken by `value` (an int64) as a zig-zag varlong. */
export function sizeOfVarlong(value: bigint | number): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) < SAFE_ZIGZAG_LIMIT / 2) {
    let v = value >= 0 ? value * 2 : -value * 2 - 1;
    let bytes = 1;
    while (v >= TWO_POW_7) {
      v = Math.floor(v / TWO_POW_7);
      bytes++;
    }
    return bytes;
  }
  let v = zigzag64(BigInt(value));
  let bytes = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    bytes++;
  }
  return bytes;
}

/** Writes `value` (an int32) at `pos`; returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/** Writes `value` (an int64) at `pos`; returns the position after it. */
export function writeVarlong(buf: Buffer, pos: number, value: bigint | number): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) < SAFE_ZIGZAG_LIMIT / 2) {
    let v = value >= 0 ? value * 2 : -value * 2 - 1;
    while (v >= TWO_POW_7) {
      buf[pos++] = (v % TWO_POW_7) | 0x80;
      v = Math.floor(v / TWO_POW_7);
    }
    buf[pos++] = v;
    return pos;
  }
  let v = zigzag64(BigInt(value));
  while (v >= 0x80n) {
    buf[pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  buf[pos++] = Number(v);
  return pos;
}

function zigzag64(value: bigint): bigint {
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new KafkaError('INVALID_RECORD', `varlong value ${value} is outside int64`);
  }
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
}

/**
 * A read position over `[pos, end)` of a buffer. Every read checks the bound and throws
 * CORRUPT_MESSAGE past it, so a decoder built on it cannot escape with a RangeError.
 */
export class ByteReader {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    /** Movable, so that a record's fields can be bounded by the record's own length. */
    public end: number = buf.length,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(bytes: number, what: string): void {
    if (bytes > this.end - this.pos) {
      throw new KafkaError('CORRUPT_MESSAGE', `${what} needs ${bytes} bytes at ${this.pos}, ${this.end - this.pos} left`);
    }
  }

  readInt8(): number {
    this.need(1, 'int8');
    return this.buf.readInt8(this.pos++);
  }

  readInt16(): number {
    this.need(2, 'int16');
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  readInt32(): number {
    this.need(4, 'int32');
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  readVarint(): number {
    const { buf, end } = this;
    let pos = this.pos;
    let raw = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end) throw new KafkaError('CORRUPT_MESSAGE', `varint runs past the end at ${pos}`);
      const b = buf[pos++]!;
      raw |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      if (shift >= 28) throw new KafkaError('CORRUPT_MESSAGE', `varint longer than 5 bytes at ${this.pos}`);
    }
    this.pos = pos;
    return (raw >>> 1) ^ -(raw & 1);
  }

  readVarlong(): bigint {
    const start = this.pos;
    const fast = this.readShortVarlong();
    return fast === undefined ? this.readVarlongSlow(start) : BigInt(fast);
  }

  /** A varlong as a number: exact up to 7 bytes (|value| < 2^48), rounded beyond (longer ones are rare). */
  readVarlongNumber(): number {
    const start = this.pos;
    return this.readShortVarlong() ?? Number(this.readVarlongSlow(start));
  }

  /** Reads a varlong of at most 7 bytes; undefined, the position unchanged, for a longer one. */
  private readShortVarlong(): number | undefined {
    const { buf, end } = this;
    let pos = this.pos;
    // Number path: 7 groups of 7 bits stay below 2^49, exact in a double.
    let raw = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= end) throw new KafkaError('CORRUPT_MESSAGE', `varlong runs past the end at ${pos}`);
      const b = buf[pos++]!;
      raw += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        this.pos = pos;
        return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      }
      mul *= TWO_POW_7;
    }
    return undefined;
  }

  private readVarlongSlow(start: number): bigint {
    const { buf, end } = this;
    let pos = start;
    let raw = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= end) throw new KafkaError('CORRUPT_MESSAGE', `varlong runs past the end at ${pos}`);
      const b = buf[pos++]!;
      raw |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      if (shift >= 63n) throw new KafkaError('CORRUPT_MESSAGE', `varlong longer than 10 bytes at ${start}`);
    }
    this.pos = pos;
    const v = BigInt.asUintN(64, raw);
    return BigInt.asIntN(64, (v >> 1n) ^ -(v & 1n));
  }

  /** Moves past the next `length` bytes. */
  skip(length: number, what: string): void {
    this.need(length, what);
    this.pos += length;
  }

  /** A view (no copy) of the next `length` bytes. */
  readSlice(length: number, what: string): Buffer {
    this.need(length, what);
    const slice = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return slice;
  }
}
