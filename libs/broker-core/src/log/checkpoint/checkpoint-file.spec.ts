import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/log-fixtures.js';
import { CheckpointFile, type CheckpointFormat, CorruptCheckpointError, parseSafeInteger, splitFields } from './checkpoint-file.js';

interface Pair {
  name: string;
  value: number;
}

const PAIRS: CheckpointFormat<Pair> = {
  version: 3,
  format: (p) => `${p.name} ${p.value}`,
  parse: (line) => {
    const [name, value, ...rest] = splitFields(line);
    const parsed = value === undefined ? undefined : parseSafeInteger(value);
    return rest.length === 0 && name && parsed !== undefined ? { name, value: parsed } : undefined;
  },
};

let tmp: ReturnType<typeof tempDir>;
let path: string;
beforeEach(() => {
  tmp = tempDir('weir-checkpoint-');
  path = join(tmp.dir, 'pairs');
});
afterEach(() => tmp.cleanup());

function readError(file: CheckpointFile<Pair>): string {
  try {
    file.read();
  } catch (err) {
    expect(err).toBeInstanceOf(CorruptCheckpointError);
    expect((err as CorruptCheckpointError).path).toBe(path);
    return (err as Error).message;
  }
  throw new Error('read() did not throw');
}

describe('CheckpointFile', () => {
  it("writes Kafka's layout (version, count, one entry per line) and reads it back", () => {
    const file = new CheckpointFile(path, PAIRS);
    file.write([{ name: 'a', value: 1 }, { name: 'b', value: -2 }]);
    expect(readFileSync(path, 'utf8')).toBe('3\n2\na 1\nb -2\n');
    expect(file.read()).toEqual([{ name: 'a', value: 1 }, { name: 'b', value: -2 }]);
    file.write([]);
    expect(readFileSync(path, 'utf8')).toBe('3\n0\n');
    expect(file.read()).toEqual([]);
    // The temporary file was renamed away, with and without sync.
    file.write([{ name: 'c', value: 3 }], false);
    expect(readdirSync(tmp.dir)).toEqual(['pairs']);
  });

  it('reads a missing file as undefined', () => {
    expect(new CheckpointFile(path, PAIRS).read()).toBeUndefined();
  });

  it('reads entries separated by runs of whitespace, as Kafka splits them', () => {
    writeFileSync(path, '3\n1\na \t 7\n');
    expect(new CheckpointFile(path, PAIRS).read()).toEqual([{ name: 'a', value: 7 }]);
  });

  const corrupt: [string, string, RegExp][] = [
    ['an empty file', '', /it is empty/],
    ['a file cut inside its last number', '3\n2\na 1\nb 12', /no newline/],
    ['a file cut after the version', '3\n', /no entry count/],
    ['another version', '4\n0\n', /version line "4", expected 3/],
    ['a version that is no number', 'x\n0\n', /version line "x"/],
    ['a count that is no number', '3\ntwo\n', /malformed entry count "two"/],
    ['a negative count', '3\n-1\n', /malformed entry count/],
    ['fewer entries than counted', '3\n2\na 1\n', /expected 2 entries, found 1/],
    ['more entries than counted', '3\n1\na 1\nb 2\n', /expected 1 entries, found 2/],
    ['a malformed entry', '3\n1\na 1 extra\n', /malformed line 3: "a 1 extra"/],
    ['an offset past 2^53', '3\n1\na 9007199254740993\n', /malformed line 3/],
    ['a blank entry line', '3\n1\n\n', /malformed line 3/],
  ];
  it.each(corrupt)('refuses %s with an error naming the file and the problem', (_what, text, problem) => {
    writeFileSync(path, text);
    const file = new CheckpointFile(path, PAIRS);
    const message = readError(file);
    expect(message).toContain(path);
    expect(message).toMatch(problem);
    // The caller that rebuilds gets undefined and the error to log instead.
    const reported: CorruptCheckpointError[] = [];
    expect(file.readOrUndefined((err) => reported.push(err))).toBeUndefined();
    expect(reported.map((e) => e.message)).toEqual([message]);
  });

  it('lets I/O errors other than a missing file through', () => {
    mkdirSync(path);
    expect(() => new CheckpointFile(path, PAIRS).read()).toThrow(/EISDIR/);
    expect(() => new CheckpointFile(path, PAIRS).readOrUndefined(() => undefined)).toThrow(/EISDIR/);
  });

  it('leaves the old file whole when a write fails, and refuses entries that span lines', () => {
    const file = new CheckpointFile(path, PAIRS);
    file.write([{ name: 'a', value: 1 }]);
    expect(() => file.write([{ name: 'x\ny', value: 2 }])).toThrow(RangeError);
    mkdirSync(`${path}.tmp`); // the temporary file cannot be created
    expect(() => file.write([{ name: 'b', value: 2 }])).toThrow();
    expect(file.read()).toEqual([{ name: 'a', value: 1 }]);
    expect(existsSync(path)).toBe(true);
  });
});
