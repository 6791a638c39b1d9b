import type { DelayedOperation } from './delayed-operation.js';
import type { Timer } from './system-timer.js';

export interface PurgatoryOptions {
  /**
   * Purge completed operations from the watch lists once, since the last purge, this many
   * more operations have been watched than are still delayed (Kafka's
   * `purge.interval.requests`, default 1000).
   */
  purgeIntervalRequests?: number;
}

export interface PurgatoryMetrics {
  name: string;
  /** Watch registrations held (one operation watching three keys counts three). */
  watched: number;
  /** Keys with at least one registration. */
  watchKeys: number;
  /** Operations waiting in the timer: neither completed nor expired yet. */
  delayed: number;
  /** Operations completed by `tryComplete` (not by timing out), since start. */
  completed: number;
  /** Operations that timed out, since start. */
  expired: number;
  /** Completed registrations dropped by purges, since start. */
  purged: number;
  purges: number;
}

/**
 * Holds delayed operations until they can complete or time out (Kafka's
 * DelayedOperationPurgatory): produce waiting for acks=all, fetch waiting for
 * fetch.min.bytes, join/heartbeat barriers. Operations are watched under string keys
 * (e.g. `topic-partition`); an event on a key calls `checkAndComplete(key)`.
 *
 * Invariants: an operation is in `delayed` from the moment it is armed on the timer
 * until it completes or expires (its completion listener removes it). A completed
 * operation may linger in the watch sets of keys nobody checked; `checkAndComplete`
 * drops it from the key it checks, and a purge drops it everywhere once enough
 * operations have been watched since the last purge.
 *
 * Callers: request handlers (`tryCompleteElseWatch`), the code that changes state
 * (`checkAndComplete`), the broker on stop (`shutdown`). The timer is shared and owned by
 * the caller; the purgatory never closes it. Single-threaded; re-entrant calls (an
 * `onComplete` that checks another key) are safe.
 */
export class DelayedOperationPurgatory<T extends DelayedOperation> {
  private readonly purgeIntervalRequests: number;
  private readonly watchersByKey = new Map<string, Set<T>>();
  private readonly delayedOperations = new Set<DelayedOperation>();
  private watchedCount = 0;
  private estimatedTotalOperations = 0;
  private completedCount = 0;
  private expiredCount = 0;
  private purgedCount = 0;
  private purgeCount = 0;
  private isShutDown = false;

  constructor(
    readonly name: string,
    private readonly timer: Timer,
    options: PurgatoryOptions = {},
  ) {
    this.purgeIntervalRequests = options.purgeIntervalRequests ?? 1000;
  }

  /**
   * Tries to complete the operation; if it cannot yet, watches it under every key, tries
   * once more (Kafka does this because an event may have arrived while the watches were
   * being added), and arms its timeout. Returns true if the operation completed here.
   */
  tryCompleteElseWatch(operation: T, watchKeys: readonly string[]): boolean {
    if (this.isShutDown) throw new Error(`purgatory ${this.name} is shut down`);
    if (watchKeys.length === 0) throw new Error('an operation needs at least one watch key');
    operation.completionListener = this.onOperationDone;
    if (operation.safeTryComplete()) return true;

    let watchCreated = false;
    for (const key of watchKeys) {
      if (operation.isCompleted) return false;
      this.watch(key, operation);
      if (!watchCreated) {
        watchCreated = true;
        this.estimatedTotalOperations++;
      }
    }
    if (operation.safeTryComplete()) return true;
    if (!operation.isCompleted) {
      this.delayedOperations.add(operation);
      this.timer.add(operation);
    }
    this.maybePurge();
    return false;
  }

  /** Tries to complete every operation watching `key`; returns how many completed. */
  checkAndComplete(key: string): number {
    const watchers = this.watchersByKey.get(key);
    if (watchers === undefined) return 0;
    let completed = 0;
    // Deleting from a Set while iterating it is well defined in JS, and an operation's
    // onComplete may re-enter this method for the same key.
    for (const operation of watchers) {
      if (operation.isCompleted) {
        this.unwatch(watchers, operation);
      } else if (operation.safeTryComplete()) {
        this.unwatch(watchers, operation);
        completed++;
      }
    }
    if (watchers.size === 0 && this.watchersByKey.get(key) === watchers) this.watchersByKey.delete(key);
    return completed;
  }

  /** Stops watching `key` and cancels the timeouts of its operations, without completing them. */
  cancelForKey(key: string): T[] {
    const watchers = this.watchersByKey.get(key);
    if (watchers === undefined) return [];
    this.watchersByKey.delete(key);
    this.watchedCount -= watchers.size;
    const cancelled: T[] = [];
    for (const operation of watchers) {
      if (operation.isCompleted) continue;
      operation.cancel();
      this.delayedOperations.delete(operation);
      cancelled.push(operation);
    }
    return cancelled;
  }

  /** Drops completed operations from every watch list; returns how many registrations went. */
  purgeCompleted(): number {
    let purged = 0;
    for (const [key, watchers] of this.watchersByKey) {
      for (const operation of watchers) {
        if (operation.isCompleted && this.unwatch(watchers, operation)) purged++;
      }
      if (watchers.size === 0) this.watchersByKey.delete(key);
    }
    this.purgedCount += purged;
    this.purgeCount++;
    return purged;
  }

  watched(): number {
    return this.watchedCount;
  }

  delayed(): number {
    return this.delayedOperations.size;
  }

  metrics(): PurgatoryMetrics {
    return {
      name: this.name,
      watched: this.watchedCount,
      watchKeys: this.watchersByKey.size,
      delayed: this.delayedOperations.size,
      completed: this.completedCount,
      expired: this.expiredCount,
      purged: this.purgedCount,
      purges: this.purgeCount,
    };
  }

  /** Cancels every pending timeout and forgets all watches; pending operations never complete. */
  shutdown(): void {
    this.isShutDown = true;
    for (const operation of this.delayedOperations) {
      operation.completionListener = null;
      operation.cancel();
    }
    this.delayedOperations.clear();
    this.watchersByKey.clear();
    this.watchedCount = 0;
  }

  private watch(key: string, operation: T): void {
    let watchers = this.watchersByKey.get(key);
    if (watchers === undefined) {
      watchers = new Set();
      this.watchersByKey.set(key, watchers);
    }
    if (!watchers.has(operation)) {
      watchers.add(operation);
      this.watchedCount++;
    }
  }

  private unwatch(watchers: Set<T>, operation: T): boolean {
    if (!watchers.delete(operation)) return false;
    this.watchedCount--;
    return true;
  }

  /**
   * Completed operations stay in the watch lists of keys nobody checks. Kafka's estimate:
   * operations watched since the last purge minus those still delayed bounds how many
   * such leftovers there can be; past the interval, sweep them.
   */
  private maybePurge(): void {
    if (this.estimatedTotalOperations - this.delayedOperations.size < this.purgeIntervalRequests) return;
    this.estimatedTotalOperations = this.delayedOperations.size;
    this.purgeCompleted();
  }

  private readonly onOperationDone = (operation: DelayedOperation, expired: boolean): void => {
    if (expired) this.expiredCount++;
    else this.completedCount++;
    this.delayedOperations.delete(operation);
  };
}
