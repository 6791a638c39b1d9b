import { createRequire } from 'node:module';
import { decompress as zstdDecompress } from 'zstd-napi';
import { zstdStreamCompress } from './zstd-stream.js';

/**
 * kafkajs's own RecordBatch v2 encoder and decoder, used by the compatibility tests as an
 * independent implementation (kafkajs is a devDependency; nothing outside tests loads this).
 *
 * kafkajs ships gzip only. Snappy and LZ4 are registered from the independent
 * `kafkajs-snappy` (snappyjs: writes raw blocks, reads raw or xerial) and `kafkajs-lz4`
 * (node-lz4: standard frames with a content checksum) packages. For zstd no usable
 * independent kafkajs codec exists here, so a thin adapter over `zstd-napi` is
 * registered; it compresses through the streaming API, which writes frames without a
 * content size, as streaming producers do.
 */

const require = createRequire(import.meta.url);

interface KafkajsEncoder {
  buffer: Buffer;
}

interface KafkajsCodec {
  compress(encoder: KafkajsEncoder): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

interface KafkajsLong {
  toString(): string;
}

interface LongStatic {
  fromValue(value: string | number): KafkajsLong;
}

export interface KafkajsRecordInput {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | Buffer[]>;
}

export interface KafkajsBatchInput {
  compression: number;
  firstOffset: string;
  firstTimestamp: number;
  maxTimestamp: number;
  partitionLeaderEpoch: number;
  lastOffsetDelta: number;
  transactional: boolean;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  records: KafkajsRecordInput[];
}

export interface KafkajsDecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord: boolean;
}

export interface KafkajsDecodedBatch {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  timestampType: number;
  records: KafkajsDecodedRecord[];
}

type DecoderStatic = new (buffer: Buffer) => unknown;

const Long = require('kafkajs/src/utils/long') as LongStatic;
const Decoder = require('kafkajs/src/protocol/decoder') as DecoderStatic;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (input: Record<string, unknown>) => Promise<KafkajsEncoder>;
};
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<KafkajsDecodedBatch>;
const encodeKafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (input: Record<string, unknown>) => KafkajsEncoder;
const { CompressionCodecs, CompressionTypes } = require('kafkajs') as {
  CompressionCodecs: Record<number, () => KafkajsCodec>;
  CompressionTypes: Record<'None' | 'GZIP' | 'Snappy' | 'LZ4' | 'ZSTD', number>;
};


const zstdAdapter: KafkajsCodec = {
  compress: (encoder) => zstdStreamCompress(encoder.buffer),
  decompress: (buffer) => Promise.resolve(zstdDecompress(buffer)),
};

let registered = false;

/** Registers snappy, lz4 and zstd codecs with kafkajs (idempotent). */
export function registerKafkajsCodecs(): void {
  if (registered) return;
  registered = true;
  const snappyCodec = require('kafkajs-snappy') as () => KafkajsCodec;
  const LZ4Codec = require('kafkajs-lz4') as new () => { codec: () => KafkajsCodec };
  CompressionCodecs[CompressionTypes.Snappy] = snappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = new LZ4Codec().codec;
  CompressionCodecs[CompressionTypes.ZSTD] = () => zstdAdapter;
}

/** Encodes a batch with kafkajs's RecordBatch v0 (= message format v2) encoder. */
export async function kafkajsEncodeBatch(input: KafkajsBatchInput): Promise<Buffer> {
  registerKafkajsCodecs();
  const encoder = await RecordBatch({
    ...input,
    firstOffset: Long.fromValue(input.firstOffset),
    producerId: Long.fromValue(input.producerId),
    records: input.records.map((record) => encodeKafkajsRecord({ ...record, headers: record.headers ?? {} })),
  });
  return encoder.buffer;
}

/** Decodes one batch (and only its bytes) with kafkajs's decoder. */
export async function kafkajsDecodeBatch(buf: Buffer): Promise<KafkajsDecodedBatch> {
  registerKafkajsCodecs();
  return decodeBatch(new Decoder(buf));
}

export { CompressionTypes as KafkajsCompressionTypes };
