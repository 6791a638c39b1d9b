/**
 * Runs async tasks one at a time, in submission order. The registry plans each write
 * against memory and commits it before the next one plans, as ZooKeeper's leader does.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once everything submitted so far has finished. */
  drain(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
