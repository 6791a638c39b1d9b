import { describe, expect, it } from '@jest/globals';
import {
  actionForOutOfRange, truncationForLeaderEpoch, truncationWithoutEpochs, type LocalLogView, type OutOfRangeAction, type TruncationDecision,
} from './replica-fetcher-truncation.js';

/**
 * A local log described by its epoch cache: [epoch, start offset] entries in order, the
 * LEO and the HW; endOffsetForEpoch answers as Kafka's LeaderEpochFileCache.endOffsetFor.
 */
function local(epochs: [number, number][], logEndOffset: number, highWatermark = 0): LocalLogView {
  return {
    logEndOffset: BigInt(logEndOffset),
    highWatermark: BigInt(highWatermark),
    endOffsetForEpoch(epoch) {
      let i = epochs.length - 1;
      while (i >= 0 && epochs[i]![0] > epoch) i--;
      if (i < 0) return { leaderEpoch: -1, endOffset: -1n };
      const next = epochs[i + 1];
      return { leaderEpoch: epochs[i]![0], endOffset: BigInt(next === undefined ? logEndOffset : next[1]) };
    },
  };
}

const decision = (truncateTo: number, completed = true): TruncationDecision => ({ truncateTo: BigInt(truncateTo), completed });

describe('truncationForLeaderEpoch (KIP-101, KIP-279)', () => {
  it.each<[string, LocalLogView, [number, number], TruncationDecision]>([
    ['same epoch, leader ends it earlier: cut to the leader\'s end', local([[0, 0], [1, 50]], 120), [1, 100], decision(100)],
    ['same epoch, we end it earlier: nothing to cut', local([[0, 0], [1, 50]], 80), [1, 100], decision(80)],
    ['same epoch, the leader moved on to later epochs: we end ours earlier', local([[0, 0], [1, 50]], 90), [1, 95], decision(90)],
    ['our later epoch the leader never had: cut where the shared epoch ends for the leader', local([[0, 0], [2, 60]], 90), [0, 55], decision(55)],
    ['our later epoch, the shared one ends earlier for us than for the leader', local([[0, 0], [2, 40]], 90), [0, 55], decision(40)],
    ['leader answers an epoch we skipped: cut to the end of our largest epoch below it, ask again', local([[0, 0], [3, 70]], 90), [2, 80], decision(70, false)],
    ['leader answers an epoch we skipped, and our LEO is lower still', local([[0, 0], [1, 30], [4, 35]], 35), [3, 80], decision(35, false)],
    ['leader answers an epoch below all of ours: its end offset', local([[5, 100]], 150), [2, 120], decision(120)],
    ['leader answers an epoch below all of ours, its end beyond ours: our LEO', local([[5, 100]], 110), [2, 120], decision(110)],
    ['leader has no epoch at or below ours (undefined end offset): keep the high watermark', local([[1, 0]], 50, 20), [-1, -1], decision(20)],
    ['leader without epoch tracking (undefined epoch): its end offset', local([[1, 0]], 50, 20), [-1, 30], decision(30)],
    ['leader without epoch tracking, its end beyond ours: our LEO', local([[1, 0]], 50, 20), [-1, 60], decision(50)],
    ['nothing diverged: the leader\'s end of our latest epoch is beyond our LEO', local([[0, 0], [1, 10]], 25), [1, 25], decision(25)],
    ['empty follower log', local([[0, 0]], 0), [0, 40], decision(0)],
  ])('%s', (_name, log, [leaderEpoch, endOffset], expected) => {
    expect(truncationForLeaderEpoch(log, { leaderEpoch, endOffset: BigInt(endOffset) })).toEqual(expected);
  });

  it('never returns an offset above the local LEO', () => {
    for (let leo = 0; leo < 30; leo += 7) {
      for (let end = -1; end < 40; end += 5) {
        for (const epoch of [-1, 0, 1, 2, 3]) {
          const d = truncationForLeaderEpoch(local([[0, 0], [2, Math.min(leo, 10)]], leo, Math.min(leo, 3)), { leaderEpoch: epoch, endOffset: BigInt(end) });
          expect(d.truncateTo <= BigInt(leo)).toBe(true);
        }
      }
    }
  });
});

describe('truncationWithoutEpochs', () => {
  it('keeps the high watermark', () => {
    expect(truncationWithoutEpochs(local([], 50, 20))).toEqual(decision(20));
    expect(truncationWithoutEpochs(local([], 0, 0))).toEqual(decision(0));
  });
});

describe('actionForOutOfRange', () => {
  it.each<[string, number, number, number, OutOfRangeAction]>([
    ['leader ends below us (unclean election): cut to its end', 100, 80, 0, { kind: 'truncate', offset: 80n }],
    ['leader starts past our end (retention while we were away): start over there', 100, 500, 300, { kind: 'start-at', offset: 300n }],
    ['our end is within the leader\'s log after all: keep it and fetch again', 100, 500, 100, { kind: 'keep' }],
    ['leader ends exactly at our end: keep', 100, 100, 50, { kind: 'keep' }],
  ])('%s', (_name, leo, leaderEnd, leaderStart, expected) => {
    expect(actionForOutOfRange(BigInt(leo), BigInt(leaderEnd), BigInt(leaderStart))).toEqual(expected);
  });
});
