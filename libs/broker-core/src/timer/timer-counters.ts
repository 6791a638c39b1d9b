/**
 * Counters shared by every list of one timer, so that `size()` is an O(1) read and the
 * timer learns at once when it has nothing left. Lists update them as entries come and
 * go; `onIdle` is called when the last pending entry leaves (the timer uses it to disarm
 * its wake-up). Per-level counts are not kept here: each add and cancel would pay for a
 * third counter that only the metrics read, so the metrics sum the bucket sizes instead.
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
