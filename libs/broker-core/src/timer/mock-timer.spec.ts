import { MockTime } from '../time.js';
import { MockTimer } from './mock-timer.js';
import { TimerTask } from './timer-task.js';

/** Records the monotonic time at which each task ran. */
function recorder(time: MockTime) {
  const firedAtMs = new Map<string, number>();
  return {
    firedAtMs,
    task: (name: string) => () => {
      expect(firedAtMs.has(name)).toBe(false);
      firedAtMs.set(name, time.hiResMilliseconds());
    },
  };
}

describe('MockTimer (SystemTimer on MockTime)', () => {
  it('never fires early and fires at its deadline with tickMs = 1', () => {
    const time = new MockTime();
    const timer = new MockTimer(time);
    const { firedAtMs, task } = recorder(time);
    for (const delayMs of [0, 1, 2, 19, 20, 21, 399, 400, 401, 8_000, 12_345]) timer.schedule(delayMs, task(`d${delayMs}`));

    for (let nowMs = 0; nowMs <= 13_000; nowMs++) time.advance(1);
    for (const delayMs of [0, 1, 2, 19, 20, 21, 399, 400, 401, 8_000, 12_345]) {
      // Stepping 1 ms at a time, each task runs in the first pass at or after its deadline.
      expect(firedAtMs.get(`d${delayMs}`)).toBe(Math.max(delayMs, 1));
    }
    expect(timer.size()).toBe(0);
  });

  it('with a coarser tick, fires within one tick after the deadline, never before', () => {
    const time = new MockTime(0, 3); // start off the tick grid
    const timer = new MockTimer(time, { tickMs: 10, wheelSize: 8 });
    const deadlines = new Map<string, number>();
    const { firedAtMs, task } = recorder(time);
    for (const delayMs of [1, 9, 10, 11, 79, 80, 81, 555, 6_401]) {
      deadlines.set(`d${delayMs}`, time.hiResMilliseconds() + delayMs);
      timer.schedule(delayMs, task(`d${delayMs}`));
    }
    for (let i = 0; i < 7_000; i++) time.advance(1);
    for (const [name, deadlineMs] of deadlines) {
      const at = firedAtMs.get(name) as number;
      expect(at).toBeGreaterThanOrEqual(deadlineMs);
      expect(at).toBeLessThan(deadlineMs + 10);
    }
  });

  it('cascades through overflow wheels for deadlines from 0 ms to 3 days', () => {
    const time = new MockTime();
    const timer = new MockTimer(time);
    const dayMs = 24 * 3600 * 1000;
    const delays = [0, 1, 19, 20, 399, 400, 7_999, 8_000, 159_999, 160_000, 3_200_000, 64_000_000, dayMs, 3 * dayMs - 1, 3 * dayMs];
    const { firedAtMs, task } = recorder(time);
    for (const delayMs of delays) timer.schedule(delayMs, task(String(delayMs)));
    expect(timer.metrics().levels.length).toBe(7); // 20 ms, 400 ms, 8 s, 160 s, 53 min, 17.8 h, 14.8 days

    // Approach each deadline in one big jump, then step to it: everything before it has
    // run, it has not, and one more millisecond runs it.
    let previousMs = 0;
    for (const delayMs of [...new Set(delays)].filter((d) => d > 0)) {
      if (delayMs - 1 > previousMs) time.advance(delayMs - 1 - time.hiResMilliseconds());
      expect(firedAtMs.has(String(delayMs))).toBe(false);
      time.advance(1);
      expect(firedAtMs.get(String(delayMs))).toBe(delayMs);
      previousMs = delayMs;
    }
    // Due when added, so it waited for the first pass: the advance to 1 ms.
    expect(firedAtMs.get('0')).toBe(1);
    expect(firedAtMs.size).toBe(delays.length);
    expect(timer.size()).toBe(0);
    expect(timer.metrics().levels.every((level) => level.pending === 0)).toBe(true);
  });

  it('a cancelled task never runs, and cancel removes its entry from its bucket at once', () => {
    const time = new MockTime();
    const timer = new MockTimer(time);
    let ran = 0;
    const keep = timer.schedule(100, () => ran++);
    const drop = timer.schedule(100, () => ran++);
    const bucket = drop.list;
    expect(bucket?.size).toBe(2);

    expect(drop.cancel()).toBe(true);
    expect(drop.list).toBeNull();
    expect(drop.next).toBe(drop);
    expect(bucket?.size).toBe(1);
    expect([...(bucket?.entries() ?? [])]).toEqual([keep]);
    expect(timer.size()).toBe(1);

    time.advance(1_000);
    expect(ran).toBe(1);
    expect(timer.metrics()).toMatchObject({ scheduled: 2, cancelled: 1, expired: 1, pending: 0 });
  });

  it('lets a task add tasks, and a task cancel one that is due in the same pass', () => {
    const time = new MockTime();
    const timer = new MockTimer(time);
    const log: string[] = [];
    const victim = timer.schedule(10, () => log.push('victim'));
    timer.schedule(10, () => {
      log.push('first');
      // `victim` is due in this very pass; cancelling it now must still stop it.
      expect(victim.cancel()).toBe(true);
      timer.schedule(5, () => log.push('child'));
      timer.schedule(0, () => log.push('child-now'));
    });
    // Reorder so that the canceller runs before the victim: re-adding reschedules.
    timer.add(victim);
    time.advance(10);
    expect(log).toEqual(['first']);
    time.advance(0);
    expect(log).toEqual(['first', 'child-now']);
    time.advance(5);
    expect(log).toEqual(['first', 'child-now', 'child']);
  });

  it('a task that throws is reported and does not stop the others', () => {
    const time = new MockTime();
    const errors: unknown[] = [];
    const timer = new MockTimer(time, { onTaskError: (error) => errors.push(error) });
    const ran: number[] = [];
    timer.schedule(5, () => ran.push(1));
    timer.schedule(5, () => {
      throw new Error('boom');
    });
    timer.schedule(5, () => ran.push(3));
    timer.schedule(6, () => ran.push(4));
    time.advance(10);
    expect(ran).toEqual([1, 3, 4]);
    expect(errors).toHaveLength(1);
    expect(timer.metrics().taskErrors).toBe(1);
  });

  it('a task that advances MockTime itself gets a further pass, not a nested one', () => {
    const time = new MockTime();
    const timer = new MockTimer(time);
    const log: string[] = [];
    timer.schedule(5, () => {
      log.push('outer');
      time.advance(5);
      log.push('outer-end');
    });
    timer.schedule(10, () => log.push('inner'));
    time.advance(5);
    expect(log).toEqual(['outer', 'outer-end', 'inner']);
  });

  it('re-adding a pending task reschedules it; a subclassed task runs its own run()', () => {
    const time = new MockTime();
    const timer = new MockTimer(time);
    const runs: number[] = [];
    class Probe extends TimerTask {
      run(): void {
        runs.push(time.hiResMilliseconds());
      }
    }
    const probe = new Probe(50);
    timer.add(probe);
    time.advance(30);
    timer.add(probe); // due at 80 now
    expect(timer.size()).toBe(1);
    time.advance(30);
    expect(runs).toEqual([]);
    time.advance(20);
    expect(runs).toEqual([80]);
    expect(probe.isPending).toBe(false);
  });

  it('rejects bad delays and adds after close', () => {
    const time = new MockTime();
    const timer = new MockTimer(time);
    expect(() => timer.schedule(-1, () => undefined)).toThrow(RangeError);
    expect(() => timer.schedule(Number.NaN, () => undefined)).toThrow(RangeError);
    let ran = false;
    timer.schedule(1, () => (ran = true));
    timer.close();
    time.advance(10);
    expect(ran).toBe(false);
    expect(() => timer.schedule(1, () => undefined)).toThrow(/closed/);
  });

  it('fires 1,000,000 random deadlines in the order of their buckets, none early', () => {
    const time = new MockTime();
    const timer = new MockTimer(time);
    const count = 1_000_000;
    const maxDelayMs = 600_000;
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const deadlines = new Float64Array(count);
    const firedAt = new Float64Array(count).fill(-1);
    let lastDeadlineMs = -1;
    let outOfOrder = 0;
    let fired = 0;
    for (let i = 0; i < count; i++) {
      const delayMs = Math.floor(random() * maxDelayMs);
      deadlines[i] = delayMs;
      timer.schedule(delayMs, () => {
        // tickMs = 1, so a task's bucket is its deadline: runs must come in deadline order.
        if (delayMs < lastDeadlineMs) outOfOrder++;
        lastDeadlineMs = delayMs;
        firedAt[i] = time.hiResMilliseconds();
        fired++;
      });
    }
    // Irregular steps: some fine, some spanning many buckets and levels at once.
    while (time.hiResMilliseconds() <= maxDelayMs) time.advance(1 + Math.floor(random() * 997));
    expect(fired).toBe(count);
    expect(outOfOrder).toBe(0);
    let early = 0;
    for (let i = 0; i < count; i++) if ((firedAt[i] as number) < (deadlines[i] as number)) early++;
    expect(early).toBe(0);
    expect(timer.size()).toBe(0);
  }, 30_000);
});
