import type { Cancellable } from './scheduler.js';
import { TimerTaskEntry } from './timer-task-entry.js';

/**
 * Work to run once, no earlier than `delayMs` after it is added to a timer. The task is
 * its own list node (see `TimerTaskEntry`), so it is linked in at most one list at a time.
 *
 * Invariants: a task is pending exactly while it is linked in one of its timer's lists
 * (a wheel bucket, the ready list or the firing list). `cancel()` unlinks it in O(1), and
 * an unlinked task never runs. Adding a task that is still pending moves it (reschedule).
 *
 * Callers: the owner of the task calls `cancel()`; only the timer calls `run()`. All on
 * the one JS thread, but `cancel()` may come from inside another task's `run()` during a
 * firing pass — that is why due tasks wait in a list until the moment they run.
 */
export abstract class TimerTask extends TimerTaskEntry implements Cancellable {
  constructor(readonly delayMs: number) {
    super();
    if (!(delayMs >= 0 && delayMs <= Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`delayMs must be a finite number >= 0, got ${delayMs}`);
    }
  }

  /** Called by the timer once the delay has passed, unless the task was cancelled. */
  abstract run(): void;

  /**
   * Removes the task from its timer. Returns true if it was pending (so this call
   * stopped it), false if it had already run, been cancelled, or was never added.
   */
  cancel(): boolean {
    const list = this.list;
    if (list === null) return false;
    list.remove(this);
    list.counters.cancelled++;
    return true;
  }

  /** True while the task sits in a timer, waiting to run. */
  get isPending(): boolean {
    return this.list !== null;
  }
}

/** The task behind `Scheduler.schedule`: a plain callback. */
export class CallbackTimerTask extends TimerTask {
  constructor(
    delayMs: number,
    private readonly callback: () => void,
  ) {
    super(delayMs);
  }

  run(): void {
    this.callback();
  }
}
