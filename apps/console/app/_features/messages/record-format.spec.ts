import { base64ToBytes, guessFormat, render, toHex, utf8ToBase64 } from './record-format';

const bytes = (text: string) => base64ToBytes(utf8ToBase64(text));

describe('record formats', () => {
  it('round-trips UTF-8 through base64', () => {
    expect(new TextDecoder().decode(bytes('grüße {"a":1}'))).toBe('grüße {"a":1}');
  });

  it('renders JSON pretty, text as is, and anything as hex', () => {
    expect(render(bytes('{"a":[1,2]}'), 'json')).toEqual({ ok: true, text: '{\n  "a": [\n    1,\n    2\n  ]\n}' });
    expect(render(bytes('plain'), 'string')).toEqual({ ok: true, text: 'plain' });
    expect(render(bytes('AB'), 'hex')).toEqual({ ok: true, text: '41 42' });
    expect(toHex(new Uint8Array(17).fill(255)).split('\n')).toHaveLength(2);
  });

  it('falls back and says why when bytes are not what was asked for', () => {
    expect(render(bytes('not json'), 'json')).toEqual({ ok: false, text: 'not json', reason: 'not JSON; shown as text' });
    expect(render(bytes('{"a":'), 'json', true)).toMatchObject({ ok: false, reason: expect.stringMatching(/cut short/) });
    expect(render(new Uint8Array([0xff, 0xfe]), 'string')).toEqual({ ok: false, text: 'ff fe', reason: 'not UTF-8 text; shown as hex' });
  });

  it('guesses JSON, then text, then hex', () => {
    expect(guessFormat(bytes(' {"a":1}'))).toBe('json');
    expect(guessFormat(bytes('{half'))).toBe('string');
    expect(guessFormat(bytes('hello'))).toBe('string');
    expect(guessFormat(new Uint8Array([0xc3, 0x28]))).toBe('hex');
  });
});
