/** Lets socket and promise callbacks run; no time passes on any mock clock. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Polls `condition` between event-loop turns until it holds, failing after `deadlineMs` of real time. */
export async function until(condition: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await turn();
  }
}

/** The rejection reason of `promise`; a resolution becomes an Error saying so (and fails the test's expectation). */
export function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => new Error('resolved, not rejected'), (err: unknown) => err);
}

/** Tracks whether a promise has settled, without awaiting it. */
export function track<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let done = false;
  const tracked = promise.finally(() => void (done = true));
  tracked.catch(() => undefined);
  return { settled: () => done, promise: tracked };
}
