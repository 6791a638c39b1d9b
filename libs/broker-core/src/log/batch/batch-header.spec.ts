import { KafkaError } from '../../errors.js';
import fc from 'fast-check';
import { BATCH_HEADER_SIZE, MAX_SAFE_INT64, int64NumberAt, isSafeInt64, lastOffsetNumberAt, validateBatchAt, writeInt64NumberAt } from './batch-header.js';

describe('validateBatchAt', () => {
  it('rejects a buffer shorter than a header with CORRUPT_MESSAGE', () => {
    const short = Buffer.alloc(BATCH_HEADER_SIZE - 1);
    expect(() => validateBatchAt(short, 0)).toThrow(KafkaError);
    expect(() => validateBatchAt(short, 0)).toThrow(/CORRUPT_MESSAGE/);
  });
});

describe('int64 fields as numbers', () => {
  const read = (value: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64BE(value);
    return int64NumberAt(buf, 0);
  };
  const LIMIT = BigInt(MAX_SAFE_INT64); // 2^53 - 1

  it('reads every value within +-(2^53 - 1) exactly', () => {
    for (const value of [0n, 1n, -1n, 0xffffffffn, 0x100000000n, -0x100000000n, -0xffffffffn, LIMIT, -LIMIT, LIMIT - 1n, 1_700_000_000_000n]) {
      expect(read(value)).toBe(Number(value));
      expect(isSafeInt64(read(value))).toBe(true);
    }
    fc.assert(fc.property(fc.bigInt(-LIMIT, LIMIT), (value) => read(value) === Number(value)));
  });

  it('flags every value beyond 2^53 - 1 as unsafe, never as a wrong exact number', () => {
    for (const value of [LIMIT + 1n, -LIMIT - 1n, LIMIT + 2n, 2n ** 62n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 53n) - 3n]) {
      expect(isSafeInt64(read(value))).toBe(false);
    }
    fc.assert(fc.property(fc.bigInt(LIMIT + 1n, 2n ** 63n - 1n), (value) => !isSafeInt64(read(value)) && !isSafeInt64(read(-value))));
  });

  it('refuses a read that does not fit the buffer', () => {
    const buf = Buffer.alloc(16);
    expect(() => int64NumberAt(buf, 9)).toThrow(RangeError);
    expect(() => int64NumberAt(buf, -1)).toThrow(RangeError);
    expect(() => int64NumberAt(buf.subarray(4, 11), 0)).toThrow(RangeError);
    expect(int64NumberAt(buf, 8)).toBe(0);
  });

  it('writes safe integers as int64 and refuses anything else', () => {
    const buf = Buffer.alloc(8);
    for (const value of [0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 32 - 1, MAX_SAFE_INT64, -MAX_SAFE_INT64, 1_700_000_000_123]) {
      writeInt64NumberAt(buf, value, 0);
      expect(buf.readBigInt64BE(0)).toBe(BigInt(value));
    }
    fc.assert(fc.property(fc.maxSafeInteger(), (value) => {
      writeInt64NumberAt(buf, value, 0);
      return buf.readBigInt64BE(0) === BigInt(value);
    }));
    for (const value of [2 ** 53, -(2 ** 53), 0.5, Number.NaN, Infinity]) expect(() => writeInt64NumberAt(buf, value, 0)).toThrow(RangeError);
  });

  it('adds lastOffsetDelta to the base offset and flags a sum past 2^53 - 1', () => {
    const header = Buffer.alloc(BATCH_HEADER_SIZE);
    header.writeBigInt64BE(LIMIT - 10n, 0);
    header.writeInt32BE(10, 23);
    expect(lastOffsetNumberAt(header, 0)).toBe(MAX_SAFE_INT64);
    header.writeInt32BE(11, 23);
    expect(isSafeInt64(lastOffsetNumberAt(header, 0))).toBe(false);
  });
});
