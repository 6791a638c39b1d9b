export {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  MAX_EXPANSION_RATIO,
  decompressionBound,
  type DecompressOptions,
} from './bound.js';
export { compress, compressionName, compressionTypeFromName, decompress, type CompressionName } from './codecs.js';
export { compressSnappyRaw, compressSnappyXerial, decompressSnappy, isXerialFramed, snappyDeclaredLength } from './xerial-snappy.js';
