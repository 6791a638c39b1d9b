import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordingLogger, tempDir } from '../testing/log-fixtures.js';
import { CorruptCheckpointError } from '../checkpoint/checkpoint-file.js';
import { type EpochEndOffset, type EpochEntry, LEADER_EPOCH_CHECKPOINT_FILE, LeaderEpochCache, leaderEpochCheckpointFile } from './leader-epoch-cache.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir('weir-epochs-')));
afterEach(() => tmp.cleanup());

const path = () => join(tmp.dir, LEADER_EPOCH_CHECKPOINT_FILE);
const entries = (...pairs: [number, number][]): EpochEntry[] => pairs.map(([epoch, startOffset]) => ({ epoch, startOffset }));
const answer = (leaderEpoch: number, endOffset: number): EpochEndOffset => ({ leaderEpoch, endOffset });

function cacheWith(...pairs: [number, number][]): LeaderEpochCache {
  const cache = new LeaderEpochCache(leaderEpochCheckpointFile(tmp.dir), [], new RecordingLogger());
  for (const [epoch, start] of pairs) cache.assign(epoch, start);
  return cache;
}

/** What the file says now, read the way a reopen reads it. */
function stored(): EpochEntry[] | undefined {
  return leaderEpochCheckpointFile(tmp.dir).read();
}

/** The file's inode: every write renames a new file into place, so an unchanged inode means no write. */
const inode = () => statSync(path()).ino;

describe('LeaderEpochCache.assign', () => {
  it('records a new latest epoch and writes the file at once', () => {
    const cache = cacheWith([2, 6]);
    expect(cache.latestEpoch).toBe(2);
    expect(cache.latestEntry()).toEqual({ epoch: 2, startOffset: 6 });
    expect(readFileSync(path(), 'utf8')).toBe('0\n1\n2 6\n');
    cache.assign(3, 8);
    expect(stored()).toEqual(entries([2, 6], [3, 8]));
  });

  it('ignores the latest epoch again at a later offset, without writing', () => {
    const cache = cacheWith([2, 6]);
    const before = inode();
    expect(cache.needsUpdate(2, 9)).toBe(false);
    expect(cache.assign(2, 9)).toBe(false);
    expect(cache.entries()).toEqual(entries([2, 6]));
    expect(inode()).toBe(before);
  });

  const contradictions: [string, [number, number][], [number, number], [number, number][], boolean][] = [
    ['the latest epoch found to start earlier', [[5, 11], [6, 12], [7, 13]], [7, 12], [[5, 11], [7, 12]], true],
    ['a new epoch below entries a truncated follower had', [[2, 6], [3, 8], [4, 9]], [5, 7], [[2, 6], [5, 7]], true],
    ['a new epoch at the offset of a leader that never wrote', [[2, 6], [3, 8]], [4, 8], [[2, 6], [4, 8]], false],
    ['an older epoch after newer ones', [[1, 5], [2, 10]], [1, 20], [[1, 20]], true],
  ];
  it.each(contradictions)('on %s, drops the entries it contradicts', (_what, before, [epoch, start], after, warned) => {
    const logger = new RecordingLogger();
    const cache = new LeaderEpochCache(leaderEpochCheckpointFile(tmp.dir), entries(...before), logger);
    expect(cache.assign(epoch, start)).toBe(true);
    expect(cache.entries()).toEqual(entries(...after));
    expect(stored()).toEqual(entries(...after));
    expect(cache.latestEpoch).toBe(after[after.length - 1]![0]);
    expect(logger.warnings.length > 0).toBe(warned);
  });

  it('refuses entries no log can hold', () => {
    const cache = cacheWith();
    for (const [epoch, start] of [[-1, 0], [2 ** 31, 0], [0.5, 0], [0, -1], [0, 2 ** 53], [0, 1.5]]) {
      expect(() => cache.assign(epoch!, start!)).toThrow(RangeError);
    }
    expect(cache.latestEpoch).toBe(-1);
  });

  it('groups changes under one write when asked not to flush', () => {
    const cache = cacheWith([1, 0]);
    const before = inode();
    cache.assign(2, 5, false);
    cache.truncateFromStart(3, false);
    expect(inode()).toBe(before);
    expect(stored()).toEqual(entries([1, 0]));
    cache.flush();
    expect(stored()).toEqual(entries([1, 3], [2, 5]));
  });
});

describe('LeaderEpochCache.endOffsetFor', () => {
  // Epoch 2 wrote [6, 10), epoch 5 [10, 15), epoch 7 [15, LEO 20).
  const table: [string, number, EpochEndOffset][] = [
    ['the latest epoch: the log end offset', 7, answer(7, 20)],
    ['an earlier epoch: the next epoch start', 5, answer(5, 15)],
    ['the first epoch', 2, answer(2, 10)],
    ['an epoch no leader wrote in: the one before it', 6, answer(5, 15)],
    ['another gap', 3, answer(2, 10)],
    ['below the earliest epoch: itself, with the earliest start', 1, answer(1, 6)],
    ['epoch 0 below the earliest', 0, answer(0, 6)],
    ['above the latest epoch: unknown', 8, answer(-1, -1)],
    ['UNDEFINED_EPOCH: unknown', -1, answer(-1, -1)],
  ];
  it.each(table)('answers %s', (_what, requested, expected) => {
    expect(cacheWith([2, 6], [5, 10], [7, 15]).endOffsetFor(requested, 20)).toEqual(expected);
  });

  it('answers unknown for every epoch while empty', () => {
    const cache = cacheWith();
    for (const epoch of [-1, 0, 3]) expect(cache.endOffsetFor(epoch, 5)).toEqual(answer(-1, -1));
  });

  it('KIP-101, no loss: a follower asking for the leader epoch keeps what the leader has up to its LEO', () => {
    // Leader A wrote offsets 0 and 1 in epoch 0; follower B restarts with both, its HW at 1.
    const leader = cacheWith([0, 0]);
    expect(leader.endOffsetFor(0, 2)).toEqual(answer(0, 2)); // B truncates to min(2, its LEO 2): keeps offset 1
  });

  it('KIP-101, divergence: a replica that missed the end of an epoch truncates to where the next leader started', () => {
    // A wrote 0 and 1 in epoch 0; B had only 0 when both died. B came back first, led
    // epoch 1 and wrote a different record at offset 1. A returns as follower.
    const b = cacheWith([0, 0], [1, 1]);
    const a = cacheWith([0, 0]);
    expect(a.latestEpoch).toBe(0);
    const fromLeader = b.endOffsetFor(a.latestEpoch, 2);
    expect(fromLeader).toEqual(answer(0, 1));
    // A truncates to offset 1, dropping its epoch-0 record there, then fetches B's.
    a.truncateFromEnd(1);
    a.assign(1, 1);
    expect(a.entries()).toEqual(b.entries());
  });

  it('KIP-279: a follower in an epoch the leader never saw truncates to the end of the last epoch they share', () => {
    // A led epoch 0 (offsets 0-1). B, with offset 0, led epoch 1 and wrote offset 1
    // before failing; A, not having seen epoch 1, was elected for epoch 2 with LEO 2
    // and wrote offset 2 onward. B now follows A.
    const a = cacheWith([0, 0]);
    a.assign(2, 2); // makeLeader: the new epoch starts at A's LEO
    const b = cacheWith([0, 0], [1, 1]);
    const fromLeader = a.endOffsetFor(b.latestEpoch, 3);
    // A knows no epoch 1: it answers with epoch 0, which ended where epoch 2 began.
    expect(fromLeader).toEqual(answer(0, 2));
    // B looks up where it thinks epoch 0 ended, and truncates to the smaller offset.
    const own = b.endOffsetFor(fromLeader.leaderEpoch, 2);
    expect(own).toEqual(answer(0, 1));
    const truncateTo = Math.min(fromLeader.endOffset, own.endOffset);
    expect(truncateTo).toBe(1); // B drops its epoch-1 record at offset 1, A's offset 1 replaces it
    b.truncateFromEnd(truncateTo);
    expect(b.entries()).toEqual(entries([0, 0]));
  });
});

describe('LeaderEpochCache truncation', () => {
  const fromEnd: [number, [number, number][]][] = [
    [20, [[2, 6], [5, 10], [7, 15]]],
    [16, [[2, 6], [5, 10], [7, 15]]],
    [15, [[2, 6], [5, 10]]],
    [11, [[2, 6], [5, 10]]],
    [10, [[2, 6]]],
    [6, []],
    [0, []],
  ];
  it.each(fromEnd)('truncateFromEnd(%i) keeps entries starting before it', (endOffset, after) => {
    const cache = cacheWith([2, 6], [5, 10], [7, 15]);
    cache.truncateFromEnd(endOffset);
    expect(cache.entries()).toEqual(entries(...after));
    expect(stored()).toEqual(entries(...after));
    expect(cache.latestEpoch).toBe(after.length === 0 ? -1 : after[after.length - 1]![0]);
  });

  const fromStart: [number, [number, number][]][] = [
    [0, [[2, 6], [5, 10], [7, 15]]],
    [6, [[2, 6], [5, 10], [7, 15]]],
    [8, [[2, 8], [5, 10], [7, 15]]],
    [10, [[5, 10], [7, 15]]],
    [12, [[5, 12], [7, 15]]],
    [100, [[7, 100]]],
  ];
  it.each(fromStart)('truncateFromStart(%i) drops entries wholly below it and moves the first one up', (startOffset, after) => {
    const cache = cacheWith([2, 6], [5, 10], [7, 15]);
    const before = inode();
    cache.truncateFromStart(startOffset);
    expect(cache.entries()).toEqual(entries(...after));
    expect(stored()).toEqual(entries(...after));
    // Nothing to change, nothing written.
    if (startOffset <= 6) expect(inode()).toBe(before);
  });

  it('clearAndFlush empties the cache and its file', () => {
    const cache = cacheWith([2, 6], [5, 10]);
    cache.clearAndFlush();
    expect(cache.entries()).toEqual([]);
    expect(cache.latestEpoch).toBe(-1);
    expect(cache.latestEntry()).toBeUndefined();
    expect(readFileSync(path(), 'utf8')).toBe('0\n0\n');
  });
});

describe('leader-epoch-checkpoint', () => {
  it("survives a reopen, in Kafka's `epoch startOffset` lines", () => {
    cacheWith([2, 6], [5, 10], [7, 15]);
    expect(readFileSync(path(), 'utf8')).toBe('0\n3\n2 6\n5 10\n7 15\n');
    const reopened = new LeaderEpochCache(leaderEpochCheckpointFile(tmp.dir), stored());
    expect(reopened.entries()).toEqual(entries([2, 6], [5, 10], [7, 15]));
    expect(reopened.latestEpoch).toBe(7);
    expect(reopened.entry(5)).toEqual({ epoch: 5, startOffset: 10 });
    expect(reopened.entry(6)).toBeUndefined();
  });

  it.each([
    ['a negative epoch', '0\n1\n-1 0\n'],
    ['an epoch past int32', '0\n1\n2147483648 0\n'],
    ['a negative offset', '0\n1\n3 -5\n'],
    ['three fields', '0\n1\n3 5 7\n'],
    ['a file cut short', '0\n2\n3 5\n4 1'],
  ])('refuses %s', (_what, text) => {
    writeFileSync(path(), text);
    expect(() => stored()).toThrow(CorruptCheckpointError);
  });
});
