import fc from 'fast-check';
import { KafkaError } from '../../errors.js';
import { expectKafkaError } from '../../log/batch/testing/expect-kafka-error.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

const hex = (w: Writer): string => w.toBuffer().toString('hex');
const reader = (h: string): Reader => new Reader(Buffer.from(h, 'hex'));

describe('Writer and Reader byte layouts', () => {
  it('writes fixed-width integers big-endian', () => {
    expect(hex(new Writer().int8(-1).int16(258).int32(-2).uint32(0xfffffffe).int64(1n))).toBe(
      'ff' + '0102' + 'fffffffe' + 'fffffffe' + '0000000000000001',
    );
  });

  it('writes uint16 and float64 big-endian', () => {
    expect(hex(new Writer().uint16(0xfffe).float64(1.5))).toBe('fffe' + '3ff8000000000000');
    const r = reader('fffe' + '3ff8000000000000');
    expect([r.uint16(), r.float64()]).toEqual([0xfffe, 1.5]);
    expectKafkaError(() => reader('00').uint16(), 'CORRUPT_MESSAGE', /truncated uint16/);
    expectKafkaError(() => reader('00000000').float64(), 'CORRUPT_MESSAGE', /truncated float64/);
  });

  // Signed (zig-zag) varints only occur inside record batches, which have their own codec
  // (log/batch/varint.ts); protocol fields use unsigned ones only.
  it('writes unsigned varints as LEB128', () => {
    expect(hex(new Writer().unsignedVarint(0).unsignedVarint(127).unsignedVarint(300))).toBe('00' + '7f' + 'ac02');
    expect(hex(new Writer().unsignedVarint(0xffffffff))).toBe('ffffffff0f');
  });

  it('writes compact lengths as length + 1, with 0 for null', () => {
    expect(hex(new Writer().compactString('ab').compactNullableString(null).compactString(''))).toBe('036162' + '00' + '01');
    expect(hex(new Writer().string('ab').nullableString(null))).toBe('00026162' + 'ffff');
    expect(hex(new Writer().bytes(Buffer.from([9])).nullableBytes(null).compactBytes(Buffer.alloc(0)))).toBe('0000000109' + 'ffffffff' + '01');
  });

  it('writes tagged fields sorted by tag, and an empty section as a single zero', () => {
    expect(hex(new Writer().taggedFields())).toBe('00');
    expect(hex(new Writer().taggedFields([{ tag: 5, data: Buffer.from([7]) }, { tag: 1, data: Buffer.alloc(0) }]))).toBe('02' + '0100' + '050107');
  });

  it('writes a UUID as 16 raw bytes', () => {
    const id = '0123e456-89ab-cdef-0123-456789abcdef';
    expect(hex(new Writer().uuid(id))).toBe('0123e45689abcdef0123456789abcdef');
    expect(reader('0123e45689abcdef0123456789abcdef').uuid()).toBe(id);
  });

  it('grows past its initial capacity', () => {
    const big = Buffer.alloc(10_000, 7);
    expect(new Reader(new Writer(16).int8(1).bytes(big).toBuffer(), 1).bytes()).toEqual(big);
  });
});

describe('Writer and Reader round trips', () => {
  it('round-trips every primitive', () => {
    const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          i8: fc.integer({ min: -128, max: 127 }),
          i16: fc.integer({ min: -32768, max: 32767 }),
          i32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
          u32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          i64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          uvi: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          s: fc.string({ unit: 'grapheme', maxLength: 20 }),
          ns: nullable(fc.string({ maxLength: 20 })),
          cs: nullable(fc.string({ unit: 'grapheme', maxLength: 20 })),
          b: nullable(fc.uint8Array({ maxLength: 20 })),
          cb: nullable(fc.uint8Array({ maxLength: 20 })),
          arr: fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 10 }),
          carr: nullable(fc.array(fc.string({ maxLength: 5 }), { maxLength: 10 })),
          bool: fc.boolean(),
          id: fc.uuid(),
        }),
        (v) => {
          const bytes = (u: Uint8Array | null): Buffer | null => (u === null ? null : Buffer.from(u));
          const w = new Writer(16)
            .int8(v.i8).int16(v.i16).int32(v.i32).uint32(v.u32).int64(v.i64)
            .unsignedVarint(v.uvi)
            .string(v.s).nullableString(v.ns).compactNullableString(v.cs)
            .nullableBytes(bytes(v.b)).compactNullableBytes(bytes(v.cb))
            .array(v.arr, (x, n) => x.int16(n)).compactNullableArray(v.carr, (x, s) => x.compactString(s))
            .boolean(v.bool).uuid(v.id).taggedFields([{ tag: 3, data: Buffer.from('x') }]);
          const r = new Reader(w.toBuffer());
          expect({
            i8: r.int8(), i16: r.int16(), i32: r.int32(), u32: r.uint32(), i64: r.int64(),
            uvi: r.unsignedVarint(),
            s: r.string(), ns: r.nullableString(), cs: r.compactNullableString(),
            b: r.nullableBytes(), cb: r.compactNullableBytes(),
            arr: r.array((x) => x.int16()), carr: r.compactNullableArray((x) => x.compactString()),
            bool: r.boolean(), id: r.uuid(),
          }).toEqual({ ...v, b: bytes(v.b), cb: bytes(v.cb) });
          r.taggedFields();
          expect(r.remaining).toBe(0);
        },
      ),
    );
  });

  it('hands known tagged fields to the handler and skips unknown ones', () => {
    const w = new Writer().taggedFields([{ tag: 0, data: Buffer.from('0007', 'hex') }, { tag: 9, data: Buffer.from('zz') }]).int8(42);
    const r = new Reader(w.toBuffer());
    const seen: number[] = [];
    r.taggedFields((tag, field) => {
      if (tag !== 0) return false;
      seen.push(field.int16());
      return true;
    });
    expect(seen).toEqual([7]);
    expect(r.int8()).toBe(42);
  });
});

describe('Reader rejects malformed input with KafkaError', () => {
  it('reports truncation as CORRUPT_MESSAGE', () => {
    expectKafkaError(() => reader('00').int16(), 'CORRUPT_MESSAGE', /truncated int16/);
    expectKafkaError(() => reader('000000').int32(), 'CORRUPT_MESSAGE');
    expectKafkaError(() => reader('00000000000000').int64(), 'CORRUPT_MESSAGE');
    expectKafkaError(() => reader('80').unsignedVarint(), 'CORRUPT_MESSAGE');
    expectKafkaError(() => reader('0102').raw(3), 'CORRUPT_MESSAGE');
    expectKafkaError(() => reader('00').uuid(), 'CORRUPT_MESSAGE');
  });

  it('rejects negative lengths other than -1 for nullable fields', () => {
    expectKafkaError(() => reader('ffff').string(), 'INVALID_REQUEST', /negative/);
    expectKafkaError(() => reader('fffe').nullableString(), 'INVALID_REQUEST', /negative/);
    expectKafkaError(() => reader('fffffffe').nullableBytes(), 'INVALID_REQUEST', /negative/);
    expectKafkaError(() => reader('ffffffff').array((r) => r.int8()), 'INVALID_REQUEST', /non-nullable/);
    expectKafkaError(() => reader('80000000').nullableArray((r) => r.int8()), 'INVALID_REQUEST', /negative/);
    expectKafkaError(() => reader('00').compactString(), 'INVALID_REQUEST', /null/);
  });

  it('rejects lengths and counts beyond the remaining bytes before reading them', () => {
    expectKafkaError(() => reader('0005616263').string(), 'INVALID_REQUEST', /exceeds/);
    expectKafkaError(() => reader('7fffffff').bytes(), 'INVALID_REQUEST', /exceeds/);
    expectKafkaError(() => reader('7fffffff00').array((r) => r.int8()), 'INVALID_REQUEST', /exceeds/);
    expectKafkaError(() => reader('ffffffff0f').compactArray((r) => r.int8()), 'INVALID_REQUEST', /exceeds/);
    expectKafkaError(() => reader('01017f').taggedFields(), 'INVALID_REQUEST', /exceeds/);
  });

  it('rejects over-long varints and out-of-order tags', () => {
    expectKafkaError(() => reader('ffffffff1f').unsignedVarint(), 'INVALID_REQUEST', /32 bits/);
    expectKafkaError(() => reader('02' + '0200' + '0100').taggedFields(), 'INVALID_REQUEST', /out of order/);
  });

  it('only ever throws KafkaError on random bytes, whatever is read from them', () => {
    const ops: ((r: Reader) => unknown)[] = [
      (r) => r.int8(), (r) => r.int16(), (r) => r.int32(), (r) => r.uint32(), (r) => r.int64(),
      (r) => r.unsignedVarint(),
      (r) => r.string(), (r) => r.nullableString(), (r) => r.compactString(), (r) => r.compactNullableString(),
      (r) => r.bytes(), (r) => r.nullableBytes(), (r) => r.compactBytes(), (r) => r.compactNullableBytes(),
      (r) => r.array((x) => x.int16()), (r) => r.compactNullableArray((x) => x.compactString()),
      (r) => r.taggedFields(), (r) => r.uuid(),
    ];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat(ops.length - 1), { minLength: 1, maxLength: 12 }), (bytes, picks) => {
        const r = new Reader(Buffer.from(bytes));
        try {
          for (const p of picks) ops[p]!(r);
        } catch (err) {
          expect(err).toBeInstanceOf(KafkaError);
        }
        expect(r.offset).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('record sets', () => {
  it.each([
    [false, 10],
    [true, 10],
    [false, 10_000],
    [true, 10_000],
  ])('round-trips a record set (compact=%s, %i bytes), large ones spliced without a copy', (compact, size) => {
    const records = Buffer.alloc(size, 7);
    const w = new Writer().int32(42).records(records, compact).records(null, compact).int16(9);
    const chunks = w.toChunks();
    expect(chunks.some((c) => c === records)).toBe(size >= 4096);
    const joined = w.toBuffer();
    expect(joined.length).toBe(w.length);
    expect(Buffer.concat(chunks)).toEqual(joined);
    const r = new Reader(joined);
    expect(r.int32()).toBe(42);
    expect(r.records(compact)).toEqual(records);
    expect(r.records(compact)).toBeNull();
    expect(r.int16()).toBe(9);
    expect(r.remaining).toBe(0);
  });
});
