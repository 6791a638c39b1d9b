import { gunzipSync, gzipSync } from 'node:zlib';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { compress as zstdCompress, decompress as zstdDecompress } from 'zstd-napi';
import { KafkaError, isKafkaError } from '../../errors.js';
import { CompressionType } from '../batch/batch-header.js';
import { compressSnappyXerial, decompressSnappy } from './xerial-snappy.js';

/**
 * The record batch codecs, by the id Kafka keeps in attribute bits 0-2.
 *
 * - gzip: RFC 1952 (node:zlib); multi-member streams decode too.
 * - snappy: see xerial-snappy.ts (writes xerial framing, reads framed or raw).
 * - lz4: the standard LZ4 frame (magic 0x184D2204), independent 64 KiB blocks, no
 *   block checksums: what Kafka's Java client (since message format v1) and librdkafka
 *   write and read.
 * - zstd: a standard zstd frame. Other clients may stream frames without a content size;
 *   the decoder then grows its output as it goes instead of sizing it up front.
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

export function decompress(type: CompressionType, data: Buffer): Buffer {
  try {
    switch (type) {
      case CompressionType.NONE:
        return data;
      case CompressionType.GZIP:
        return gunzipSync(data);
      case CompressionType.SNAPPY:
        return decompressSnappy(data);
      case CompressionType.LZ4:
        return decompressFrameSync(data);
      case CompressionType.ZSTD:
        return zstdDecompress(data);
      default:
        throw unsupported(type satisfies never);
    }
  } catch (err) {
    if (isKafkaError(err)) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new KafkaError('CORRUPT_MESSAGE', `cannot decompress ${NAMES[type] ?? type} records: ${reason}`);
  }
}
