import type { Time } from '../time.js';

/** A clock that says when it jumps (`MockTime`): the cache must not outlive a jump. */
interface AnnouncedTime extends Time {
  onAdvance(listener: (nowMs: number) => void): void;
}

function announcesAdvances(time: Time): time is AnnouncedTime {
  return typeof (time as Partial<AnnouncedTime>).onAdvance === 'function';
}

const clocks = new WeakMap<Time, RunClock>();

/**
 * The monotonic clock read once per synchronous run, the way Node's own timers measure
 * delays from the event loop's cached time rather than from a fresh clock read. On the
 * real clock a read costs about 60 ns; a burst of adds in one run (a fetch session
 * arming one delayed fetch per partition, a produce fanning out) shares one read.
 *
 * What "now" means: the first `nowMs()` in a synchronous run reads `time` and queues a
 * microtask that forgets the value, so later calls in the same run — and in microtasks
 * that were already queued before that read — get the same number. A deadline therefore
 * counts from the timer's first clock read in the current run: in real time a task can
 * fire up to that run's length early (as with `setTimeout`), never early by the clock
 * the timer was given. A clock that can jump inside a run must say so through
 * `onAdvance` (as `MockTime` does); every jump forgets the cached value, so on `MockTime`
 * the cached value always equals the clock and nothing ever fires early.
 *
 * One instance per `Time`, shared by every timer on it (`RunClock.of`): its `onAdvance`
 * listener is then registered before any timer's own listener on that clock, so a task
 * that one timer runs during an advance and that schedules on another timer sees the new
 * time. Single-threaded, like everything that uses it.
 */
export class RunClock {
  private cachedMs = 0;
  private cached = false;

  private constructor(private readonly time: Time) {
    if (announcesAdvances(time)) time.onAdvance(this.forget);
  }

  /** The shared per-run clock for `time`. */
  static of(time: Time): RunClock {
    let clock = clocks.get(time);
    if (clock === undefined) {
      clock = new RunClock(time);
      clocks.set(time, clock);
    }
    return clock;
  }

  /** The clock as read once in this synchronous run. */
  nowMs(): number {
    return this.cached ? this.cachedMs : this.read();
  }

  /** A fresh read, kept for the rest of the run (a firing pass wants the latest time). */
  read(): number {
    this.cachedMs = this.time.hiResMilliseconds();
    if (!this.cached) {
      this.cached = true;
      queueMicrotask(this.forget);
    }
    return this.cachedMs;
  }

  private readonly forget = (): void => {
    this.cached = false;
  };
}
