import fc from 'fast-check';
import { KafkaError } from '../../errors.js';
import { ByteReader, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

function varint(value: number): Buffer {
  const buf = Buffer.alloc(sizeOfVarint(value));
  expect(writeVarint(buf, 0, value)).toBe(buf.length);
  return buf;
}

function varlong(value: bigint | number): Buffer {
  const buf = Buffer.alloc(sizeOfVarlong(value));
  expect(writeVarlong(buf, 0, value)).toBe(buf.length);
  return buf;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

describe('zig-zag varints', () => {
  it.each([
    // value, bytes: zig-zag maps 0,-1,1,-2,2 to 0,1,2,3,4, then 7 bits per byte, low first.
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-64, '7f'],
    [63, '7e'],
    [64, '8001'],
    [300, 'd804'], // zig-zag 600 = 0b100_1011000 -> d8 04
    [2147483647, 'feffffff0f'],
    [-2147483648, 'ffffffff0f'],
  ])('varint %d is %s', (value, hex) => {
    expect(varint(value).toString('hex')).toBe(hex);
    expect(new ByteReader(Buffer.from(hex, 'hex'), 0).readVarint()).toBe(value);
  });

  it.each([
    [0n, '00'],
    [-1n, '01'],
    [1n, '02'],
    [2n ** 48n - 1n, 'feffffffffff7f'], // zig-zag 2^49-2: 48 one bits after a zero
    [2n ** 53n + 1n, '8280808080808020'], // zig-zag 2^54+2: bits 1 and 54
    [INT64_MAX, 'feffffffffffffffff01'],
    [INT64_MIN, 'ffffffffffffffffff01'],
  ])('varlong %s is %s', (value, hex) => {
    expect(varlong(value).toString('hex')).toBe(hex);
    expect(new ByteReader(Buffer.from(hex, 'hex'), 0).readVarlong()).toBe(value);
  });

  it('round-trips every int32', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (value) => {
        const reader = new ByteReader(varint(value), 0);
        expect(reader.readVarint()).toBe(value);
        expect(reader.remaining).toBe(0);
      }),
    );
  });

  it('round-trips every int64, given as bigint or as a safe number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (value) => {
        const encoded = varlong(value);
        const reader = new ByteReader(encoded, 0);
        expect(reader.readVarlong()).toBe(value);
        expect(reader.remaining).toBe(0);
        if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(varlong(Number(value))).toEqual(encoded);
        }
      }),
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), (value) => {
        expect(new ByteReader(varlong(value), 0).readVarlong()).toBe(BigInt(value));
      }),
    );
  });

  it('refuses varlongs outside int64', () => {
    expect(() => sizeOfVarlong(INT64_MAX + 1n)).toThrow(KafkaError);
    expect(() => writeVarlong(Buffer.alloc(10), 0, INT64_MIN - 1n)).toThrow(/INVALID_RECORD/);
  });

  it('throws CORRUPT_MESSAGE for a varint running past the buffer or longer than 5 bytes', () => {
    const cases = [Buffer.from([]), Buffer.from([0x80]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])];
    for (const bytes of cases) {
      expect(() => new ByteReader(bytes, 0).readVarint()).toThrow(KafkaError);
      expect(() => new ByteReader(bytes, 0).readVarint()).toThrow(/CORRUPT_MESSAGE/);
    }
    // The reader's end bounds it, not the buffer's.
    expect(() => new ByteReader(Buffer.from([0x80, 0x01]), 0, 1).readVarint()).toThrow(/CORRUPT_MESSAGE/);
  });

  it('throws CORRUPT_MESSAGE for a varlong running past the buffer or longer than 10 bytes', () => {
    const cases = [Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]), Buffer.alloc(11, 0xff)];
    for (const bytes of cases) {
      expect(() => new ByteReader(bytes, 0).readVarlong()).toThrow(/CORRUPT_MESSAGE/);
    }
  });

  it('never throws anything but KafkaError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.boolean(), (bytes, long) => {
        const reader = new ByteReader(Buffer.from(bytes), 0);
        try {
          if (long) reader.readVarlong();
          else reader.readVarint();
        } catch (err) {
          expect(err).toBeInstanceOf(KafkaError);
        }
      }),
    );
  });
});
