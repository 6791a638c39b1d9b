import { TimerCounters } from './timer-counters.js';
import type { TimerTask } from './timer-task.js';
import { TimerTaskEntry } from './timer-task-entry.js';

/**
 * A bucket of the timing wheel: a circular doubly linked list of entries around a
 * sentinel, so add and remove are O(1) with no special cases for head or tail.
 *
 * `expirationMs` is the start of the time slot the bucket currently stands for, or -1
 * when the bucket is not queued. `setExpirationMs` reports whether it changed: the wheel
 * queues the bucket for wake-up only then, because a bucket whose expiration did not
 * change is already in the queue. A list with entries is always queued (wheel buckets)
 * or being drained (ready and firing lists).
 *
 * Callers: the timing wheel and the timer add and flush; `TimerTask.cancel` removes. Single-threaded: `flush` tolerates callbacks
 * that cancel other entries of the same list, because it unlinks one entry at a time.
 */
export class TimerTaskList {
  private readonly root = new TimerTaskEntry();
  private expiration = -1;
  private count = 0;
  /** @internal position in the bucket queue's heap array, -1 when not queued there. */
  queueIndex = -1;

  constructor(readonly counters: TimerCounters = new TimerCounters()) {}

  get size(): number {
    return this.count;
  }

  get expirationMs(): number {
    return this.expiration;
  }

  /** Sets the bucket's slot start; true if it changed (so the bucket must be queued). */
  setExpirationMs(expirationMs: number): boolean {
    if (this.expiration === expirationMs) return false;
    this.expiration = expirationMs;
    return true;
  }

  /** Links the task at the tail, first unlinking it from any list that holds it. */
  add(entry: TimerTask): void {
    if (entry.list !== null) entry.list.remove(entry);
    const tail = this.root.prev;
    entry.next = this.root;
    entry.prev = tail;
    entry.list = this;
    tail.next = entry;
    this.root.prev = entry;
    this.count++;
    this.counters.increment();
  }

  /** Unlinks the entry if this list holds it. O(1). */
  remove(entry: TimerTaskEntry): void {
    if (entry.list !== this) return;
    entry.next.prev = entry.prev;
    entry.prev.next = entry.next;
    entry.next = entry;
    entry.prev = entry;
    entry.list = null;
    this.count--;
    this.counters.decrement();
  }

  /** Unlinks and returns the oldest task, or null when empty. */
  poll(): TimerTask | null {
    const first = this.root.next;
    if (first === this.root) return null;
    this.remove(first);
    // Every node but the sentinel came in through add(), which takes only tasks.
    return first as TimerTask;
  }

  /**
   * Unlinks every entry, handing each to `reinsert`, and marks the bucket unqueued.
   * Entries are taken one at a time, so `reinsert` may remove others from this list.
   */
  flush(reinsert: (task: TimerTask) => void): void {
    for (let entry = this.poll(); entry !== null; entry = this.poll()) reinsert(entry);
    this.expiration = -1;
  }

  /** Entries in order, for tests and diagnostics (not used on the hot path). */
  *entries(): IterableIterator<TimerTask> {
    for (let entry = this.root.next; entry !== this.root; entry = entry.next) yield entry as TimerTask;
  }
}
