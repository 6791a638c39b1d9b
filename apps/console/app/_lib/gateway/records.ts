import type { ProduceRequest, ProduceResponse, ReadRecordsResponse, RecordFormat } from '@weir/contracts';
import { GatewayError, gatewayRequest } from './http';
import { topicPath } from './topics';

/** Appends one record through the v3 produce route; a failed delivery report throws. */
export async function produceRecord(topic: string, request: ProduceRequest): Promise<ProduceResponse> {
  const report = await gatewayRequest<ProduceResponse>(await topicPath(topic, '/records'), { method: 'POST', body: request });
  if (report.error_code !== 200) {
    throw new GatewayError(Math.floor(report.error_code / 100) || 500, report.error_code, report.message ?? 'The record was not delivered');
  }
  return report;
}

/** Where a read starts: the newest record, an offset, or the first record at or after a timestamp. */
export type ReadStart = { kind: 'newest' } | { kind: 'oldest' } | { kind: 'offset'; offset: number } | { kind: 'timestamp'; timestampMs: number };

export interface ReadRequest {
  partition: number;
  start: ReadStart;
  /** backward = newest first, ending at the start point. */
  direction: 'forward' | 'backward';
  maxRecords: number;
  /** Longer keys and values come back cut and flagged `truncated`. */
  maxFieldBytes?: number;
  format?: RecordFormat;
  /** Substring filters, matched by the gateway while it scans (within its scan budget). */
  filters?: RecordFilters;
}

export interface RecordFilters {
  key_contains?: string;
  value_contains?: string;
  header_contains?: string;
}

export function readQuery(request: ReadRequest): Record<string, string | number | undefined> {
  const { start } = request;
  return {
    offset: start.kind === 'offset' ? start.offset : undefined,
    timestamp: start.kind === 'timestamp' ? start.timestampMs : undefined,
    from: start.kind === 'newest' || start.kind === 'oldest' ? start.kind : undefined,
    direction: request.direction,
    max_records: request.maxRecords,
    max_field_bytes: request.maxFieldBytes,
    format: request.format,
    ...request.filters,
  };
}

/** The read endpoint of one partition (a Weir extension of v3). */
export function recordsPath(topic: string, partition: number): Promise<string> {
  return topicPath(topic, `/partitions/${partition}/records`);
}

export async function readRecords(topic: string, request: ReadRequest): Promise<ReadRecordsResponse> {
  return gatewayRequest<ReadRecordsResponse>(await recordsPath(topic, request.partition), { query: readQuery(request) });
}
