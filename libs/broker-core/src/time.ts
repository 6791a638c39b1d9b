/**
 * Time, injected everywhere in the core so that tests can drive it.
 *
 * `milliseconds()` is wall-clock time (record timestamps, retention by age);
 * `hiResMilliseconds()` is monotonic (timeouts, the timing wheel). `MockTime` moves
 * both only when a test calls `sleep`/`advance`, so no test waits for real time.
 */
export interface Time {
  milliseconds(): number;
  hiResMilliseconds(): number;
}

export class SystemTime implements Time {
  static readonly INSTANCE = new SystemTime();

  milliseconds(): number {
    return Date.now();
  }

  hiResMilliseconds(): number {
    return performance.now();
  }
}

export type TimeListener = (nowMs: number) => void;

export class MockTime implements Time {
  private wallMs: number;
  private monoMs: number;
  private readonly listeners: TimeListener[] = [];

  constructor(startWallMs = 1_700_000_000_000, startMonoMs = 0) {
    this.wallMs = startWallMs;
    this.monoMs = startMonoMs;
  }

  milliseconds(): number {
    return this.wallMs;
  }

  hiResMilliseconds(): number {
    return this.monoMs;
  }

  /** Moves both clocks forward and tells listeners (e.g. a mock-driven timer). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`cannot move time backwards by ${ms} ms`);
    this.wallMs += ms;
    this.monoMs += ms;
    for (const listener of this.listeners) listener(this.monoMs);
  }

  sleep(ms: number): void {
    this.advance(ms);
  }

  setWallClock(wallMs: number): void {
    this.wallMs = wallMs;
  }

  onAdvance(listener: TimeListener): void {
    this.listeners.push(listener);
  }
}
