/** One line of an audit entry's before/after comparison. */
export interface DiffLine {
  /** The field, or `''` when before/after are not objects (the whole value changed). */
  key: string;
  kind: 'added' | 'removed' | 'changed' | 'same';
  before?: string;
  after?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Field by field, what an administrative action changed: a topic's configs, a user's
 * role. Objects are compared one level deep (nested values as JSON); anything else as
 * one value. Unchanged fields are kept (kind `same`) so the reader sees the whole state.
 */
export function diffAudit(before: unknown, after: unknown): DiffLine[] {
  if (before === null && after === null) return [];
  if (!isRecord(before) && !isRecord(after)) {
    if (before === null || before === undefined) return [{ key: '', kind: 'added', after: text(after) }];
    if (after === null || after === undefined) return [{ key: '', kind: 'removed', before: text(before) }];
    return [{ key: '', kind: text(before) === text(after) ? 'same' : 'changed', before: text(before), after: text(after) }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return keys.map((key): DiffLine => {
    if (!(key in b)) return { key, kind: 'added', after: text(a[key]) };
    if (!(key in a)) return { key, kind: 'removed', before: text(b[key]) };
    const [was, now] = [text(b[key]), text(a[key])];
    return { key, kind: was === now ? 'same' : 'changed', before: was, after: now };
  });
}
