import type { TimerTaskList } from './timer-task-list.js';

/**
 * The delay queue: wheel buckets ordered by `expirationMs`, earliest first, as a binary
 * min-heap in an array. It plays the part of Java's `DelayQueue` in Kafka's timer, minus
 * the blocking: the timer peeks at the head to arm its one wake-up and polls every bucket
 * whose time has come.
 *
 * Why a heap of our own rather than a package: it holds buckets, not tasks — at most
 * `wheelSize` per wheel level, so a few hundred even with days-long deadlines — and it
 * needs to record each bucket's position (`queueIndex`) so a bucket is never queued twice.
 * Forty lines do that; the core takes no dependency for it.
 *
 * Invariant: a bucket is in the heap iff its `queueIndex` is not -1, and its
 * `expirationMs` does not change while it is queued (the wheel only changes a bucket's
 * expiration after the timer has polled and flushed it).
 */
export class BucketQueue {
  private readonly heap: TimerTaskList[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): TimerTaskList | undefined {
    return this.heap[0];
  }

  /** Queues the bucket unless it is already queued. O(log buckets). */
  offer(bucket: TimerTaskList): void {
    if (bucket.queueIndex !== -1) return;
    this.heap.push(bucket);
    this.siftUp(this.heap.length - 1);
  }

  poll(): TimerTaskList | undefined {
    const heap = this.heap;
    const first = heap[0];
    if (first === undefined) return undefined;
    const last = heap.pop() as TimerTaskList;
    if (last !== first) {
      heap[0] = last;
      last.queueIndex = 0;
      this.siftDown(0);
    }
    first.queueIndex = -1;
    return first;
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const bucket = heap[index] as TimerTaskList;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as TimerTaskList;
      if (parent.expirationMs <= bucket.expirationMs) break;
      heap[index] = parent;
      parent.queueIndex = index;
      index = parentIndex;
    }
    heap[index] = bucket;
    bucket.queueIndex = index;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const length = heap.length;
    const bucket = heap[index] as TimerTaskList;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && (heap[right] as TimerTaskList).expirationMs < (heap[left] as TimerTaskList).expirationMs) child = right;
      const childBucket = heap[child] as TimerTaskList;
      if (bucket.expirationMs <= childBucket.expirationMs) break;
      heap[index] = childBucket;
      childBucket.queueIndex = index;
      index = child;
    }
    heap[index] = bucket;
    bucket.queueIndex = index;
  }
}
