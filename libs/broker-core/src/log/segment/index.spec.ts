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
    const index = new OffsetIndex(path, 1000, 1024, 0);
    for (let i = 1; i <= 10; i++) index.append(1000 + i * 10, i * 4096);
    expect(index.lookup(1000)).toEqual({ offset: 1000, position: 0 });
    expect(index.lookup(1009)).toEqual({ offset: 1000, position: 0 });
    expect(index.lookup(1010)).toEqual({ offset: 1010, position: 4096 });
    expect(index.lookup(1055)).toEqual({ offset: 1050, position: 5 * 4096 });
    expect(index.lookup(99_999)).toEqual({ offset: 1100, position: 10 * 4096 });
    index.close();
    expect(statSync(path).size).toBe(80);
    // Lazily reopened from a known entry count, as after a clean shutdown.
    const reopened = new OffsetIndex(path, 1000, 1024, 10);
    expect(reopened.lookup(1071)).toEqual({ offset: 1070, position: 7 * 4096 });
    reopened.truncateToPosition(5 * 4096);
    expect(reopened.entries).toBe(4);
    expect(reopened.lookup(1099)).toEqual({ offset: 1040, position: 4 * 4096 });
    expect(reopened.sanityCheck(5 * 4096)).toBeUndefined();
    expect(reopened.sanityCheck(4 * 4096)).toMatch(/past the log/);
    reopened.close();
  });

  it('is full at segment.index.bytes', () => {
    const index = new OffsetIndex(join(tmp.dir, 'b.index'), 0, 24, 0);
    for (let i = 0; i < 3; i++) index.append(i, i * 100);
    expect(index.isFull()).toBe(true);
    index.close();
  });
});

describe('TimeIndex', () => {
  it('keeps timestamps increasing and finds the last entry older than a target', () => {
    const index = new TimeIndex(join(tmp.dir, 'a.timeindex'), 500, 1200, 0);
    index.maybeAppend(100, 510);
    index.maybeAppend(100, 520); // not larger: skipped
    index.maybeAppend(90, 530); // older: skipped
    index.maybeAppend(200, 540);
    expect(index.entries).toBe(2);
    expect(index.lookupBefore(100)).toBeUndefined();
    expect(index.lookupBefore(101)).toEqual({ timestamp: 100, offset: 510 });
    expect(index.lookupBefore(10_000)).toEqual({ timestamp: 200, offset: 540 });
    index.truncateToOffset(540);
    expect(index.lastEntry()).toEqual({ timestamp: 100, offset: 510 });
    expect(index.sanityCheck()).toBeUndefined();
    index.close();
  });
});
