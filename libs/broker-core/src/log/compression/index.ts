export { compress, compressionName, compressionTypeFromName, decompress, type CompressionName } from './codecs.js';
export { compressSnappyRaw, compressSnappyXerial, decompressSnappy, isXerialFramed } from './xerial-snappy.js';
