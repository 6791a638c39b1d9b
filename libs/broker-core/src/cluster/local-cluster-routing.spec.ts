import { describe, expect, it } from '@jest/globals';
import { notLeaderFetch, scatter } from './local-cluster-routing.js';

describe('scatter', () => {
  const echo = (target: string, subset: readonly number[]) => Promise.resolve(subset.map((n) => `${target}:${n}`));

  it('hands every item to one target as the caller passed them', async () => {
    const items = [1, 2, 3];
    let received: readonly number[] | undefined;
    const out = await scatter(items, () => 'a', (target, subset) => ((received = subset), echo(target, subset)), () => 'refused');
    expect(received).toBe(items);
    expect(out).toEqual(['a:1', 'a:2', 'a:3']);
  });

  it('splits items among targets, refuses unrouted ones, and answers in call order', async () => {
    const calls: string[] = [];
    const out = await scatter(
      [1, 2, 3, 4, 5, 6],
      (n) => (n % 3 === 0 ? undefined : n % 2 === 0 ? 'even' : 'odd'),
      (target, subset) => (calls.push(`${target}(${subset.join(',')})`), echo(target, subset)),
      (n) => `refused:${n}`,
    );
    expect(out).toEqual(['odd:1', 'even:2', 'refused:3', 'even:4', 'odd:5', 'refused:6']);
    expect(calls.sort()).toEqual(['even(2,4)', 'odd(1,5)']);
  });

  it('refuses everything without calling anyone when nothing routes, and handles no items', async () => {
    let called = false;
    const run = (target: string, subset: readonly number[]) => ((called = true), echo(target, subset));
    expect(await scatter([7, 8], () => undefined, run, (n) => `refused:${n}`)).toEqual(['refused:7', 'refused:8']);
    expect(await scatter([], () => 'a', run, () => 'refused')).toEqual([]);
    expect(called).toBe(false);
  });

  it('builds NOT_LEADER_OR_FOLLOWER answers with no data', () => {
    expect(notLeaderFetch({ topic: 't', partition: 2, fetchOffset: 5n, maxBytes: 10 })).toMatchObject({ topic: 't', partition: 2, errorCode: 6, highWatermark: -1n });
  });
});
