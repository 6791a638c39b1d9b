import type { RecordView } from '@weir/broker-core';

/** The substring filters of a read; any left undefined matches everything. */
export interface RecordFilterQuery {
  readonly key_contains?: string | undefined;
  readonly value_contains?: string | undefined;
  readonly header_contains?: string | undefined;
}

export type RecordPredicate = (record: RecordView) => boolean;

/**
 * A predicate for the filters given, or undefined when none is. Matching is on raw
 * bytes against the needle's UTF-8 encoding: case-sensitive, the same as a substring of
 * the UTF-8 text when the bytes are text, and still meaningful when they are not. A
 * header matches by its name or its value; every filter given must match.
 */
export function recordPredicate(query: RecordFilterQuery): RecordPredicate | undefined {
  const key = needle(query.key_contains);
  const value = needle(query.value_contains);
  const header = needle(query.header_contains);
  if (key === undefined && value === undefined && header === undefined) return undefined;
  return (record) =>
    (key === undefined || contains(record.key, key)) &&
    (value === undefined || contains(record.value, value)) &&
    (header === undefined || record.headers.some((h) => h.key.includes(header.text) || contains(h.value, header)));
}

interface Needle {
  readonly text: string;
  readonly bytes: Buffer;
}

function needle(text: string | undefined): Needle | undefined {
  return text === undefined || text === '' ? undefined : { text, bytes: Buffer.from(text, 'utf8') };
}

function contains(bytes: Buffer | null, n: Needle): boolean {
  return bytes !== null && bytes.indexOf(n.bytes) !== -1;
}
