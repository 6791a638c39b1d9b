/**
 * Counters shared by every list of one timer, so that `size()` and the metrics are O(1)
 * reads. Lists update them as entries come and go; `onIdle` is called when the last
 * pending entry leaves (the timer uses it to disarm its wake-up).
 */
export class TimerCounters {
  /** Entries currently linked in any list of the timer (wheel buckets, ready, firing). */
  pending = 0;
  /** Pending tasks removed by `TimerTask.cancel()`. */
  cancelled = 0;
  onIdle: (() => void) | null = null;

  increment(): void {
    this.pending++;
  }

  decrement(): void {
    if (--this.pending === 0 && this.onIdle !== null) this.onIdle();
  }
}

/** How many entries sit in the buckets of one wheel level (or in a non-wheel list). */
export interface LevelCounter {
  pending: number;
}
