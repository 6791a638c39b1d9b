import { createRequire } from 'node:module';
import snappy from 'snappy';
import { compress as zstdCompress } from 'zstd-napi';
import { KafkaError } from '../../errors.js';
import { expectKafkaError } from '../batch/testing/expect-kafka-error.js';
import { zstdStreamCompress } from '../batch/testing/zstd-stream.js';
import { CompressionType } from '../batch/batch-header.js';
import { compress, compressionName, compressionTypeFromName, decompress } from './codecs.js';
import { compressSnappyRaw, decompressSnappy, isXerialFramed } from './xerial-snappy.js';

const require = createRequire(import.meta.url);
// Independent codecs, installed as dependencies of the kafkajs codec packages.
const snappyjs = require('snappyjs') as { compress(data: Buffer): Buffer; uncompress(data: Buffer): Buffer };
const nodeLz4 = require('lz4') as { encode(data: Buffer): Buffer; decode(data: Buffer): Buffer };

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
