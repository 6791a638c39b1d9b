import type { RecordView } from '@weir/broker-core';
import type { ReadRecord, RecordFormat } from '@weir/contracts';
import { decodeField } from './field-decoder.js';

export interface RenderFormats {
  readonly key: RecordFormat;
  readonly value: RecordFormat;
  readonly header: RecordFormat;
  readonly maxFieldBytes: number;
}

/** A record as the read endpoint and the live tail send it: fields decoded, long ones cut. */
export function renderRecord(record: RecordView, formats: RenderFormats): ReadRecord {
  return {
    partition_id: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    timestamp_type: record.timestampType,
    key: decodeField(record.key, formats.key, formats.maxFieldBytes),
    value: decodeField(record.value, formats.value, formats.maxFieldBytes),
    headers: record.headers.map((h) => ({ key: h.key, value: decodeField(h.value, formats.header, formats.maxFieldBytes) })),
    size: payloadBytes(record),
  };
}

/** Key, value and header bytes, untruncated: a record's `size`, and what read budgets count. */
export function payloadBytes(record: RecordView): number {
  let bytes = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) bytes += Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  return bytes;
}
