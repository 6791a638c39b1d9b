import { BucketQueue } from './bucket-queue.js';
import { TimerCounters } from './timer-counters.js';
import { CallbackTimerTask } from './timer-task.js';
import type { TimerTaskList } from './timer-task-list.js';
import { TimingWheel } from './timing-wheel.js';

function setup(startMs = 0) {
  const queue = new BucketQueue();
  const queued: TimerTaskList[] = [];
  const wheel = new TimingWheel(1, 20, startMs, new TimerCounters(), (bucket) => {
    queued.push(bucket);
    queue.offer(bucket);
  });
  const add = (expirationMs: number) => {
    const entry = new CallbackTimerTask(0, () => undefined);
    entry.expirationMs = expirationMs;
    return { entry, added: wheel.add(entry) };
  };
  return { wheel, queue, queued, add };
}

describe('TimingWheel', () => {
  it('refuses entries whose slot has come, so the caller runs them', () => {
    const { add } = setup(100);
    expect(add(100).added).toBe(false);
    expect(add(99).added).toBe(false);
    expect(add(101).added).toBe(true);
  });

  it('creates overflow levels lazily, each ticking at the interval of the one below', () => {
    const { wheel, add } = setup();
    add(19);
    expect(wheel.levels()).toHaveLength(1);
    add(20);
    add(8_000);
    expect(wheel.levels().map((level) => [level.tickMs, level.intervalMs])).toEqual([
      [1, 20],
      [20, 400],
      [400, 8_000],
      [8_000, 160_000],
    ]);
    expect(wheel.levels().map((level) => level.pending)).toEqual([1, 1, 0, 1]);
  });

  it('queues a bucket only when its expiration changes', () => {
    const { add, queued } = setup();
    const first = add(5).entry;
    add(5);
    expect(queued).toEqual([first.list]);
    add(25); // another bucket of level 1
    expect(queued).toHaveLength(2);
  });

  it('an overflow bucket stands for its whole slot and cascades down when flushed', () => {
    const { wheel, queue, add } = setup();
    const { entry } = add(437); // beyond level 1's 400 ms reach: level 2, slot 400..799
    expect(entry.list?.expirationMs).toBe(400);
    const bucket = queue.poll() as TimerTaskList;
    wheel.advanceClock(bucket.expirationMs);
    bucket.flush((e) => wheel.add(e));
    expect(entry.list?.expirationMs).toBe(420); // level 1 now
    const next = queue.poll() as TimerTaskList;
    wheel.advanceClock(next.expirationMs);
    next.flush((e) => wheel.add(e));
    expect(entry.list?.expirationMs).toBe(437); // level 0: exact
  });
});
