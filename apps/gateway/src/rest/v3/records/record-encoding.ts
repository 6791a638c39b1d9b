import type { ProduceRecord, ProduceResult } from '@weir/broker-core';
import type { EmbeddedFormat, ProduceRequest, ProduceRequestData, ProduceResponse } from '@weir/contracts';
import { restErrorCodeOfKafkaCode } from '../../../errors/kafka-error-codes.js';

/** What a delivery report says about a key or value: its format and serialized size. */
export type DataInfo = { type: EmbeddedFormat; size: number } | null;

/** A validated produce request turned into the broker's record, with what the report needs. */
export interface EncodedRecord {
  readonly record: ProduceRecord;
  readonly key: DataInfo;
  readonly value: DataInfo;
}

/**
 * Serializes a validated request (the contracts' schema has already checked base64 and
 * types): BINARY is decoded from base64, STRING is UTF-8, JSON is the data re-serialized
 * compactly. Absent or null data is a null key or value.
 */
export function encodeProduceRequest(request: ProduceRequest): EncodedRecord {
  const key = serialize(request.key);
  const value = serialize(request.value);
  const record: ProduceRecord = {
    key: key.bytes,
    value: value.bytes,
    ...(request.partition_id === undefined || request.partition_id === null ? {} : { partition: request.partition_id }),
    ...(request.headers === undefined
      ? {}
      : {
          headers: request.headers.map((h) => ({
            key: h.name,
            value: h.value === undefined || h.value === null ? null : Buffer.from(h.value, 'base64'),
          })),
        }),
    ...(request.timestamp === undefined || request.timestamp === null ? {} : { timestamp: toEpochMs(request.timestamp) }),
  };
  return { record, key: key.info, value: value.info };
}

function serialize(data: ProduceRequestData | null | undefined): { bytes: Buffer | null; info: DataInfo } {
  if (data === undefined || data === null) return { bytes: null, info: null };
  // The schema rejects the registry formats, so only these three remain.
  const type = (data.type ?? 'BINARY') as EmbeddedFormat;
  const payload = data.data;
  if (payload === undefined || payload === null) return { bytes: null, info: { type, size: 0 } };
  let bytes: Buffer;
  switch (type) {
    case 'BINARY':
      bytes = Buffer.from(payload as string, 'base64');
      break;
    case 'STRING':
      bytes = Buffer.from(payload as string, 'utf8');
      break;
    case 'JSON':
      bytes = Buffer.from(JSON.stringify(payload), 'utf8');
      break;
    default: {
      const unreachable: never = type;
      throw new Error(`unknown format ${String(unreachable)}`);
    }
  }
  return { bytes, info: { type, size: bytes.length } };
}

function toEpochMs(timestamp: string | number): number {
  return typeof timestamp === 'number' ? timestamp : Date.parse(timestamp);
}

/** The delivery report of one produced record: error_code 200 and where it went, or the Kafka error mapped. */
export function deliveryReport(clusterId: string, encoded: EncodedRecord, result: ProduceResult): ProduceResponse {
  if (result.errorCode !== 0) {
    return { error_code: restErrorCodeOfKafkaCode(result.errorCode), message: result.errorMessage ?? `Kafka error ${result.errorCode}` };
  }
  return {
    error_code: 200,
    cluster_id: clusterId,
    topic_name: result.topic,
    partition_id: result.partition,
    offset: Number(result.offset),
    timestamp: result.timestamp < 0n ? null : isoTimestamp(Number(result.timestamp)),
    key: encoded.key,
    value: encoded.value,
  };
}

let lastIsoMs = NaN;
let lastIso = '';

/** Records produced in the same millisecond share a timestamp: format it once per ms. */
function isoTimestamp(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}
