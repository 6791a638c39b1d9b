import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { compressFrameSync, compressSync as lz4CompressBlock } from 'lz4-napi';
import snappy from 'snappy';
import { compress as zstdCompress } from 'zstd-napi';
import { KafkaError } from '../../errors.js';
import { expectKafkaError } from '../batch/testing/expect-kafka-error.js';
import { zstdStreamCompress } from '../batch/testing/zstd-stream.js';
import { CompressionType } from '../batch/batch-header.js';
import { decodeRecordBatch } from '../batch/record-batch-decoder.js';
import { encodeRecordBatch } from '../batch/record-batch-encoder.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, MAX_EXPANSION_RATIO, decompressionBound } from './bound.js';
import { compress, compressionName, compressionTypeFromName, decompress } from './codecs.js';
import { compressSnappyRaw, compressSnappyXerial, decompressSnappy, isXerialFramed, snappyDeclaredLength } from './xerial-snappy.js';
import { windowLogMax } from './zstd-frames.js';

const require = createRequire(import.meta.url);
// Independent codecs, installed as dependencies of the kafkajs codec packages.
const snappyjs = require('snappyjs') as { compress(data: Buffer): Buffer; uncompress(data: Buffer): Buffer };
const nodeLz4 = require('lz4') as { encode(data: Buffer): Buffer; decode(data: Buffer): Buffer };
const xxhash = require('xxhashjs') as { h32(data: Buffer, seed: number): { toNumber(): number } };

function sample(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = i % 11 === 0 ? (i * 7919) & 0xff : 65 + (i % 23);
  return out;
}



const CODECS = [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD];

describe('compression codecs', () => {
  it.each(CODECS)('codec %i round-trips empty, small and multi-block data', (type) => {
    for (const data of [Buffer.alloc(0), Buffer.from('hello, weir'), sample(200_000)]) {
      const packed = compress(type, data);
      expect(decompress(type, packed)).toEqual(data);
    }
  });

  it('passes data through for NONE', () => {
    const data = Buffer.from('as is');
    expect(compress(CompressionType.NONE, data)).toBe(data);
    expect(decompress(CompressionType.NONE, data)).toBe(data);
  });

  it('rejects codec ids it does not know with UNSUPPORTED_COMPRESSION_TYPE', () => {
    for (const id of [5, 6, 7, 42]) {
      expectKafkaError(() => compress(id as CompressionType, Buffer.from('x')), 'UNSUPPORTED_COMPRESSION_TYPE');
      expectKafkaError(() => decompress(id as CompressionType, Buffer.from('x')), 'UNSUPPORTED_COMPRESSION_TYPE');
    }
    expectKafkaError(() => compressionTypeFromName('brotli'), 'UNSUPPORTED_COMPRESSION_TYPE');
  });

  it("maps Kafka's compression.type names", () => {
    expect(['none', 'GZIP', 'snappy', 'lz4', 'zstd', 'uncompressed'].map(compressionTypeFromName)).toEqual([0, 1, 2, 3, 4, 0]);
    expect(compressionName(CompressionType.ZSTD)).toBe('zstd');
  });

  it.each(CODECS)('codec %i reports garbage and truncation as CORRUPT_MESSAGE', (type) => {
    const packed = compress(type, sample(50_000));
    expectKafkaError(() => decompress(type, Buffer.from('definitely not compressed data')), 'CORRUPT_MESSAGE');
    // zstd (like gzip) may legitimately yield a prefix of a cut stream; what matters is
    // that it never escapes as anything but data or a KafkaError.
    try {
      const out = decompress(type, packed.subarray(0, packed.length >> 1));
      expect(out.length).toBeLessThan(50_000);
    } catch (err) {
      expect(err).toBeInstanceOf(KafkaError);
    }
  });
});

describe('snappy framing', () => {
  it('writes the xerial stream Kafka\'s Java client writes: magic, versions 1/1, 32 KiB chunks', () => {
    const data = sample(100_000);
    const packed = compress(CompressionType.SNAPPY, data);
    expect(packed.subarray(0, 16).toString('hex')).toBe('82534e415050590000000001' + '00000001');
    let pos = 16;
    const chunkInputs: number[] = [];
    while (pos < packed.length) {
      const length = packed.readInt32BE(pos);
      chunkInputs.push(snappyjs.uncompress(packed.subarray(pos + 4, pos + 4 + length)).length);
      pos += 4 + length;
    }
    expect(pos).toBe(packed.length);
    expect(chunkInputs).toEqual([32768, 32768, 32768, 100_000 - 3 * 32768]);
  });

  it('reads raw blocks from snappyjs and from the native library', () => {
    const data = sample(70_000);
    expect(decompress(CompressionType.SNAPPY, snappyjs.compress(data))).toEqual(data);
    expect(decompress(CompressionType.SNAPPY, compressSnappyRaw(data))).toEqual(data);
    expect(isXerialFramed(compressSnappyRaw(data))).toBe(false);
  });

  it('reads a xerial stream assembled by hand from snappyjs blocks', () => {
    const parts = [Buffer.from('first chunk, '), Buffer.from('second chunk')];
    const header = Buffer.from('82534e41505059000000000100000001', 'hex');
    const chunks = parts.map((p) => {
      const block = snappyjs.compress(p);
      const length = Buffer.alloc(4);
      length.writeInt32BE(block.length);
      return Buffer.concat([length, block]);
    });
    expect(decompressSnappy(Buffer.concat([header, ...chunks])).toString()).toBe('first chunk, second chunk');
  });

  it('rejects a cut xerial chunk or an unsupported xerial version', () => {
    const packed = compress(CompressionType.SNAPPY, sample(1000));
    expectKafkaError(() => decompressSnappy(packed.subarray(0, packed.length - 1)), 'CORRUPT_MESSAGE');
    expectKafkaError(() => decompressSnappy(packed.subarray(0, 18)), 'CORRUPT_MESSAGE');
    const old = Buffer.from(packed);
    old.writeInt32BE(0, 8);
    expectKafkaError(() => decompressSnappy(old), 'CORRUPT_MESSAGE');
  });

  it('keeps raw output of the native library readable by snappyjs', () => {
    const data = sample(5000);
    expect(snappyjs.uncompress(snappy.compressSync(data))).toEqual(data);
  });
});

describe('lz4 frames', () => {
  it('writes a standard LZ4 frame that node-lz4 reads, and reads its frames (content checksum included)', () => {
    const data = sample(150_000);
    const packed = compress(CompressionType.LZ4, data);
    expect(packed.readUInt32LE(0)).toBe(0x184d2204);
    expect(nodeLz4.decode(packed)).toEqual(data);
    expect(decompress(CompressionType.LZ4, nodeLz4.encode(data))).toEqual(data);
  });
});

describe('zstd frames', () => {
  it('reads streamed frames that carry no content size', async () => {
    const data = sample(300_000);
    const streamed = await zstdStreamCompress(data);
    // Frame header descriptor bits 6-7 (content size flag) are 0 and single-segment is off.
    expect(streamed.readUInt32LE(0)).toBe(0xfd2fb528);
    expect(streamed[4]! & 0xe0).toBe(0);
    expect(decompress(CompressionType.ZSTD, streamed)).toEqual(data);
  });

  it('reads one-shot frames and several frames laid end to end', () => {
    const a = sample(1000);
    const b = Buffer.from('tail');
    expect(decompress(CompressionType.ZSTD, Buffer.concat([zstdCompress(a), zstdCompress(b)]))).toEqual(Buffer.concat([a, b]));
  });
});

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** The snappy / LEB128 varint of `value`. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  for (; value >= 0x80; value = Math.floor(value / 128)) bytes.push((value % 128) | 0x80);
  bytes.push(value);
  return Buffer.from(bytes);
}

function int32BE(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeInt32BE(value);
  return out;
}

const XERIAL_HEADER = Buffer.from('82534e41505059000000000100000001', 'hex');

/** An LZ4 frame header (magic, FLG, BD, content size if given, header checksum). */
function lz4Header(flg: number, bd: number, contentSize?: number): Buffer {
  const size = Buffer.alloc(contentSize === undefined ? 0 : 8);
  if (contentSize !== undefined) size.writeBigUInt64LE(BigInt(contentSize));
  const descriptor = Buffer.concat([Buffer.from([flg, bd]), size]);
  const checksum = (xxhash.h32(descriptor, 0).toNumber() >>> 8) & 0xff;
  return Buffer.concat([Buffer.from([0x04, 0x22, 0x4d, 0x18]), descriptor, Buffer.from([checksum])]);
}

/** An LZ4 block as a frame carries it: its length (u32 LE), then the compressed bytes. */
function lz4FrameBlock(data: Buffer, dict?: Buffer): Buffer {
  const raw = (dict === undefined ? lz4CompressBlock(data) : lz4CompressBlock(data, dict)).subarray(4);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(raw.length);
  return Buffer.concat([length, raw]);
}

const LZ4_END_MARK = Buffer.alloc(4);

/**
 * A zstd frame of `blocks` RLE blocks of 128 KiB each (4 bytes per block), declaring its
 * content size when asked (single segment), else a 128 KiB window.
 */
function zstdRleFrame(blocks: number, declare?: number): Buffer {
  const header = declare === undefined ? Buffer.from([0x00, (17 - 10) << 3]) : Buffer.from([0xa0, 0, 0, 0, 0]);
  if (declare !== undefined) header.writeUInt32LE(declare, 1);
  const body = Buffer.alloc(blocks * 4);
  for (let i = 0; i < blocks; i++) {
    const word = ((128 * KiB) << 3) | (1 << 1) | (i === blocks - 1 ? 1 : 0); // size · RLE · last
    body.writeUIntLE(word, i * 4, 3);
    body[i * 4 + 3] = 0x61;
  }
  return Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), header, body]);
}

/** Byte equality without jest's element-wise diff, which takes seconds on large buffers. */
function expectBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}

/**
 * Runs `run`, which must fail with CORRUPT_MESSAGE matching `message`, and returns how
 * much memory it took meanwhile: the larger of the rise of the process's peak RSS above
 * both the RSS at the start and the earlier peak, and of the growth of ArrayBuffer memory
 * (nothing is collected in between). Loose by nature (pages never touched do not count),
 * which is why the messages also pin down the early path that refused.
 */
function memoryTakenByFailure(run: () => unknown, message: RegExp): number {
  const rss = process.memoryUsage.rss();
  const peak = process.resourceUsage().maxRSS * 1024;
  const arrayBuffers = process.memoryUsage().arrayBuffers;
  expectKafkaError(run, 'CORRUPT_MESSAGE', message);
  const peakGrowth = process.resourceUsage().maxRSS * 1024 - Math.max(rss, peak);
  return Math.max(peakGrowth, process.memoryUsage().arrayBuffers - arrayBuffers);
}

/** Bombs that claim or produce 1 GiB from at most a few MiB, with what refuses them. */
function bombs(): Array<[string, CompressionType, Buffer, RegExp]> {
  const gzipMember = gzipSync(Buffer.alloc(MiB));
  const lz4Block = compressFrameSync(Buffer.alloc(4 * MiB)).subarray(7, -4); // one 4 MiB block
  const lz4Blocks = Buffer.concat(Array<Buffer>(256).fill(lz4Block));
  return [
    ['gzip members', CompressionType.GZIP, Buffer.concat(Array<Buffer>(1024).fill(gzipMember)), /gzip .* inflates to more/],
    ['raw snappy block', CompressionType.SNAPPY, Buffer.concat([varint(GiB), Buffer.from([0x00, 0x61])]), /the block declares 1073741824 bytes/],
    ['xerial snappy chunk', CompressionType.SNAPPY, Buffer.concat([XERIAL_HEADER, int32BE(7), varint(GiB), Buffer.from([0x00, 0x61])]), /xerial chunk 1 declares 1073741824 bytes/],
    ['lz4 frame declaring its size', CompressionType.LZ4, Buffer.concat([lz4Header(0x68, 0x70, GiB), lz4Blocks, LZ4_END_MARK]), /the frame declares 1073741824 bytes/],
    ['lz4 frame of 4 MiB blocks', CompressionType.LZ4, Buffer.concat([lz4Header(0x60, 0x70), lz4Blocks, LZ4_END_MARK]), /blocks pass it at block 5 of 256/],
    ['zstd frame declaring its size', CompressionType.ZSTD, zstdRleFrame(8192, GiB), /its frames declare 1073741824 bytes/],
    ['zstd frame of RLE blocks', CompressionType.ZSTD, zstdRleFrame(8192), /decode to more than 16777216 bytes/],
  ];
}

describe('decompression bound', () => {
  const BOUND = 16 * MiB;

  it.each(bombs())('refuses a 1 GiB %s past the bound without taking anywhere near 1 GiB', (_name, type, bomb, message) => {
    expect(bomb.length).toBeLessThan(5 * MiB);
    const taken = memoryTakenByFailure(() => decompress(type, bomb, { maxOutputBytes: BOUND }), message);
    expect(taken).toBeLessThan(8 * BOUND);
  });

  it('applies the default bound when none is given: 64 MiB, or 64 × the compressed size', () => {
    expect(decompressionBound(0)).toBe(DEFAULT_MAX_DECOMPRESSED_BYTES);
    expect(decompressionBound(MiB)).toBe(64 * MiB);
    expect(decompressionBound(10 * MiB)).toBe(MAX_EXPANSION_RATIO * 10 * MiB);
    const zstdBomb = zstdRleFrame(8192);
    expect(memoryTakenByFailure(() => decompress(CompressionType.ZSTD, zstdBomb), /67108864-byte .* more than 67108864 bytes/)).toBeLessThan(512 * MiB);
    const gzipBomb = Buffer.concat(Array<Buffer>(1024).fill(gzipSync(Buffer.alloc(MiB))));
    const bound = decompressionBound(gzipBomb.length);
    expect(bound).toBeGreaterThan(64 * MiB);
    expect(memoryTakenByFailure(() => decompress(CompressionType.GZIP, gzipBomb), new RegExp(`the ${bound}-byte`))).toBeLessThan(512 * MiB);
  });

  it('decompresses the largest payload the default bound allows, and refuses one byte more', () => {
    const fits = zstdCompress(Buffer.alloc(DEFAULT_MAX_DECOMPRESSED_BYTES, 0x61));
    expect(decompress(CompressionType.ZSTD, fits).length).toBe(DEFAULT_MAX_DECOMPRESSED_BYTES);
    const over = zstdCompress(Buffer.alloc(DEFAULT_MAX_DECOMPRESSED_BYTES + 1, 0x61));
    expectKafkaError(() => decompress(CompressionType.ZSTD, over), 'CORRUPT_MESSAGE', /declare 67108865 bytes/);
  });

  it.each(CODECS)('codec %i decompresses output of exactly the bound and refuses it one byte under', (type) => {
    const data = Buffer.alloc(300_000, 'weir record, ');
    const packed = compress(type, data);
    expectBytes(decompress(type, packed, { maxOutputBytes: data.length }), data);
    expectKafkaError(() => decompress(type, packed, { maxOutputBytes: data.length - 1 }), 'CORRUPT_MESSAGE', /299999-byte decompression bound/);
  });

  it('streamed zstd frames decode under a bound smaller than their window, and windows past the cap are refused', async () => {
    const data = Buffer.alloc(300_000, 'streamed ');
    const streamed = await zstdStreamCompress(data);
    expectBytes(decompress(CompressionType.ZSTD, streamed, { maxOutputBytes: data.length }), data);
    expect([windowLogMax(0), windowLogMax(64 * MiB), windowLogMax(64 * MiB + 1), windowLogMax(GiB)]).toEqual([23, 26, 27, 27]);
    // Window descriptor for 2^27: asks for 128 MiB, more than the 64 MiB default bound.
    const wide = zstdRleFrame(1);
    wide[5] = (27 - 10) << 3;
    expectKafkaError(() => decompress(CompressionType.ZSTD, wide), 'CORRUPT_MESSAGE', /too much memory/);
    expect(decompress(CompressionType.ZSTD, wide, { maxOutputBytes: 128 * MiB }).length).toBe(128 * KiB);
  });

  it('refuses a cut zstd frame instead of returning what it decoded', () => {
    const frame = zstdRleFrame(3);
    expectKafkaError(() => decompress(CompressionType.ZSTD, frame.subarray(0, 10)), 'CORRUPT_MESSAGE');
  });

  it('checks the running total over xerial chunks against the bound', () => {
    const packed = compressSnappyXerial(Buffer.alloc(2 * MiB));
    expectKafkaError(() => decompressSnappy(packed, MiB), 'CORRUPT_MESSAGE', /xerial chunk 33 declares 32768 bytes, 0 left/);
    expectBytes(decompressSnappy(packed, 2 * MiB), Buffer.alloc(2 * MiB));
    expect(snappyDeclaredLength(varint(2 ** 32 - 1))).toBe(2 ** 32 - 1);
    expectKafkaError(() => snappyDeclaredLength(varint(2 ** 32)), 'CORRUPT_MESSAGE', /length preamble/);
    expectKafkaError(() => snappyDeclaredLength(Buffer.from([0x80, 0x80])), 'CORRUPT_MESSAGE', /length preamble/);
  });

  it('decodes lz4 frames block by block the same as whole, linked blocks included', () => {
    const data = Buffer.alloc(600_000, 'lz4 blocks ');
    const packed = compress(CompressionType.LZ4, data); // 4 MiB block maximum: above 600_000, block by block
    expectBytes(decompress(CompressionType.LZ4, packed, { maxOutputBytes: data.length }), data);
    expectBytes(decompress(CompressionType.LZ4, packed, { maxOutputBytes: 4 * MiB }), data);
    // Linked 64 KiB blocks: the second refers back into the first.
    const first = Buffer.from(Array.from({ length: 64 * KiB }, (_, i) => (i * 7919) % 251));
    const second = Buffer.concat([first.subarray(1000, 3000), Buffer.from('tail')]);
    const linked = Buffer.concat([lz4Header(0x40, 0x40), lz4FrameBlock(first), lz4FrameBlock(second, first), LZ4_END_MARK]);
    const whole = Buffer.concat([first, second]);
    expectBytes(decompress(CompressionType.LZ4, linked), whole);
    expectBytes(decompress(CompressionType.LZ4, linked, { maxOutputBytes: whole.length }), whole);
    expectKafkaError(() => decompress(CompressionType.LZ4, linked, { maxOutputBytes: whole.length - 1 }), 'CORRUPT_MESSAGE', /block 2 of 2/);
    // Block by block, a declared content size must match what the blocks hold.
    const lying = Buffer.concat([lz4Header(0x68, 0x40, 70_000), lz4FrameBlock(first), lz4FrameBlock(Buffer.from('ten bytes!')), LZ4_END_MARK]);
    expectKafkaError(() => decompress(CompressionType.LZ4, lying, { maxOutputBytes: 100_000 }), 'CORRUPT_MESSAGE', /declares 70000 bytes but holds 65546/);
    expectKafkaError(() => decompress(CompressionType.LZ4, lying, { maxOutputBytes: 65_000 }), 'CORRUPT_MESSAGE', /declares 70000 bytes$/);
  });

  it('rejects a bound that is not a non-negative integer', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => decompress(CompressionType.GZIP, gzipSync(Buffer.from('x')), { maxOutputBytes: bad })).toThrow(RangeError);
    }
  });

  it('lets the batch decoder pass a bound', () => {
    const batch = encodeRecordBatch({
      compression: CompressionType.ZSTD,
      baseOffset: 0n,
      records: [{ key: null, value: Buffer.alloc(10_000, 'v'), timestamp: 1 }],
    });
    expect(decodeRecordBatch(batch).records[0]!.value!.length).toBe(10_000);
    expectKafkaError(() => decodeRecordBatch(batch, 0, { maxDecompressedBytes: 5000 }), 'CORRUPT_MESSAGE', /5000-byte decompression bound/);
  });

  it('round-trips any data under any bound it fits, and refuses it under any it does not', () => {
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 4000 }).map((a) => Buffer.from(a)),
      fc.tuple(fc.string({ maxLength: 20 }), fc.nat(3000)).map(([unit, times]) => Buffer.from(unit.repeat(times))),
    );
    fc.assert(
      fc.property(fc.constantFrom(...CODECS), payload, fc.nat(70_000), (type, data, bound) => {
        const packed = compress(type, data);
        if (data.length <= bound) {
          expectBytes(decompress(type, packed, { maxOutputBytes: bound }), data);
        } else {
          expectKafkaError(() => decompress(type, packed, { maxOutputBytes: bound }), 'CORRUPT_MESSAGE', /decompression bound/);
        }
      }),
    );
  });
});
