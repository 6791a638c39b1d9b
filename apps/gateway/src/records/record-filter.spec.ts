import type { RecordView } from '@weir/broker-core';
import { recordPredicate } from './record-filter.js';

const record = (key: string | null, value: Buffer | string | null, headers: [string, string | null][] = []): RecordView => ({
  partition: 0,
  offset: 0n,
  timestamp: 0n,
  timestampType: 'CreateTime',
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: headers.map(([k, v]) => ({ key: k, value: v === null ? null : Buffer.from(v) })),
});

describe('recordPredicate', () => {
  it('is undefined without filters (empty ones included)', () => {
    expect(recordPredicate({})).toBeUndefined();
    expect(recordPredicate({ key_contains: '' })).toBeUndefined();
  });

  it('matches a case-sensitive substring of key and value, null never matching', () => {
    const byKey = recordPredicate({ key_contains: 'lic' })!;
    expect(byKey(record('alice', 'x'))).toBe(true);
    expect(byKey(record('ALICE', 'x'))).toBe(false);
    expect(byKey(record(null, 'lic'))).toBe(false);
    const byValue = recordPredicate({ value_contains: 'grüße' })!;
    expect(byValue(record(null, '{"text":"viele grüße"}'))).toBe(true);
    expect(byValue(record(null, null))).toBe(false);
  });

  it('matches raw bytes that are not UTF-8 text', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x41, 0x42, 0xfe]);
    expect(recordPredicate({ value_contains: 'AB' })!(record(null, bytes))).toBe(true);
  });

  it('matches a header by name or value, and needs every filter given', () => {
    const byHeader = recordPredicate({ header_contains: 'trace' })!;
    expect(byHeader(record(null, 'v', [['trace-id', 'x']]))).toBe(true);
    expect(byHeader(record(null, 'v', [['source', 'tracer']]))).toBe(true);
    expect(byHeader(record(null, 'v', [['source', null]]))).toBe(false);
    const both = recordPredicate({ key_contains: 'a', header_contains: 'b' })!;
    expect(both(record('a', null, [['b', null]]))).toBe(true);
    expect(both(record('a', null, [['c', null]]))).toBe(false);
  });
});
