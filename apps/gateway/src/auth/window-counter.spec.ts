import { LoginLimiter, WindowCounter } from './window-counter.js';

describe('WindowCounter', () => {
  it('counts per key within a window and starts again after it', () => {
    const counter = new WindowCounter(60_000);
    expect(counter.add('a', 0)).toBe(1);
    expect(counter.add('a', 59_999)).toBe(2);
    expect(counter.add('b', 10)).toBe(1);
    expect(counter.count('a', 59_999)).toBe(2);
    expect(counter.secondsLeft('a', 30_000)).toBe(30);
    expect(counter.count('a', 60_000)).toBe(0);
    expect(counter.add('a', 60_000)).toBe(1);
  });

  it('stays bounded, dropping ended windows first', () => {
    const counter = new WindowCounter(1_000, 3);
    counter.add('old', 0);
    counter.add('x', 2_000);
    counter.add('y', 2_000);
    counter.add('z', 2_000);
    expect(counter.count('old', 2_000)).toBe(0);
    expect(['x', 'y', 'z'].map((k) => counter.count(k, 2_000))).toEqual([1, 1, 1]);
    counter.add('w', 2_001);
    expect(['x', 'y', 'z', 'w'].map((k) => counter.count(k, 2_001))).toEqual([0, 1, 1, 1]);
  });
});

describe('LoginLimiter', () => {
  it('refuses an address and user after ten failures in a minute, not others', () => {
    const limiter = new LoginLimiter(10);
    for (let i = 0; i < 9; i++) limiter.recordFailure('10.0.0.1', 'Alice', i);
    expect(limiter.retryAfterS('10.0.0.1', 'alice', 100)).toBe(0);
    limiter.recordFailure('10.0.0.1', 'alice', 100);
    expect(limiter.retryAfterS('10.0.0.1', 'ALICE', 1_000)).toBe(59);
    expect(limiter.retryAfterS('10.0.0.2', 'alice', 1_000)).toBe(0);
    expect(limiter.retryAfterS('10.0.0.1', 'bob', 1_000)).toBe(0);
    expect(limiter.retryAfterS('10.0.0.1', 'alice', 60_000)).toBe(0);
  });
});
