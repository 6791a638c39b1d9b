import type { TimerTask } from './timer-task.js';
import type { TimerTaskList } from './timer-task-list.js';

/**
 * One node of a `TimerTaskList`: a task and the absolute time (monotonic ms, already
 * rounded up to the wheel's tick) at which it becomes due.
 *
 * Invariants: `list` is the list that currently links this entry, or null when the entry
 * is detached; a detached entry's `next`/`prev` point at itself. An entry is "cancelled"
 * as soon as its task no longer points back at it (the task was cancelled or re-added).
 * Only `TimerTaskList` changes `list`, `next` and `prev`.
 */
export class TimerTaskEntry {
  list: TimerTaskList | null = null;
  next: TimerTaskEntry = this;
  prev: TimerTaskEntry = this;

  constructor(
    readonly task: TimerTask,
    readonly expirationMs: number,
  ) {}

  get cancelled(): boolean {
    return this.task.timerTaskEntry !== this;
  }

  /** Unlinks the entry from its list, if any. O(1). */
  remove(): boolean {
    const list = this.list;
    if (list === null) return false;
    list.remove(this);
    return true;
  }

  /** Like `remove()`, and counts the removal as a cancellation in the timer's metrics. */
  removeOnCancel(): boolean {
    const list = this.list;
    if (list === null) return false;
    list.remove(this);
    list.counters.cancelled++;
    return true;
  }
}
