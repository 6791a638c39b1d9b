import { MAX_DATA_BYTES, parentOf, validateData, validatePath } from './path.js';
import { isRegistryError } from './registry-error.js';

function codeOf(fn: () => void): string {
  try {
    fn();
    return 'OK';
  } catch (err) {
    return isRegistryError(err) ? err.code : 'THROWN';
  }
}

describe('znode paths', () => {
  it.each(['/', '/a', '/a/b', '/brokers/topics/my-topic.v1/partitions/0/state', '/a b', '/ünïcode', '/.a', '/a/..b', '/a/b.'])('accepts %j', (path) => {
    expect(codeOf(() => validatePath(path))).toBe('OK');
  });

  it.each(['', 'a', 'a/b', '/a/', '//a', '/a//b', '/.', '/a/./b', '/a/..', '/a\u0000', '/a\u001f', '/..', '/a/.', '/a\u007f/b', '/a/b/'])('rejects %j with BADARGUMENTS', (path) => {
    expect(codeOf(() => validatePath(path))).toBe('BADARGUMENTS');
  });

  it('lets a sequential create end with a slash, but not be the root', () => {
    expect(codeOf(() => validatePath('/a/', true))).toBe('OK');
    expect(codeOf(() => validatePath('/', true))).toBe('BADARGUMENTS');
  });

  it('finds parents', () => {
    expect([parentOf('/a/b'), parentOf('/a'), parentOf('/')]).toEqual(['/a', '/', '']);
  });

  it('caps data at jute.maxbuffer', () => {
    expect(codeOf(() => validateData('/a', new Uint8Array(MAX_DATA_BYTES)))).toBe('OK');
    expect(codeOf(() => validateData('/a', new Uint8Array(MAX_DATA_BYTES + 1)))).toBe('BADARGUMENTS');
  });
});
