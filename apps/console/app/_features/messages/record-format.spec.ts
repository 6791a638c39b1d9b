import { base64ToBytes, guessFormat, hexDumpRows, render, textOrBase64, utf8ToBase64 } from './record-format';

const bytes = (text: string) => base64ToBytes(utf8ToBase64(text));

describe('record formats', () => {
  it('round-trips UTF-8 through base64', () => {
    expect(new TextDecoder().decode(bytes('grüße {"a":1}'))).toBe('grüße {"a":1}');
  });

  it('renders JSON pretty, text as is, and base64', () => {
    expect(render(bytes('{"a":[1,2]}'), 'json')).toEqual({ ok: true, text: '{\n  "a": [\n    1,\n    2\n  ]\n}' });
    expect(render(bytes('plain'), 'string')).toEqual({ ok: true, text: 'plain' });
    expect(render(bytes('AB'), 'base64')).toEqual({ ok: true, text: 'QUI=' });
  });

  it('falls back and says why when bytes are not what was asked for', () => {
    expect(render(bytes('not json'), 'json')).toEqual({ ok: false, text: 'not json', reason: 'not JSON; shown as text' });
    expect(render(bytes('{"a":'), 'json', true)).toMatchObject({ ok: false, reason: expect.stringMatching(/cut short/) });
    expect(render(new Uint8Array([0xff, 0xfe]), 'string')).toMatchObject({ ok: false, text: '//4=', reason: expect.stringMatching(/^not UTF-8 text; shown as base64/) });
  });

  it('dumps hex rows of offset, hex pairs and printable ASCII, padded to line up', () => {
    const data = new Uint8Array([...new TextEncoder().encode('Hello, hex dump!'), 0x00, 0x7f, 0x41]);
    expect(hexDumpRows(data)).toEqual([
      '00000000  48 65 6c 6c 6f 2c 20 68 65 78 20 64 75 6d 70 21  Hello, hex dump!',
      `00000010  00 7f 41${' '.repeat(39)}  ..A`,
    ]);
  });

  it('builds only the hex rows asked for', () => {
    const big = new Uint8Array(1024 * 1024).fill(0x61);
    const rows = hexDumpRows(big, 65_534, 10);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^000fffe0 {2}61 61/);
    expect(hexDumpRows(big, 0, 3)).toHaveLength(3);
  });

  it('writes exports as text, or base64 with a prefix when not UTF-8', () => {
    expect(textOrBase64(bytes('ok'))).toBe('ok');
    expect(textOrBase64(new Uint8Array([0xff]))).toBe('base64:/w==');
  });

  it('guesses JSON, then text, then hex', () => {
    expect(guessFormat(bytes(' {"a":1}'))).toBe('json');
    expect(guessFormat(bytes('{half'))).toBe('string');
    expect(guessFormat(bytes('hello'))).toBe('string');
    expect(guessFormat(new Uint8Array([0xc3, 0x28]))).toBe('hex');
  });
});
