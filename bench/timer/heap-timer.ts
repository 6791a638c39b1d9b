import { Heap } from 'heap-js';

/**
 * One pending callback of the heap timer. A class with every field set in the
 * constructor, in one order, so every entry has one shape: the broker (or the benchmark)
 * may create entries ahead of time and hand them to `add`, as it does with timer tasks.
 */
export class HeapTimerTask {
  deadlineMs = 0;
  cancelled = false;

  constructor(
    readonly delayMs: number,
    readonly callback: () => void,
  ) {}
}

/**
 * The usual alternative to a timing wheel: a binary min-heap of deadlines (heap-js).
 * heap-js cannot find an element's position, so removing one is O(n); cancellation is
 * therefore lazy, as in most heap timers: a cancelled task stays in the heap, flagged,
 * until its deadline pops it.
 *
 * `nowMs` is injected so a benchmark gives it the same clock strategy as the wheel it is
 * compared with (one read per synchronous run, or a driven clock).
 */
export class HeapTimer {
  private readonly heap = new Heap<HeapTimerTask>((a, b) => a.deadlineMs - b.deadlineMs);

  constructor(private readonly nowMs: () => number) {}

  /** Callback API: allocates the entry. */
  schedule(delayMs: number, callback: () => void): HeapTimerTask {
    const task = new HeapTimerTask(delayMs, callback);
    this.add(task);
    return task;
  }

  /** Intrusive API: pushes an entry the caller already has. */
  add(task: HeapTimerTask): void {
    task.deadlineMs = this.nowMs() + task.delayMs;
    task.cancelled = false;
    this.heap.add(task); // add, not push: push copies its arguments into an array first
  }

  cancel(task: HeapTimerTask): void {
    task.cancelled = true;
  }

  /** Runs every task due by now; returns how many ran. */
  advanceClock(): number {
    const nowMs = this.nowMs();
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
