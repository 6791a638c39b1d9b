import { parseProduceForm, produceFieldsFrom } from './produce-input';

const fields = (over: Record<string, string> = {}) =>
  produceFieldsFrom({ partition: '', key_type: 'STRING', key: '', value_type: 'STRING', value: '', headers: '', ...over });

describe('parseProduceForm', () => {
  it('sends a string record to the partitioner when no partition is picked', () => {
    expect(parseProduceForm(fields({ key: 'k1', value: 'hello' }))).toEqual({
      ok: true,
      request: { key: { type: 'STRING', data: 'k1' }, value: { type: 'STRING', data: 'hello' } },
    });
  });

  it('parses JSON values, base64-encodes header values and keeps an explicit partition', () => {
    const parsed = parseProduceForm(fields({ partition: '2', value_type: 'JSON', value: '{"n":1}', headers: 'trace=abc\n\nsource=console' }));
    expect(parsed).toEqual({
      ok: true,
      request: {
        partition_id: 2,
        value: { type: 'JSON', data: { n: 1 } },
        headers: [
          { name: 'trace', value: 'YWJj' },
          { name: 'source', value: 'Y29uc29sZQ==' },
        ],
      },
    });
  });

  it('splits headers on the CRLF line breaks a submitted textarea sends', () => {
    expect(parseProduceForm(fields({ headers: 'trace=abc\r\norigin=console' }))).toMatchObject({
      ok: true,
      request: { headers: [{ name: 'trace', value: 'YWJj' }, { name: 'origin', value: 'Y29uc29sZQ==' }] },
    });
  });

  it('reports bad JSON, a malformed header and a bad partition per field', () => {
    const parsed = parseProduceForm(fields({ partition: 'x', value_type: 'JSON', value: '{', headers: 'nope' }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(['headers', 'partition', 'value']);
  });

  it('rejects BINARY data that is not base64, as the gateway would', () => {
    expect(parseProduceForm(fields({ value_type: 'BINARY', value: 'not base64!' }))).toMatchObject({ ok: false, errors: { value: expect.stringMatching(/base64/) } });
    expect(parseProduceForm(fields({ value_type: 'BINARY', value: 'AAEC' })).ok).toBe(true);
  });
});
