import type { TimerCounters } from './timer-counters.js';
import type { TimerTask } from './timer-task.js';
import { TimerTaskList } from './timer-task-list.js';

/**
 * One level of a hierarchical timing wheel: `wheelSize` buckets of `tickMs` each, so the
 * level covers `intervalMs = tickMs * wheelSize` from its `currentTimeMs`. Deadlines
 * beyond that go to an overflow wheel whose tick is this level's interval, created on
 * first need; levels chain on until a deadline fits (20 buckets of 1 ms reach three days
 * in seven levels).
 *
 * Bucket `i` holds entries whose deadline falls in a slot `virtualId * tickMs` with
 * `virtualId % wheelSize === i`. When the timer polls a bucket from the queue it advances
 * the wheel to the bucket's expiration and re-adds each entry: an entry from an upper
 * level then lands in a finer bucket below (the cascade), and one whose slot has come
 * runs. Insert costs O(levels); removal is the list's O(1).
 *
 * Invariants: `currentTimeMs` is a multiple of `tickMs` and never passes the expiration
 * of a non-empty bucket that has not been flushed, because only the timer moves it, and
 * only up to a bucket it has just polled or up to "now" once every due bucket is flushed.
 * That is why a slot's bucket is never shared by two different expirations at once.
 *
 * Callers: only the owning `SystemTimer` (single-threaded).
 */
export class TimingWheel {
  readonly intervalMs: number;
  private readonly buckets: TimerTaskList[];
  private currentTimeMs: number;
  /** `currentTimeMs + intervalMs`: deadlines from here on belong to an upper level. */
  private endMs: number;
  private overflowWheel: TimingWheel | null = null;

  constructor(
    readonly tickMs: number,
    readonly wheelSize: number,
    startMs: number,
    private readonly counters: TimerCounters,
    private readonly queueBucket: (bucket: TimerTaskList) => void,
    readonly level = 0,
  ) {
    this.intervalMs = tickMs * wheelSize;
    this.currentTimeMs = startMs - (startMs % tickMs);
    this.endMs = this.currentTimeMs + this.intervalMs;
    this.buckets = Array.from({ length: wheelSize }, () => new TimerTaskList(counters));
  }

  get timeMs(): number {
    return this.currentTimeMs;
  }

  /** Entries in this level's buckets, for metrics: O(wheelSize), off the add/cancel path. */
  get pending(): number {
    let pending = 0;
    for (const bucket of this.buckets) pending += bucket.size;
    return pending;
  }

  /** Buckets holding at least one entry, for metrics: O(wheelSize) like `pending`. */
  get occupiedBuckets(): number {
    let occupied = 0;
    for (const bucket of this.buckets) if (bucket.size > 0) occupied++;
    return occupied;
  }

  /**
   * Places a detached task in the bucket for its `expirationMs`. Returns false, placing
   * nothing, if its slot has already come (the caller runs it then).
   *
   * Only this (finest) level can find a task already due: a deadline that reaches level
   * n+1 is at least `endMs` of level n, which is past the first slot of level n+1. So
   * the climb below is one comparison per level against a precomputed end, in a loop
   * rather than a recursion, so it stays in one optimised frame.
   */
  add(entry: TimerTask): boolean {
    const expirationMs = entry.expirationMs;
    if (expirationMs < this.currentTimeMs + this.tickMs) return false;
    if (expirationMs < this.endMs) {
      this.place(entry, expirationMs);
      return true;
    }
    let wheel = this.overflowWheel ?? this.createOverflow();
    while (expirationMs >= wheel.endMs) wheel = wheel.overflowWheel ?? wheel.createOverflow();
    wheel.place(entry, expirationMs);
    return true;
  }

  /** Moves this level (and any above it) forward to `timeMs`, rounded down to each level's tick. */
  advanceClock(timeMs: number): void {
    // An upper level's tick is a multiple of the one below, so it can only move if the
    // level below it moved.
    if (!this.moveTo(timeMs)) return;
    for (let wheel = this.overflowWheel; wheel !== null && wheel.moveTo(timeMs); wheel = wheel.overflowWheel);
  }

  /** This level and every overflow level created so far, finest first. */
  levels(): TimingWheel[] {
    return this.overflowWheel === null ? [this] : [this, ...this.overflowWheel.levels()];
  }

  private place(entry: TimerTask, expirationMs: number): void {
    const tickMs = this.tickMs;
    const virtualId = Math.floor(expirationMs / tickMs);
    const bucket = this.buckets[virtualId % this.wheelSize] as TimerTaskList;
    bucket.add(entry);
    // Queue the bucket only when it starts standing for a new slot; if the expiration
    // is unchanged, the bucket is already queued for exactly this time.
    if (bucket.setExpirationMs(virtualId * tickMs)) this.queueBucket(bucket);
  }

  private moveTo(timeMs: number): boolean {
    if (timeMs < this.currentTimeMs + this.tickMs) return false;
    this.currentTimeMs = timeMs - (timeMs % this.tickMs);
    this.endMs = this.currentTimeMs + this.intervalMs;
    return true;
  }

  private createOverflow(): TimingWheel {
    const overflow = new TimingWheel(this.intervalMs, this.wheelSize, this.currentTimeMs, this.counters, this.queueBucket, this.level + 1);
    this.overflowWheel = overflow;
    return overflow;
  }
}
