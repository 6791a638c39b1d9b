import { MockTime } from '../time.js';
import { MockTimer } from './mock-timer.js';
import { SystemTimer } from './system-timer.js';

describe('SystemTimer metrics and add bursts', () => {
  it('reports pending per level from the bucket sizes, following adds and cancels', () => {
    const time = new MockTime();
    const timer = new MockTimer(time);
    const tasks = [5, 25, 30, 450, 9_000].map((delayMs) => timer.schedule(delayMs, () => undefined));
    expect(timer.metrics().levels.map((level) => level.pending)).toEqual([1, 2, 1, 1]);

    tasks[1]?.cancel();
    tasks[4]?.cancel();
    expect(timer.metrics().levels.map((level) => level.pending)).toEqual([1, 1, 1, 0]);
    expect(timer.metrics()).toMatchObject({ pending: 3, cancelled: 2, readyPending: 0 });

    timer.schedule(0, () => undefined); // already due: waits in the ready list
    expect(timer.metrics()).toMatchObject({ pending: 4, readyPending: 1 });
    time.advance(0);
    expect(timer.metrics()).toMatchObject({ pending: 3, readyPending: 0, expired: 1 });
  });

  it('adds made while a bucket is due, then after the pass, all fire on time and never early', () => {
    // No automatic passes: the clock moves past a queued bucket before anyone flushes it,
    // so adds in between must not move the wheel (it would skip the due bucket).
    const time = new MockTime();
    const timer = new SystemTimer({ time, autoAdvance: false });
    const firedAtMs = new Map<string, number>();
    const schedule = (name: string, delayMs: number) => timer.schedule(delayMs, () => firedAtMs.set(name, time.hiResMilliseconds()));

    schedule('early', 3);
    time.advance(10); // 'early' is due but not run yet
    schedule('burst-1', 7); // both in the same synchronous run, deadline 17
    schedule('burst-2', 30); // deadline 40
    timer.advanceClock();
    expect([...firedAtMs]).toEqual([['early', 10]]);

    schedule('after-pass', 5); // deadline 15, same run as the pass
    for (let t = 11; t <= 40; t++) {
      time.advance(1);
      timer.advanceClock();
    }
    expect(Object.fromEntries(firedAtMs)).toEqual({ early: 10, 'after-pass': 15, 'burst-1': 17, 'burst-2': 40 });
    timer.close();
  });
});

describe('SystemTimer level metrics', () => {
  it('reports each level\'s bucket count and the buckets holding a task', () => {
    const time = new MockTime();
    const timer = new MockTimer(time, { tickMs: 1, wheelSize: 20 });
    // Two tasks in one bucket of level 0, one in another; one on level 1.
    for (const delayMs of [5, 5, 7, 100]) timer.schedule(delayMs, () => undefined);
    expect(timer.metrics().levels).toEqual([
      { level: 0, tickMs: 1, intervalMs: 20, buckets: 20, occupiedBuckets: 2, pending: 3 },
      { level: 1, tickMs: 20, intervalMs: 400, buckets: 20, occupiedBuckets: 1, pending: 1 },
    ]);
    time.advance(7);
    expect(timer.metrics().levels.map((level) => level.occupiedBuckets)).toEqual([0, 1]);
    expect(timer.metrics().expired).toBe(3);
    timer.close();
  });
});
