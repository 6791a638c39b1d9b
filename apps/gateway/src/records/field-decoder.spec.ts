import { decodeField } from './field-decoder.js';

describe('decodeField', () => {
  it('decodes as asked, with the full size', () => {
    const bytes = Buffer.from('{"a":1}');
    expect(decodeField(bytes, 'json', 100)).toEqual({ format: 'json', data: { a: 1 }, size: 7, truncated: false });
    expect(decodeField(bytes, 'string', 100)).toEqual({ format: 'string', data: '{"a":1}', size: 7, truncated: false });
    expect(decodeField(bytes, 'hex', 100)?.data).toBe(bytes.toString('hex'));
    expect(decodeField(bytes, 'base64', 100)?.data).toBe(bytes.toString('base64'));
    expect(decodeField(null, 'string', 100)).toBeNull();
  });

  it('falls back honestly: base64 for non-UTF-8, string for non-JSON', () => {
    expect(decodeField(Buffer.from([0xff, 0xfe]), 'string', 100)).toEqual({ format: 'base64', data: '//4=', size: 2, truncated: false });
    expect(decodeField(Buffer.from('plain'), 'json', 100)?.format).toBe('string');
  });

  it('truncates at the limit and flags it, never splitting a character', () => {
    const text = 'é'.repeat(10); // 20 bytes
    const field = decodeField(Buffer.from(text), 'string', 5);
    expect(field).toEqual({ format: 'string', data: 'éé', size: 20, truncated: true });
    expect(decodeField(Buffer.from('{"a":"long"}'), 'json', 4)).toMatchObject({ format: 'string', data: '{"a"', truncated: true });
  });
});
