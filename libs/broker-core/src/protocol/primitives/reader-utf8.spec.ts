import { describe, expect, it } from '@jest/globals';
import { KafkaError } from '../../errors.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

describe('Reader strings and UTF-8', () => {
  const bad = Buffer.from([0x66, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0xed, 0xa0, 0x80]);

  it.each([
    ['STRING', (w: Writer) => w.int16(bad.length).raw(bad), (r: Reader) => r.string()],
    ['NULLABLE_STRING', (w: Writer) => w.int16(bad.length).raw(bad), (r: Reader) => r.nullableString()],
    ['COMPACT_STRING', (w: Writer) => w.unsignedVarint(bad.length + 1).raw(bad), (r: Reader) => r.compactString()],
    ['COMPACT_NULLABLE_STRING', (w: Writer) => w.unsignedVarint(bad.length + 1).raw(bad), (r: Reader) => r.compactNullableString()],
  ])('rejects a %s that is not UTF-8 as INVALID_REQUEST', (_type, write, read) => {
    const reader = new Reader(write(new Writer()).toBuffer());
    let error: unknown;
    try {
      read(reader);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KafkaError);
    expect((error as KafkaError).message).toMatch(/not valid UTF-8/);
  });

  it('reads valid UTF-8 back to the same bytes, so an echoed string keeps its length', () => {
    const text = 'tøpic-名前-😀';
    const written = new Writer().string(text).compactString(text).toBuffer();
    const reader = new Reader(written);
    const a = reader.string();
    const b = reader.compactString();
    expect([a, b]).toEqual([text, text]);
    expect(new Writer().string(a).compactString(b).toBuffer().equals(written)).toBe(true);
  });

  it('turns away 20,000 bad bytes whose replacement characters would not fit an INT16 length', () => {
    const name = Buffer.alloc(20_000, 0xff);
    const reader = new Reader(new Writer().int16(name.length).raw(name).toBuffer());
    expect(() => reader.string()).toThrow(KafkaError);
    expect(Buffer.byteLength(name.toString('utf8'))).toBeGreaterThan(0x7fff);
  });
});
