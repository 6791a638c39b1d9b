import { MockTime, type Time } from '../time.js';
import { MockTimer } from './mock-timer.js';
import { RunClock } from './run-clock.js';
import { SystemTimer } from './system-timer.js';

/** A clock that never announces its jumps, and counts how often it is read. */
class CountingTime implements Time {
  reads = 0;
  nowMs = 1_000;

  milliseconds(): number {
    return this.nowMs;
  }

  hiResMilliseconds(): number {
    this.reads++;
    return this.nowMs;
  }
}

/** Lets every microtask queued so far run, and a macrotask turn pass. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RunClock (one clock read per synchronous run)', () => {
  it('reads the clock once per run and again after the run ends', async () => {
    const time = new CountingTime();
    const clock = RunClock.of(time);
    expect(clock.nowMs()).toBe(1_000);
    time.nowMs = 1_005;
    expect(clock.nowMs()).toBe(1_000); // same run: the first read stands
    expect(time.reads).toBe(1);

    await nextTurn();
    expect(clock.nowMs()).toBe(1_005);
    expect(time.reads).toBe(2);
  });

  it('is forgotten by the microtask queued at the read, so a later microtask reads afresh', async () => {
    const time = new CountingTime();
    const clock = RunClock.of(time);
    clock.nowMs();
    time.nowMs = 2_000;
    await Promise.resolve(); // runs after the forgetting microtask, queued before it
    expect(clock.nowMs()).toBe(2_000);
  });

  it('read() always reads and keeps the new value for the rest of the run', () => {
    const time = new CountingTime();
    const clock = RunClock.of(time);
    clock.nowMs();
    time.nowMs = 1_500;
    expect(clock.read()).toBe(1_500);
    expect(clock.nowMs()).toBe(1_500);
    expect(time.reads).toBe(2);
  });

  it('is shared by every timer on one clock', () => {
    const time = new CountingTime();
    expect(RunClock.of(time)).toBe(RunClock.of(time));
    expect(RunClock.of(new CountingTime())).not.toBe(RunClock.of(time));
  });

  it('a burst of adds in one run costs one clock read', () => {
    const time = new CountingTime();
    const timer = new SystemTimer({ time, autoAdvance: false });
    const readsBefore = time.reads;
    for (let i = 0; i < 100; i++) timer.schedule(i * 10, () => undefined);
    expect(time.reads - readsBefore).toBeLessThanOrEqual(1);
    timer.close();
  });
});

describe('RunClock on MockTime', () => {
  it('forgets the cached read on every advance, within the same synchronous run', () => {
    const time = new MockTime(0, 0);
    const clock = RunClock.of(time);
    expect(clock.nowMs()).toBe(0);
    time.advance(7);
    expect(clock.nowMs()).toBe(7);
  });

  it('a task added after an advance in the same run counts from the new time (never early)', () => {
    const time = new MockTime(0, 0);
    const timer = new MockTimer(time);
    const firedAtMs: number[] = [];
    timer.schedule(10, () => firedAtMs.push(time.hiResMilliseconds())); // cached read: 0
    time.advance(5);
    timer.schedule(10, () => firedAtMs.push(time.hiResMilliseconds())); // must count from 5
    for (let i = 0; i < 20; i++) time.advance(1);
    expect(firedAtMs).toEqual([10, 15]);
  });

  it('a task that one timer runs during an advance schedules on another timer from the new time', () => {
    const time = new MockTime(0, 0);
    const first = new MockTimer(time);
    const second = new MockTimer(time);
    const firedAtMs: number[] = [];
    second.schedule(100, () => undefined); // second's clock read in this run: 0
    first.schedule(3, () => second.schedule(10, () => firedAtMs.push(time.hiResMilliseconds())));
    time.advance(3); // first runs its task at 3; the nested deadline must be 13, not 10
    for (let i = 0; i < 20; i++) time.advance(1);
    expect(firedAtMs).toEqual([13]);
    first.close();
    second.close();
  });
});
