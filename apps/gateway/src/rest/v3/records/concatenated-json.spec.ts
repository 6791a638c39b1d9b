import { ConcatenatedJsonSplitter, type JsonSegment } from './concatenated-json.js';

function split(pieces: readonly string[], max = 1024): JsonSegment[] {
  const splitter = new ConcatenatedJsonSplitter(max);
  return [...pieces.flatMap((p) => splitter.push(Buffer.from(p))), ...splitter.end()];
}

describe('ConcatenatedJsonSplitter', () => {
  it('splits values that touch, are separated by whitespace, or span chunks', () => {
    const text = '{"a":1}{"b":[1,2]}\n\t {"c":"x"}\r\n[3]';
    const expected = ['{"a":1}', '{"b":[1,2]}', '{"c":"x"}', '[3]'].map((t) => ({ kind: 'json', text: t }));
    expect(split([text])).toEqual(expected);
    for (let cut = 1; cut < text.length; cut++) {
      expect(split([text.slice(0, cut), text.slice(cut)])).toEqual(expected);
    }
    expect(split([...text])).toEqual(expected);
  });

  it('ignores braces and quotes inside strings, escapes included', () => {
    const text = '{"s":"}{\\"]["}{"t":"\\\\"}';
    expect(split([...text])).toEqual([
      { kind: 'json', text: '{"s":"}{\\"]["}' },
      { kind: 'json', text: '{"t":"\\\\"}' },
    ]);
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const bytes = Buffer.from('{"v":"żółw 🐢"}');
    const splitter = new ConcatenatedJsonSplitter(1024);
    const out = [...bytes].flatMap((b) => splitter.push(Buffer.from([b])));
    expect(out).toEqual([{ kind: 'json', text: '{"v":"żółw 🐢"}' }]);
  });

  it('delimits garbage between values so the values after it survive', () => {
    expect(split(['{"a":1} oops 42 {"b":2}'])).toEqual([
      { kind: 'json', text: '{"a":1}' },
      { kind: 'garbage', text: 'oops' },
      { kind: 'garbage', text: '42' },
      { kind: 'json', text: '{"b":2}' },
    ]);
    expect(split(['{"a":1}x{"b":2}'])).toEqual([
      { kind: 'json', text: '{"a":1}' },
      { kind: 'garbage', text: 'x' },
      { kind: 'json', text: '{"b":2}' },
    ]);
  });

  it('reports an unterminated last value as garbage', () => {
    expect(split(['{"a":1}{"b":'])).toEqual([
      { kind: 'json', text: '{"a":1}' },
      { kind: 'garbage', text: '{"b":' },
    ]);
  });

  it('drops the bytes of a value over the limit and reports its size, then goes on', () => {
    const big = `{"v":"${'x'.repeat(100)}"}`;
    expect(split([big.slice(0, 30), big.slice(30), '{"ok":1}'], 50)).toEqual([
      { kind: 'too-large', bytes: big.length },
      { kind: 'json', text: '{"ok":1}' },
    ]);
  });
});
