import { describe, expect, it } from '@jest/globals';
import { BackgroundValues, BACKGROUND_VALUE_MAX_AGE_MS } from './background-values.js';

/** A load whose answer the test gives when it wants. */
function deferred(): { promise: Promise<number>; resolve: (v: number) => void; reject: (e: Error) => void } {
  let resolve!: (v: number) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<number>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

describe('BackgroundValues', () => {
  it('asks once per key while a request is out, and again once the value is older than the maximum age', async () => {
    let now = 0;
    const values = new BackgroundValues<number>(() => now, quiet as never, 'figure');
    const loads: ReturnType<typeof deferred>[] = [];
    const load = () => (loads.push(deferred()), loads.at(-1)!.promise);
    expect(values.get('k', load, 'a')).toBeUndefined();
    expect(values.get('k', load, 'a')).toBeUndefined();
    expect(loads).toHaveLength(1);
    loads[0]!.resolve(7);
    await settle();
    expect(values.get('k', load, 'a')).toBe(7);
    expect(loads).toHaveLength(1);
    now += BACKGROUND_VALUE_MAX_AGE_MS + 1;
    expect(values.get('k', load, 'a')).toBe(7);
    expect(loads).toHaveLength(2);
  });

  it('asks the new source at once while a request to the old one hangs, and never lets the old answer land over the new', async () => {
    const values = new BackgroundValues<number>(() => 0, quiet as never, 'figure');
    const old = deferred();
    const next = deferred();
    values.get('k', () => old.promise, 'leader 2@0');
    // Leadership moved: the view asks the new leader, not waiting for the old one's timeout.
    expect(values.get('k', () => next.promise, 'leader 3@1')).toBeUndefined();
    next.resolve(394);
    await settle();
    expect(values.get('k', () => deferred().promise, 'leader 3@1')).toBe(394);
    old.resolve(355);
    await settle();
    expect(values.get('k', () => deferred().promise, 'leader 3@1')).toBe(394);
    // A value learnt from another source is not shown for this one.
    expect(values.get('k', () => deferred().promise, 'leader 1@2')).toBeUndefined();
  });
});
