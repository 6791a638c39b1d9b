/**
 * Counts events per key in fixed windows of `windowMs` (a window starts at a key's first
 * event): enough for "at most N a minute" limits without a timer or a list of times per
 * key. Bounded: when full, keys whose window ended are dropped, then the oldest.
 */
export class WindowCounter {
  private readonly windows = new Map<string, { startMs: number; count: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Events of `key` in its current window. */
  count(key: string, nowMs: number): number {
    const window = this.windows.get(key);
    return window === undefined || nowMs - window.startMs >= this.windowMs ? 0 : window.count;
  }

  /** Counts one event; answers the count including it. */
  add(key: string, nowMs: number): number {
    const window = this.windows.get(key);
    if (window !== undefined && nowMs - window.startMs < this.windowMs) return ++window.count;
    this.windows.delete(key);
    this.windows.set(key, { startMs: nowMs, count: 1 });
    if (this.windows.size > this.maxKeys) this.prune(nowMs);
    return 1;
  }

  /** Whole seconds (at least 1) until `key`'s window ends. */
  secondsLeft(key: string, nowMs: number): number {
    const window = this.windows.get(key);
    const leftMs = window === undefined ? 0 : window.startMs + this.windowMs - nowMs;
    return Math.max(1, Math.ceil(leftMs / 1000));
  }

  private prune(nowMs: number): void {
    for (const [key, window] of this.windows) if (nowMs - window.startMs >= this.windowMs) this.windows.delete(key);
    if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
  }
}

/**
 * Failed password attempts per client address and user name: after `maxFailures` in a
 * minute, further attempts are refused without checking the password, so guessing runs
 * at that rate rather than at the general request limit. A success does not reset the
 * count (else an attacker with one account of their own could interleave).
 */
export class LoginLimiter {
  private readonly failures = new WindowCounter(60_000);

  constructor(private readonly maxFailures = 10) {}

  /** Seconds until `source` may try `user` again, or 0 when it may now. */
  retryAfterS(source: string, user: string, nowMs: number): number {
    const key = keyOf(source, user);
    return this.failures.count(key, nowMs) < this.maxFailures ? 0 : this.failures.secondsLeft(key, nowMs);
  }

  recordFailure(source: string, user: string, nowMs: number): void {
    this.failures.add(keyOf(source, user), nowMs);
  }
}

function keyOf(source: string, user: string): string {
  return `${source}\0${user.toLowerCase()}`;
}
