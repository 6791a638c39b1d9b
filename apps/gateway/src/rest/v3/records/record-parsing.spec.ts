import type { ProduceResult } from '@weir/broker-core';
import { deliveryReport } from './record-encoding.js';
import { parseRecordSegment, parseRecordValue } from './record-parsing.js';

function encoded(value: unknown) {
  const parsed = parseRecordValue(value);
  if (!parsed.ok) throw new Error(parsed.report.message);
  return parsed.encoded;
}

describe('record parsing and encoding', () => {
  it('encodes each format, headers, partition and timestamp', () => {
    const e = encoded({
      partition_id: 2,
      key: { type: 'BINARY', data: Buffer.from([1, 2, 3]).toString('base64') },
      value: { type: 'JSON', data: { a: [1, 'x'] } },
      headers: [{ name: 'h', value: Buffer.from('v').toString('base64') }, { name: 'n' }],
      timestamp: '2026-01-01T00:00:00Z',
    });
    expect(e.record).toEqual({
      partition: 2,
      key: Buffer.from([1, 2, 3]),
      value: Buffer.from('{"a":[1,"x"]}'),
      headers: [
        { key: 'h', value: Buffer.from('v') },
        { key: 'n', value: null },
      ],
      timestamp: Date.parse('2026-01-01T00:00:00Z'),
    });
    expect(e.key).toEqual({ type: 'BINARY', size: 3 });
    expect(e.value).toEqual({ type: 'JSON', size: 13 });
  });

  it('treats untyped data as BINARY and absent data as null', () => {
    expect(encoded({ value: { data: 'AAE=' } }).record.value).toEqual(Buffer.from([0, 1]));
    const none = encoded({});
    expect([none.record.key, none.record.value, none.key, none.value]).toEqual([null, null, null, null]);
    expect(encoded({ value: { type: 'STRING', data: null } }).value).toEqual({ type: 'STRING', size: 0 });
    expect(encoded({ value: { type: 'STRING', data: 'żó' } }).value).toEqual({ type: 'STRING', size: 4 });
  });

  it.each([
    [{ value: { type: 'BINARY', data: 'abc' } }, /not a base64 string/],
    [{ value: { type: 'STRING', data: 1 } }, /must be a string/],
    [{ value: { type: 'PROTOBUF', data: {} } }, /schema registry/],
    [{ headers: [{ name: 'h', value: '@' }] }, /header value is not a base64 string/],
    [{ partition_id: -1 }, /partition_id/],
    [{ timestamp: 'yesterday' }, /timestamp/],
    [[1, 2], /record/],
  ])('refuses %j with a 400 report', (value, message) => {
    const parsed = parseRecordValue(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.report).toEqual({ error_code: 400, message: expect.stringMatching(message) });
  });

  it('reports malformed JSON 400 and oversized records 413', () => {
    expect(parseRecordSegment({ kind: 'json', text: '{"a":}' })).toMatchObject({ ok: false, report: { error_code: 400 } });
    expect(parseRecordSegment({ kind: 'too-large', bytes: 10 })).toMatchObject({ ok: false, report: { error_code: 413 } });
  });

  it('turns a produce result into a delivery report', () => {
    const e = encoded({ key: { type: 'STRING', data: 'k' } });
    const ok: ProduceResult = { topic: 't', partition: 1, offset: 41n, timestamp: 1_700_000_000_000n, errorCode: 0, errorMessage: null };
    expect(deliveryReport('c1', e, ok)).toEqual({
      error_code: 200,
      cluster_id: 'c1',
      topic_name: 't',
      partition_id: 1,
      offset: 41,
      timestamp: new Date(1_700_000_000_000).toISOString(),
      key: { type: 'STRING', size: 1 },
      value: null,
    });
    expect(deliveryReport('c1', e, { ...ok, errorCode: 3, errorMessage: 'no such partition' })).toEqual({ error_code: 40403, message: 'no such partition' });
    expect(deliveryReport('c1', e, { ...ok, errorCode: 10, errorMessage: 'too big' }).error_code).toBe(413);
  });
});
