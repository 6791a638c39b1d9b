/**
 * Coalesces fsync requests: at most one flush runs at a time, and every request made
 * while it runs is served by the single flush that starts right after it. Appends that
 * arrive together therefore share one fdatasync (group commit), and a request is only
 * resolved by a flush that began after the request, so it covers everything written
 * before it was made.
 */
export class GroupCommit {
  private running: Promise<void> | undefined;
  private queued: { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | undefined;

  constructor(
    private readonly flushOnce: () => Promise<void>,
    private readonly afterFlush: () => void,
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** A promise for a flush that starts no earlier than now. Rejections are also handled here, so nobody is forced to await it. */
  request(): Promise<void> {
    if (this.running === undefined) return this.start();
    if (this.queued === undefined) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined);
      this.queued = { promise, resolve, reject };
    }
    return this.queued.promise;
  }

  /** Resolves when no flush is running or queued. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running.catch(() => undefined);
  }

  private start(): Promise<void> {
    const run = this.flushOnce().finally(() => {
      this.running = undefined;
      this.afterFlush();
      const queued = this.queued;
      this.queued = undefined;
      if (queued !== undefined) this.start().then(queued.resolve, queued.reject);
    });
    run.catch(() => undefined);
    this.running = run;
    return run;
  }
}
