import type { DecodedField, ReadRecord } from '@weir/contracts';
import { base64ToBytes, textOrBase64 } from './record-format';

/**
 * Exports of the records the browser shows (client-side: what is on screen, previews
 * included, so `truncated` says when a key or value was cut). Fields arrive as base64;
 * exports write UTF-8 text, or `base64:<data>` for bytes that are not text.
 */
export interface ExportedRecord {
  partition: number;
  offset: number;
  timestamp: number;
  timestamp_type: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string | null>;
  truncated: boolean;
}

const fieldText = (field: DecodedField | null) => (field === null ? null : textOrBase64(base64ToBytes(String(field.data))));

export function exportedRecord(r: ReadRecord): ExportedRecord {
  return {
    partition: r.partition_id,
    offset: r.offset,
    timestamp: r.timestamp,
    timestamp_type: r.timestamp_type,
    key: fieldText(r.key),
    value: fieldText(r.value),
    headers: Object.fromEntries(r.headers.map((h) => [h.key, fieldText(h.value)])),
    truncated: (r.key?.truncated ?? false) || (r.value?.truncated ?? false) || r.headers.some((h) => h.value?.truncated ?? false),
  };
}

export function recordsJson(records: readonly ReadRecord[]): string {
  return `${JSON.stringify(records.map(exportedRecord), null, 2)}\n`;
}

const CSV_COLUMNS = ['partition', 'offset', 'timestamp', 'timestamp_type', 'key', 'value', 'headers', 'truncated'] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes
 * doubled. A cell a spreadsheet would run as a formula (starting with = + - @, or a tab
 * or carriage return before one) gets a leading `'`, so opening an export never
 * executes what a producer wrote. Null is an empty cell.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function recordsCsv(records: readonly ReadRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const record of records.map(exportedRecord)) {
    const row = { ...record, headers: Object.keys(record.headers).length > 0 ? JSON.stringify(record.headers) : null };
    lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
