import { gunzipSync, gzipSync } from 'node:zlib';
import { compressFrameSync } from 'lz4-napi';
import { compress as zstdCompress } from 'zstd-napi';
import { KafkaError, isKafkaError } from '../../errors.js';
import { CompressionType } from '../batch/batch-header.js';
import { type DecompressOptions, outputTooLarge, resolveBound } from './bound.js';
import { decompressLz4Frame } from './lz4-frame.js';
import { compressSnappyXerial, decompressSnappy } from './xerial-snappy.js';
import { decompressZstd } from './zstd-frames.js';

/**
 * The record batch codecs, by the id Kafka keeps in attribute bits 0-2.
 *
 * - gzip: RFC 1952 (node:zlib); multi-member streams decode too.
 * - snappy: see xerial-snappy.ts (writes xerial framing, reads framed or raw).
 * - lz4: the standard LZ4 frame (magic 0x184D2204), independent blocks (lz4_flex sizes
 *   them to the input: 64 KiB, 256 KiB or 4 MiB), no block checksums: what Kafka's Java
 *   client (since message format v1) and librdkafka write and read. See lz4-frame.ts.
 * - zstd: a standard zstd frame. Other clients may stream frames without a content size;
 *   the decoder then grows its output as it goes instead of sizing it up front. See
 *   zstd-frames.ts.
 *
 * Decompression never outputs more than a bound (bound.ts: by default 64 MiB, or 64 × the
 * compressed size when that is more; callers may pass a tighter one), and stops without
 * allocating much past it: gzip through zlib's maxOutputLength, snappy by the lengths its
 * blocks declare, lz4 and zstd by their declared content sizes and bounded steps.
 *
 * Everything is synchronous: the native codecs are fast at batch sizes, and an encoder
 * that stays synchronous is simpler for the produce path to call. A failure to decode is
 * a KafkaError CORRUPT_MESSAGE; an id outside 0-4 is UNSUPPORTED_COMPRESSION_TYPE.
 */

export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

const NAMES: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function compressionName(type: CompressionType): CompressionName {
  const name = NAMES[type];
  if (name === undefined) throw unsupported(type);
  return name;
}

/** Maps Kafka's `compression.type` names (and 'uncompressed', the topic-level alias of none). */
export function compressionTypeFromName(name: string): CompressionType {
  const lower = name.toLowerCase();
  const index = NAMES.indexOf(lower === 'uncompressed' ? 'none' : (lower as CompressionName));
  if (index < 0) {
    throw new KafkaError('UNSUPPORTED_COMPRESSION_TYPE', `unknown compression type '${name}'`);
  }
  return index as CompressionType;
}

function unsupported(type: number): KafkaError {
  return new KafkaError('UNSUPPORTED_COMPRESSION_TYPE', `unknown compression codec id ${type}`);
}

export function compress(type: CompressionType, data: Buffer): Buffer {
  switch (type) {
    case CompressionType.NONE:
      return data;
    case CompressionType.GZIP:
      return gzipSync(data);
    case CompressionType.SNAPPY:
      return compressSnappyXerial(data);
    case CompressionType.LZ4:
      return compressFrameSync(data);
    case CompressionType.ZSTD:
      return zstdCompress(data);
    default:
      throw unsupported(type satisfies never);
  }
}

/** zlib stops (ERR_BUFFER_TOO_LARGE) once its output passes maxOutputLength, in 16 KiB steps. */
function gunzipBounded(data: Buffer, limit: number): Buffer {
  let out: Buffer;
  try {
    out = gunzipSync(data, { maxOutputLength: Math.max(1, limit) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw outputTooLarge('gzip', limit, 'the stream inflates to more');
    throw err;
  }
  if (out.length > limit) throw outputTooLarge('gzip', limit, `the stream inflates to ${out.length} bytes`);
  return out;
}

/**
 * Decompresses a batch's records area. Output past `options.maxOutputBytes` (default
 * decompressionBound(data.length)) is CORRUPT_MESSAGE, raised before much more than the
 * bound is allocated.
 */
export function decompress(type: CompressionType, data: Buffer, options: DecompressOptions = {}): Buffer {
  const limit = resolveBound(data, options.maxOutputBytes);
  try {
    switch (type) {
      case CompressionType.NONE:
        return data;
      case CompressionType.GZIP:
        return gunzipBounded(data, limit);
      case CompressionType.SNAPPY:
        return decompressSnappy(data, limit);
      case CompressionType.LZ4:
        return decompressLz4Frame(data, limit);
      case CompressionType.ZSTD:
        return decompressZstd(data, limit);
      default:
        throw unsupported(type satisfies never);
    }
  } catch (err) {
    if (isKafkaError(err)) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new KafkaError('CORRUPT_MESSAGE', `cannot decompress ${NAMES[type] ?? type} records: ${reason}`);
  }
}
