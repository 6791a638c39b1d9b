/**
 * The follower's truncation decisions, as pure functions of what the local log knows and
 * what the leader answered (Kafka's AbstractFetcherThread.getOffsetTruncationState and
 * its out-of-range handling), so that they can be tested case by case.
 *
 * The epoch protocol (KIP-101, KIP-279): the follower asks the leader for the end offset
 * of its own latest epoch. The leader answers with the largest epoch it has at or below
 * the one asked, and where that epoch ends in its log. Everything the follower holds past
 * that point under that epoch, or under an epoch the leader never had, diverged and goes.
 */

/** -1: an epoch or offset the answer does not define (Kafka's UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET). */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1n;

/** What the decisions read from the local replica (a FollowerReplica provides all of it). */
export interface LocalLogView {
  readonly logEndOffset: bigint;
  readonly highWatermark: bigint;
  endOffsetForEpoch(epoch: number): { leaderEpoch: number; endOffset: bigint };
}

/** The leader's answer for one partition: OffsetForLeaderEpoch's result, or a Fetch response's diverging_epoch. */
export interface LeaderEpochEndOffset {
  readonly leaderEpoch: number;
  readonly endOffset: bigint;
}

export interface TruncationDecision {
  /** Remove everything at and above this offset (never above the local LEO). */
  readonly truncateTo: bigint;
  /**
   * false when the leader answered with an epoch the follower does not have: the
   * follower cut back to where its own largest earlier epoch ends, and must ask again
   * with its (now lower) latest epoch before fetching.
   */
  readonly completed: boolean;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * Where to truncate given the leader's answer for the epoch the follower asked about.
 * - The leader knows no epoch at or below ours (end offset undefined): keep what is
 *   known committed, the local high watermark.
 * - No epoch in the answer (a leader without epoch tracking): the leader's end offset.
 * - An epoch we also have: where the shorter of the two logs ends that epoch.
 * - An epoch we do not have, but we have an earlier one: cut to the end of our largest
 *   epoch below it, and ask again (not completed).
 * - An epoch below everything we have: the leader's end offset (we cannot compare).
 */
export function truncationForLeaderEpoch(local: LocalLogView, leader: LeaderEpochEndOffset): TruncationDecision {
  const leo = local.logEndOffset;
  if (leader.endOffset === UNDEFINED_EPOCH_OFFSET) return { truncateTo: min(local.highWatermark, leo), completed: true };
  if (leader.leaderEpoch === UNDEFINED_EPOCH) return { truncateTo: min(leader.endOffset, leo), completed: true };
  const ours = local.endOffsetForEpoch(leader.leaderEpoch);
  if (ours.leaderEpoch === UNDEFINED_EPOCH) return { truncateTo: min(leader.endOffset, leo), completed: true };
  if (ours.leaderEpoch !== leader.leaderEpoch) return { truncateTo: min(ours.endOffset, leo), completed: false };
  return { truncateTo: min(min(ours.endOffset, leader.endOffset), leo), completed: true };
}

/**
 * A follower whose epoch cache is empty cannot take part in the epoch protocol: it keeps
 * what it knows to be committed, the high watermark, and fetches the rest (Kafka's
 * fallback, also taken for a log written before epochs were tracked).
 */
export function truncationWithoutEpochs(local: LocalLogView): TruncationDecision {
  return { truncateTo: min(local.highWatermark, local.logEndOffset), completed: true };
}

export type OutOfRangeAction =
  /** The leader's log ends below ours (an unclean election): cut ours to its end and fetch from there. */
  | { readonly kind: 'truncate'; readonly offset: bigint }
  /** The leader's log starts past our end (retention moved on while we were away): start over at its start. */
  | { readonly kind: 'start-at'; readonly offset: bigint }
  /** Our end lies within the leader's log after all (it moved meanwhile): fetch again from it. */
  | { readonly kind: 'keep' };

/**
 * After OFFSET_OUT_OF_RANGE on a fetch at our log end: what the leader's log end and
 * start say to do (Kafka's fetchOffsetAndTruncate).
 */
export function actionForOutOfRange(localLogEndOffset: bigint, leaderLogEndOffset: bigint, leaderLogStartOffset: bigint): OutOfRangeAction {
  if (leaderLogEndOffset < localLogEndOffset) return { kind: 'truncate', offset: leaderLogEndOffset };
  return leaderLogStartOffset > localLogEndOffset ? { kind: 'start-at', offset: leaderLogStartOffset } : { kind: 'keep' };
}
