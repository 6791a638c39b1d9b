export * from './batch-header.js';
export { ByteReader, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';
export type { RecordHeader } from './record.js';
export { encodeRecordBatch, type RecordBatchInput, type RecordInput } from './record-batch-encoder.js';
export {
  decodeRecordBatch,
  iterateBatchHeaders,
  iterateBatches,
  type BatchPosition,
  type DecodeOptions,
  type DecodedRecord,
  type DecodedRecordBatch,
  type IterateOptions,
} from './record-batch-decoder.js';
