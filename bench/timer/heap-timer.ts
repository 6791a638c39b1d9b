import { Heap } from 'heap-js';
import type { Time } from '@weir/broker-core';

/** One pending callback of the heap timer. */
export interface HeapTimerTask {
  readonly deadlineMs: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * The usual alternative to a timing wheel: a binary min-heap of deadlines (heap-js).
 * heap-js cannot find an element's position, so removing one is O(n); cancellation is
 * therefore lazy, as in most heap timers: a cancelled task stays in the heap, flagged,
 * until its deadline pops it. Like the wheel, it reads the clock on every add.
 */
export class HeapTimer {
  private readonly heap = new Heap<HeapTimerTask>((a, b) => a.deadlineMs - b.deadlineMs);

  constructor(private readonly time: Time) {}

  schedule(delayMs: number, callback: () => void): HeapTimerTask {
    const task: HeapTimerTask = { deadlineMs: this.time.hiResMilliseconds() + delayMs, callback, cancelled: false };
    this.heap.add(task);
    return task;
  }

  cancel(task: HeapTimerTask): void {
    task.cancelled = true;
  }

  /** Runs every task due by now; returns how many ran. */
  advanceClock(): number {
    const nowMs = this.time.hiResMilliseconds();
    let ran = 0;
    for (let top = this.heap.peek(); top !== undefined && top.deadlineMs <= nowMs; top = this.heap.peek()) {
      this.heap.pop();
      if (!top.cancelled) {
        ran++;
        top.callback();
      }
    }
    return ran;
  }

  get size(): number {
    return this.heap.length;
  }
}
