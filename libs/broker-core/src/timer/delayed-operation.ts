import { TimerTask } from './timer-task.js';

/** How a purgatory learns that one of its operations finished (and how). */
export type CompletionListener = (operation: DelayedOperation, expired: boolean) => void;

/**
 * A request the broker answers later: when `tryComplete()` finds its condition met
 * (enough replicas caught up, enough bytes to fetch), or when `delayMs` runs out.
 *
 * Invariants: `onComplete()` runs exactly once, guarded by `completed`, which is set
 * *before* `onComplete()` so that anything it triggers (another `checkAndComplete` on
 * the same key, a timer pass) sees the operation as done. On timeout the timer calls
 * `run()`, which force-completes and only then calls `onExpiration()` — and only if the
 * timeout is what completed it. Forcing completion cancels the timer task, so an
 * operation completed early never expires.
 *
 * Subclasses implement `tryComplete()` (check the condition; if met, return
 * `forceComplete()`), `onComplete()` (send the response) and `onExpiration()` (count the
 * timeout). Callers use `safeTryComplete()`, never `tryComplete()` directly.
 */
export abstract class DelayedOperation extends TimerTask {
  private completed = false;
  private inTryComplete = false;
  private tryCompletePending = false;
  /** @internal set by the purgatory that watches this operation. */
  completionListener: CompletionListener | null = null;

  get isCompleted(): boolean {
    return this.completed;
  }

  /**
   * Completes the operation if nobody has yet: cancels its timeout, then runs
   * `onComplete()`. Returns true only for the call that completed it.
   */
  forceComplete(): boolean {
    return this.complete(false);
  }

  /** Checks the completion condition; if it holds, calls `forceComplete()` and returns its result. */
  abstract tryComplete(): boolean;

  /** Runs exactly once, when the operation completes for any reason. */
  abstract onComplete(): void;

  /** Runs after `onComplete()` when the operation completed by timing out. */
  abstract onExpiration(): void;

  /**
   * `tryComplete()` made safe against re-entry: if it is called again while a try is
   * under way on this operation (the try itself caused an event that checks this key),
   * the inner call returns false and the outer try runs once more when it finishes —
   * the single-threaded counterpart of Kafka's lock plus `tryCompletePending`.
   */
  safeTryComplete(): boolean {
    if (this.completed) return false;
    if (this.inTryComplete) {
      this.tryCompletePending = true;
      return false;
    }
    this.inTryComplete = true;
    try {
      let done: boolean;
      do {
        this.tryCompletePending = false;
        done = this.tryComplete();
      } while (!done && this.tryCompletePending && !this.completed);
      return done;
    } finally {
      this.inTryComplete = false;
      this.tryCompletePending = false;
    }
  }

  /** Timer callback: the delay ran out. */
  run(): void {
    if (this.complete(true)) this.onExpiration();
  }

  private complete(expired: boolean): boolean {
    if (this.completed) return false;
    this.completed = true;
    this.cancel();
    try {
      this.onComplete();
    } finally {
      const listener = this.completionListener;
      this.completionListener = null;
      listener?.(this, expired);
    }
    return true;
  }
}
