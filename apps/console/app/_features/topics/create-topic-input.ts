import { createTopicRequestSchema, type CreateTopicRequest } from '@weir/contracts';

/** The create-topic form's fields, as strings from FormData. */
export interface CreateTopicFields {
  topic_name: string;
  partitions_count: string;
  replication_factor: string;
  /** One `name=value` per line. */
  configs: string;
}

export type FieldErrors = Partial<Record<keyof CreateTopicFields, string>>;

export type ParsedCreateTopic = { ok: true; request: CreateTopicRequest } | { ok: false; errors: FieldErrors };

export function fieldsFrom(data: FormData | Record<string, unknown>): CreateTopicFields {
  const get = (name: keyof CreateTopicFields) => {
    const value = data instanceof FormData ? data.get(name) : data[name];
    return typeof value === 'string' ? value : '';
  };
  return { topic_name: get('topic_name').trim(), partitions_count: get('partitions_count').trim(), replication_factor: get('replication_factor').trim(), configs: get('configs') };
}

function parseConfigLines(text: string): { configs: { name: string; value: string }[] } | { error: string } {
  const configs: { name: string; value: string }[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { error: `Line ${index + 1}: expected name=value, got "${line}"` };
    configs.push({ name: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  }
  return { configs };
}

function parseCount(text: string): number | undefined {
  return text === '' ? undefined : Number(text);
}

/**
 * Validates the form with the gateway's own `createTopicRequestSchema`, so the console
 * rejects exactly what the gateway would (name rules, counts, duplicate configs) before
 * a request is sent. Blank counts are left out: the broker's defaults apply.
 */
export function parseCreateTopicForm(fields: CreateTopicFields): ParsedCreateTopic {
  const configs = parseConfigLines(fields.configs);
  if ('error' in configs) return { ok: false, errors: { configs: configs.error } };
  const result = createTopicRequestSchema.safeParse({
    topic_name: fields.topic_name,
    partitions_count: parseCount(fields.partitions_count),
    replication_factor: parseCount(fields.replication_factor),
    configs: configs.configs.length > 0 ? configs.configs : undefined,
  });
  if (result.success) return { ok: true, request: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as keyof CreateTopicFields | undefined;
    const key = field !== undefined && field in fields ? field : 'topic_name';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}
