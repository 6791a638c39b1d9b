import { RegistryError } from './registry-error.js';

/** ZooKeeper's default jute.maxbuffer: the largest znode payload accepted. */
export const MAX_DATA_BYTES = 1024 * 1024;

/**
 * ZooKeeper's path rules: absolute, no empty segment, no trailing slash (except the root,
 * or the prefix of a sequential create, which gets its counter appended), no "." or ".."
 * segment, no NUL or control characters.
 */
export function validatePath(path: string, sequential = false): void {
  if (typeof path !== 'string' || path.length === 0) throw badPath(String(path), 'path must not be empty');
  if (path[0] !== '/') throw badPath(path, 'path must start with /');
  if (path.length === 1) {
    if (sequential) throw badPath(path, 'a sequential create needs a name prefix or a parent');
    return;
  }
  if (path.endsWith('/') && !sequential) throw badPath(path, 'path must not end with /');
  // One pass, no slicing: every read of the registry validates its path.
  const end = sequential && path.endsWith('/') ? path.length - 1 : path.length;
  let start = 1;
  for (let i = 1; i <= end; i++) {
    const c = i === end ? 0x2f : path.charCodeAt(i);
    if (c === 0x2f) {
      checkSegment(path, start, i);
      start = i + 1;
    } else if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff)) {
      const next = path.indexOf('/', i);
      throw badPath(path, `invalid character at offset ${i - start} of "${path.slice(start, next < 0 || next > end ? end : next)}"`);
    }
  }
}

/** The segment path[start, end): not empty, not "." or "..". */
function checkSegment(path: string, start: number, end: number): void {
  const length = end - start;
  if (length === 0) throw badPath(path, 'empty segment');
  if (path.charCodeAt(start) === 0x2e && (length === 1 || (length === 2 && path.charCodeAt(start + 1) === 0x2e))) {
    throw badPath(path, `relative segment "${path.slice(start, end)}"`);
  }
}

export function validateData(path: string, data: Uint8Array): void {
  if (!(data instanceof Uint8Array)) throw new RegistryError('BADARGUMENTS', path, 'data must be a Uint8Array');
  if (data.length > MAX_DATA_BYTES) {
    throw new RegistryError('BADARGUMENTS', path, `data of ${data.length} bytes exceeds ${MAX_DATA_BYTES} (jute.maxbuffer)`);
  }
}

/** "/a/b" → "/a"; "/a" → "/"; "/" → "" (the root has no parent). */
export function parentOf(path: string): string {
  if (path === '/') return '';
  const slash = path.lastIndexOf('/');
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** "/a/b" → "b". */
export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** ZooKeeper's sequential suffix: the parent's cversion, zero-padded to 10 digits. */
export function sequenceSuffix(parentCversion: number): string {
  return String(parentCversion).padStart(10, '0');
}

function badPath(path: string, why: string): RegistryError {
  return new RegistryError('BADARGUMENTS', path, `invalid path: ${why}`);
}
