/**
 * What the rest of the core needs from the timer: run a callback after a delay, and
 * cancel it cheaply. The timing wheel's `SystemTimer` implements it; modules take a
 * `Scheduler` so they never call `setTimeout` for per-request or per-session work.
 */
export interface Cancellable {
  cancel(): void;
}

export interface Scheduler {
  /** Runs `task` once, no earlier than `delayMs` from now (monotonic time). */
  schedule(delayMs: number, task: () => void): Cancellable;
}
