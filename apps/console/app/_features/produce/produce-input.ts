import { produceRequestSchema, type EmbeddedFormat, type ProduceRequest } from '@weir/contracts';
import { utf8ToBase64 } from '../messages/record-format';

export interface ProduceFields {
  partition: string;
  key_type: string;
  key: string;
  value_type: string;
  value: string;
  /** One `name=value` per line; values are sent as UTF-8. */
  headers: string;
}

export type ProduceFieldErrors = Partial<Record<keyof ProduceFields, string>>;
export type ParsedProduce = { ok: true; request: ProduceRequest } | { ok: false; errors: ProduceFieldErrors };

const FORMATS: readonly EmbeddedFormat[] = ['STRING', 'JSON', 'BINARY'];

export function produceFieldsFrom(data: FormData | Record<string, unknown>): ProduceFields {
  const get = (name: keyof ProduceFields) => {
    const value = data instanceof FormData ? data.get(name) : data[name];
    return typeof value === 'string' ? value : '';
  };
  return { partition: get('partition').trim(), key_type: get('key_type'), key: get('key'), value_type: get('value_type'), value: get('value'), headers: get('headers') };
}

function payload(type: string, text: string, field: 'key' | 'value'): { data?: ProduceRequest['key']; error?: string } {
  if (text === '') return { data: undefined }; // a null key, or a tombstone value
  const format = (FORMATS as readonly string[]).includes(type) ? (type as EmbeddedFormat) : 'STRING';
  if (format !== 'JSON') return { data: { type: format, data: text } };
  try {
    return { data: { type: 'JSON', data: JSON.parse(text) as unknown } };
  } catch (err) {
    return { error: `The ${field} is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function parseHeaders(text: string): { headers: { name: string; value: string }[] } | { error: string } {
  const headers: { name: string; value: string }[] = [];
  // A textarea submits its line breaks as CRLF.
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === '') continue;
    const eq = raw.indexOf('=');
    if (eq <= 0) return { error: `Line ${index + 1}: expected name=value` };
    headers.push({ name: raw.slice(0, eq).trim(), value: utf8ToBase64(raw.slice(eq + 1)) });
  }
  return { headers };
}

/** Builds the v3 produce body and checks it with the gateway's `produceRequestSchema`. */
export function parseProduceForm(fields: ProduceFields): ParsedProduce {
  const errors: ProduceFieldErrors = {};
  const key = payload(fields.key_type, fields.key, 'key');
  const value = payload(fields.value_type, fields.value, 'value');
  const headers = parseHeaders(fields.headers);
  if (key.error !== undefined) errors.key = key.error;
  if (value.error !== undefined) errors.value = value.error;
  if ('error' in headers) errors.headers = headers.error;
  if (fields.partition !== '' && !/^\d+$/.test(fields.partition)) errors.partition = 'Partition must be a non-negative integer';
  if (Object.keys(errors).length > 0 || 'error' in headers) return { ok: false, errors };
  const result = produceRequestSchema.safeParse({
    partition_id: fields.partition === '' ? undefined : Number(fields.partition),
    key: key.data,
    value: value.data,
    headers: headers.headers.length > 0 ? headers.headers : undefined,
  });
  if (result.success) return { ok: true, request: result.data };
  for (const issue of result.error.issues) {
    const field = issue.path[0] === 'partition_id' ? 'partition' : (issue.path[0] as keyof ProduceFields);
    errors[field in fields ? field : 'value'] ??= issue.message;
  }
  return { ok: false, errors };
}
