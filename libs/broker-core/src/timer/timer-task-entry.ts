import type { TimerTaskList } from './timer-task-list.js';

/**
 * The list-node part of a timer task: which `TimerTaskList` holds it, its neighbours
 * there, and the absolute time (monotonic ms, rounded up to the wheel's tick) at which it
 * becomes due.
 *
 * Kafka keeps the entry as a separate object so that a task re-added on one thread can
 * drop an entry another thread is still flushing. With one JS thread nothing holds a
 * stale entry, so `TimerTask` extends this class and each pending task costs one
 * allocation instead of two (half the garbage for the broker's add-then-cancel pattern).
 *
 * Invariants: `list` is the list that currently links the node, or null when detached;
 * a detached node's `next`/`prev` point at itself. Only `TimerTaskList` changes `list`,
 * `next` and `prev`; only the timer sets `expirationMs`, just before placing the node.
 */
export class TimerTaskEntry {
  expirationMs = -1;
  list: TimerTaskList | null = null;
  next: TimerTaskEntry = this;
  prev: TimerTaskEntry = this;

  /** Unlinks the node from its list, if any. O(1). */
  remove(): boolean {
    const list = this.list;
    if (list === null) return false;
    list.remove(this);
    return true;
  }
}
