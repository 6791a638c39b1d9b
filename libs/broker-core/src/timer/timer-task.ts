import type { Cancellable } from './scheduler.js';
import type { TimerTaskEntry } from './timer-task-entry.js';

/**
 * Work to run once, no earlier than `delayMs` after it is added to a timer.
 *
 * Invariants: a task is linked to at most one live `TimerTaskEntry` at a time
 * (`timerTaskEntry`). Adding a task that is still pending replaces its old entry, so a
 * task can be rescheduled without being cancelled first. `cancel()` unlinks the entry
 * from whatever list holds it in O(1); a cancelled task never runs.
 *
 * Callers: the owner of the task calls `cancel()`; only the timer calls `run()` and
 * `setTimerTaskEntry()`. Everything runs on the one JS thread, so no locking is needed,
 * but `cancel()` may be called from inside another task's `run()` during a firing pass.
 */
export abstract class TimerTask implements Cancellable {
  /** @internal the entry that currently represents this task in a timer list, if any. */
  timerTaskEntry: TimerTaskEntry | null = null;

  constructor(readonly delayMs: number) {
    if (!Number.isFinite(delayMs) || delayMs < 0) {
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
    const entry = this.timerTaskEntry;
    if (entry === null) return false;
    this.timerTaskEntry = null;
    return entry.removeOnCancel();
  }

  /** True while the task sits in a timer, waiting to run. */
  get isPending(): boolean {
    return this.timerTaskEntry !== null && this.timerTaskEntry.list !== null;
  }

  /** @internal Links a new entry; an older pending entry is unlinked (reschedule). */
  setTimerTaskEntry(entry: TimerTaskEntry | null): void {
    const previous = this.timerTaskEntry;
    if (previous !== null && previous !== entry) previous.remove();
    this.timerTaskEntry = entry;
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
