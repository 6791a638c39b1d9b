import { SystemTime, type Time } from '../time.js';
import { NodeAlarm } from './alarm.js';
import { BucketQueue } from './bucket-queue.js';
import { RunClock } from './run-clock.js';
import type { Scheduler } from './scheduler.js';
import { TimerCounters } from './timer-counters.js';
import { CallbackTimerTask, type TimerTask } from './timer-task.js';
import { TimerTaskList } from './timer-task-list.js';
import { TimingWheel } from './timing-wheel.js';

/** What a purgatory or any other owner of `TimerTask`s needs from a timer. */
export interface Timer extends Scheduler {
  add(task: TimerTask): void;
  size(): number;
  advanceClock(): boolean;
  close(): void;
  /** Counters and per-level sizes, for operators' views (cheap: O(levels x wheelSize)). */
  metrics(): TimerMetrics;
}

export type TaskErrorHandler = (error: unknown, task: TimerTask) => void;

export interface SystemTimerOptions {
  /** Monotonic time source; `MockTime` in tests. Default: the system clock. */
  time?: Time;
  tickMs?: number;
  wheelSize?: number;
  /**
   * true (default): one unref'd Node timer wakes the wheel for the earliest bucket.
   * false: nothing fires unless the owner calls `advanceClock()` (see `MockTimer`).
   */
  autoAdvance?: boolean;
  /** Told about every task whose `run()` threw; the timer carries on regardless. */
  onTaskError?: TaskErrorHandler;
}

export interface TimerLevelMetrics {
  level: number;
  tickMs: number;
  intervalMs: number;
  /** Buckets of the level (the wheel size) and how many of them hold a task now. */
  buckets: number;
  occupiedBuckets: number;
  pending: number;
}

export interface TimerMetrics {
  tickMs: number;
  wheelSize: number;
  /** Tasks waiting to run (same as `size()`). */
  pending: number;
  scheduled: number;
  cancelled: number;
  expired: number;
  taskErrors: number;
  /** Tasks that were already due when added and wait for the next pass. */
  readyPending: number;
  levels: TimerLevelMetrics[];
  queuedBuckets: number;
  alarmArmed: boolean;
  alarmArmings: number;
}

const defaultTaskErrorHandler: TaskErrorHandler = (error) => {
  console.error('timer task failed:', error);
};

/**
 * Kafka's SystemTimer for one JS thread: a hierarchical `TimingWheel` plus a delay queue
 * of its buckets, woken by a single Node timer armed for the earliest non-empty bucket.
 * Nothing ticks while idle: with no pending task no Node timer is armed at all.
 *
 * A task added with `delayMs` gets the deadline `now + delayMs` rounded *up* to the tick,
 * where `now` is read once per synchronous run (`RunClock`), as Node's own timers measure
 * from the loop's cached time: a deadline counts from the timer's first clock read in the
 * current run. Measured from that read a task never runs early and runs at most one
 * tick (plus event-loop latency) late; measured from the `add()` call on the real clock
 * it can run early by as long as the run had been going since that read, exactly as
 * with `setTimeout`. On `MockTime` every advance forgets the cached read, so the read is
 * the clock and nothing ever runs early. A firing pass always reads the clock afresh.
 *
 * Tasks that are already due when added wait in `ready` for the next pass, never run
 * inside `add()`, so callers are not re-entered. A pass first flushes every due bucket
 * (cascading entries down the wheel levels), collecting due tasks in `firing`, and only
 * then runs them: tasks may add or cancel tasks freely, and a task cancelled while still
 * in `firing` does not run. A task that throws is reported to `onTaskError`; the pass
 * continues.
 *
 * Callers: anyone on the event loop; `advanceClock()` is for the alarm and for owners
 * driving time by hand (`autoAdvance: false`). After `close()` nothing runs and `add`
 * throws.
 */
export class SystemTimer implements Timer {
  readonly tickMs: number;
  readonly wheelSize: number;
  protected readonly time: Time;
  private readonly clock: RunClock;
  private readonly counters = new TimerCounters();
  private readonly queue = new BucketQueue();
  private readonly wheel: TimingWheel;
  private readonly ready: TimerTaskList;
  private readonly firing: TimerTaskList;
  private readonly alarm: NodeAlarm | null;
  private readonly onTaskError: TaskErrorHandler;
  private inPass = false;
  private passRequested = false;
  private closed = false;
  private scheduledCount = 0;
  /** The time the wheel was last moved to by `add`: a burst of adds in one run moves it once. */
  private wheelMovedToMs = -1;
  private expiredCount = 0;
  private taskErrorCount = 0;

  constructor(options: SystemTimerOptions = {}) {
    this.tickMs = options.tickMs ?? 1;
    this.wheelSize = options.wheelSize ?? 20;
    if (!Number.isInteger(this.tickMs) || this.tickMs < 1) throw new RangeError(`tickMs must be an integer >= 1, got ${this.tickMs}`);
    if (!Number.isInteger(this.wheelSize) || this.wheelSize < 2) throw new RangeError(`wheelSize must be an integer >= 2, got ${this.wheelSize}`);
    this.time = options.time ?? SystemTime.INSTANCE;
    this.clock = RunClock.of(this.time);
    this.onTaskError = options.onTaskError ?? defaultTaskErrorHandler;
    this.wheel = new TimingWheel(this.tickMs, this.wheelSize, this.clock.read(), this.counters, this.queueBucket);
    this.ready = new TimerTaskList(this.counters);
    this.firing = new TimerTaskList(this.counters);
    this.alarm = options.autoAdvance === false ? null : new NodeAlarm(() => this.advanceClock());
    this.counters.onIdle = () => this.onIdle();
  }

  schedule(delayMs: number, callback: () => void): TimerTask {
    const task = new CallbackTimerTask(delayMs, callback);
    this.add(task);
    return task;
  }

  /** Schedules `task` to run `task.delayMs` from now; re-adding a pending task reschedules it. */
  add(task: TimerTask): void {
    if (this.closed) throw new Error('timer is closed');
    const nowMs = this.clock.nowMs();
    const tickMs = this.tickMs;
    const expirationMs = Math.ceil((nowMs + task.delayMs) / tickMs) * tickMs;
    this.scheduledCount++;
    // Keep the wheel near "now" so a new entry lands in its final level directly instead
    // of cascading down from a stale position; safe only once no due bucket is left.
    // Within one run `nowMs` repeats, and moving the wheel to where it is changes nothing.
    if (nowMs !== this.wheelMovedToMs) {
      const head = this.queue.peek();
      if (head === undefined || head.expirationMs > nowMs) {
        this.wheel.advanceClock(nowMs);
        this.wheelMovedToMs = nowMs;
      }
    }
    if (task.list !== null) task.list.remove(task); // re-adding a pending task reschedules it
    task.expirationMs = expirationMs;
    if (!this.wheel.add(task)) {
      this.ready.add(task);
      if (this.alarm !== null && !this.inPass && this.alarm.dueMs > nowMs) this.alarm.arm(nowMs, nowMs);
    } else if (this.alarm !== null && !this.inPass && !this.alarm.armed) {
      this.rearm();
    }
  }

  /** Pending tasks, including those due and waiting for the current or next pass. */
  size(): number {
    return this.counters.pending;
  }

  get alarmArmed(): boolean {
    return this.alarm !== null && this.alarm.armed;
  }

  /**
   * Runs everything due by now: flushes due buckets in expiration order, then runs the
   * due tasks. Returns true if any bucket was flushed or task run. Kafka's version waits
   * up to a timeout for the next bucket; here the Node alarm does the waiting. Called
   * from inside a running task, it asks the current pass to go round once more instead.
   */
  advanceClock(): boolean {
    if (this.closed) return false;
    if (this.inPass) {
      this.passRequested = true;
      return false;
    }
    this.inPass = true;
    let didWork = false;
    try {
      do {
        this.passRequested = false;
        const nowMs = this.clock.read();
        for (let task = this.ready.poll(); task !== null; task = this.ready.poll()) this.firing.add(task);
        for (let bucket = this.queue.peek(); bucket !== undefined && bucket.expirationMs <= nowMs; bucket = this.queue.peek()) {
          this.queue.poll();
          this.wheel.advanceClock(bucket.expirationMs);
          bucket.flush(this.reinsert);
          didWork = true;
        }
        this.wheel.advanceClock(nowMs);
        if (this.runFiring()) didWork = true;
      } while (this.passRequested && !this.closed);
    } finally {
      this.inPass = false;
      this.rearm();
    }
    return didWork;
  }

  /** Stops the alarm; pending tasks never run. Idempotent. */
  close(): void {
    this.closed = true;
    this.counters.onIdle = null;
    this.alarm?.disarm();
  }

  metrics(): TimerMetrics {
    return {
      tickMs: this.tickMs,
      wheelSize: this.wheelSize,
      pending: this.counters.pending,
      scheduled: this.scheduledCount,
      cancelled: this.counters.cancelled,
      expired: this.expiredCount,
      taskErrors: this.taskErrorCount,
      readyPending: this.ready.size + this.firing.size,
      levels: this.wheel.levels().map((wheel) => ({
        level: wheel.level,
        tickMs: wheel.tickMs,
        intervalMs: wheel.intervalMs,
        buckets: wheel.wheelSize,
        occupiedBuckets: wheel.occupiedBuckets,
        pending: wheel.pending,
      })),
      queuedBuckets: this.queue.size,
      alarmArmed: this.alarmArmed,
      alarmArmings: this.alarm?.armings ?? 0,
    };
  }

  private readonly queueBucket = (bucket: TimerTaskList): void => {
    this.queue.offer(bucket);
    const alarm = this.alarm;
    // A bucket earlier than the armed wake-up means the alarm must move forward now;
    // during a pass, rearm() at its end picks the earliest bucket anyway.
    if (alarm !== null && !this.inPass && bucket.expirationMs < alarm.dueMs) {
      alarm.arm(bucket.expirationMs, this.clock.nowMs());
    }
  };

  private readonly reinsert = (task: TimerTask): void => {
    if (!this.wheel.add(task)) this.firing.add(task);
  };

  private runFiring(): boolean {
    let ran = false;
    for (let task = this.firing.poll(); task !== null; task = this.firing.poll()) {
      this.expiredCount++;
      ran = true;
      try {
        task.run();
      } catch (error) {
        this.reportTaskError(error, task);
      }
    }
    return ran;
  }

  private reportTaskError(error: unknown, task: TimerTask): void {
    this.taskErrorCount++;
    try {
      this.onTaskError(error, task);
    } catch {
      // A failing error handler must not stop the pass: the remaining tasks still run.
    }
  }

  /** Points the alarm at the earliest bucket that still holds work, or disarms it. */
  private rearm(): void {
    if (this.closed) return;
    if (this.counters.pending === 0) {
      this.onIdle();
      return;
    }
    // Buckets emptied by cancellation stay queued until polled; drop them from the head
    // so the alarm waits for real work rather than waking for nothing.
    for (let head = this.queue.peek(); head !== undefined && head.size === 0; head = this.queue.peek()) {
      this.queue.poll();
      head.setExpirationMs(-1);
    }
    const alarm = this.alarm;
    if (alarm === null) return;
    const nowMs = this.clock.nowMs();
    const dueMs = this.ready.size > 0 || this.firing.size > 0 ? nowMs : (this.queue.peek()?.expirationMs ?? Infinity);
    if (dueMs === Infinity) alarm.disarm();
    else if (!alarm.armed || alarm.dueMs !== dueMs) alarm.arm(dueMs, nowMs);
  }

  /** No task pending: forget the (empty) queued buckets and stop the Node timer. */
  private onIdle(): void {
    if (this.inPass || this.closed) return;
    for (let bucket = this.queue.poll(); bucket !== undefined; bucket = this.queue.poll()) bucket.setExpirationMs(-1);
    this.alarm?.disarm();
  }
}
