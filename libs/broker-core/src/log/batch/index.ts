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
export {
  CONTROL_RECORD_KEY_SIZE,
  ControlRecordType,
  END_TXN_MARKER_VALUE_SIZE,
  decodeControlRecordKey,
  decodeEndTxnMarker,
  encodeControlBatch,
  encodeControlRecordKey,
  encodeEndTxnMarkerValue,
  isTxnMarkerBatch,
  type ControlBatchInput,
  type ControlRecordKey,
  type EndTxnMarker,
  type EndTxnMarkerType,
} from './control-record.js';
export {
  compress,
  compressionName,
  compressionTypeFromName,
  decompress,
  type CompressionName,
} from '../compression/index.js';
