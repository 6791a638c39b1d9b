/**
 * The one Node timer behind a `SystemTimer`: armed for a single due time, re-armed only
 * when the timer asks for an earlier one or after a firing pass, and `unref()`'d so a
 * pending broker timeout never keeps a process alive on its own.
 *
 * Callers: only `SystemTimer`.
 */
export class NodeAlarm {
  /** setTimeout's largest delay; anything larger fires after 1 ms in Node. */
  static readonly MAX_DELAY_MS = 2 ** 31 - 1;
  private handle: NodeJS.Timeout | null = null;
  private dueAtMs = Infinity;
  /** How many times a Node timer was (re)created: a cost, and a check on idle ticking. */
  armings = 0;

  constructor(private readonly onFire: () => void) {}

  get armed(): boolean {
    return this.handle !== null;
  }

  /** Monotonic time the alarm is armed for, or Infinity when disarmed. */
  get dueMs(): number {
    return this.dueAtMs;
  }

  /** Arms for `dueMs` (monotonic) given the current time `nowMs`, replacing any earlier arming. */
  arm(dueMs: number, nowMs: number): void {
    if (this.handle !== null) clearTimeout(this.handle);
    const delayMs = Math.min(Math.max(0, Math.ceil(dueMs - nowMs)), NodeAlarm.MAX_DELAY_MS);
    this.dueAtMs = dueMs;
    this.armings++;
    this.handle = setTimeout(this.fire, delayMs);
    this.handle.unref();
  }

  disarm(): void {
    if (this.handle === null) return;
    clearTimeout(this.handle);
    this.handle = null;
    this.dueAtMs = Infinity;
  }

  private readonly fire = (): void => {
    this.handle = null;
    this.dueAtMs = Infinity;
    this.onFire();
  };
}
