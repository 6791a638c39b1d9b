import { statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/log-fixtures.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

describe('OffsetIndex', () => {
  it('finds the greatest entry <= the target and falls back to the segment start', () => {
    const path = join(tmp.dir, 'a.index');
    const index = new OffsetIndex(path, 1000n, 1024, 0);
    for (let i = 1; i <= 10; i++) index.append(1000n + BigInt(i * 10), i * 4096);
    expect(index.lookup(1000n)).toEqual({ offset: 1000n, position: 0 });
    expect(index.lookup(1009n)).toEqual({ offset: 1000n, position: 0 });
    expect(index.lookup(1010n)).toEqual({ offset: 1010n, position: 4096 });
    expect(index.lookup(1055n)).toEqual({ offset: 1050n, position: 5 * 4096 });
    expect(index.lookup(99_999n)).toEqual({ offset: 1100n, position: 10 * 4096 });
    index.close();
    expect(statSync(path).size).toBe(80);
    // Lazily reopened from a known entry count, as after a clean shutdown.
    const reopened = new OffsetIndex(path, 1000n, 1024, 10);
    expect(reopened.lookup(1071n)).toEqual({ offset: 1070n, position: 7 * 4096 });
    reopened.truncateToPosition(5 * 4096);
    expect(reopened.entries).toBe(4);
    expect(reopened.lookup(1099n)).toEqual({ offset: 1040n, position: 4 * 4096 });
    expect(reopened.sanityCheck(5 * 4096)).toBeUndefined();
    expect(reopened.sanityCheck(4 * 4096)).toMatch(/past the log/);
    reopened.close();
  });

  it('is full at segment.index.bytes', () => {
    const index = new OffsetIndex(join(tmp.dir, 'b.index'), 0n, 24, 0);
    for (let i = 0; i < 3; i++) index.append(BigInt(i), i * 100);
    expect(index.isFull()).toBe(true);
    index.close();
  });
});

describe('TimeIndex', () => {
  it('keeps timestamps increasing and finds the last entry older than a target', () => {
    const index = new TimeIndex(join(tmp.dir, 'a.timeindex'), 500n, 1200, 0);
    index.maybeAppend(100n, 510n);
    index.maybeAppend(100n, 520n); // not larger: skipped
    index.maybeAppend(90n, 530n); // older: skipped
    index.maybeAppend(200n, 540n);
    expect(index.entries).toBe(2);
    expect(index.lookupBefore(100n)).toBeUndefined();
    expect(index.lookupBefore(101n)).toEqual({ timestamp: 100n, offset: 510n });
    expect(index.lookupBefore(10_000n)).toEqual({ timestamp: 200n, offset: 540n });
    index.truncateToOffset(540n);
    expect(index.lastEntry()).toEqual({ timestamp: 100n, offset: 510n });
    expect(index.sanityCheck()).toBeUndefined();
    index.close();
  });
});
