import { MockTime } from '../time.js';
import { DelayedOperation } from './delayed-operation.js';
import { DelayedOperationPurgatory } from './delayed-operation-purgatory.js';
import { MockTimer } from './mock-timer.js';

/** A delayed operation that completes once its `ready()` condition holds; logs its callbacks. */
class Waiting extends DelayedOperation {
  readonly log: string[] = [];
  onCompleteHook: () => void = () => undefined;

  constructor(
    delayMs: number,
    private readonly ready: () => boolean,
  ) {
    super(delayMs);
  }

  tryComplete(): boolean {
    this.log.push('try');
    return this.ready() ? this.forceComplete() : false;
  }

  onComplete(): void {
    this.log.push('complete');
    this.onCompleteHook();
  }

  onExpiration(): void {
    this.log.push('expire');
  }
}

function setup(purgeIntervalRequests = 1000) {
  const time = new MockTime();
  const timer = new MockTimer(time);
  const purgatory = new DelayedOperationPurgatory<Waiting>('produce', timer, { purgeIntervalRequests });
  return { time, timer, purgatory };
}

const callbacks = (op: Waiting) => op.log.filter((entry) => entry !== 'try');

describe('DelayedOperationPurgatory', () => {
  it('completes at once when the condition already holds, without watching or arming', () => {
    const { timer, purgatory } = setup();
    const op = new Waiting(1_000, () => true);
    expect(purgatory.tryCompleteElseWatch(op, ['t-0'])).toBe(true);
    expect(callbacks(op)).toEqual(['complete']);
    expect(purgatory.metrics()).toMatchObject({ watched: 0, delayed: 0, completed: 1, expired: 0 });
    expect(timer.size()).toBe(0);
  });

  it('an operation completed by checkAndComplete before expiry completes once and never expires', () => {
    const { time, timer, purgatory } = setup();
    let highWatermark = 0;
    const op = new Waiting(1_000, () => highWatermark >= 10);
    expect(purgatory.tryCompleteElseWatch(op, ['t-0', 't-1'])).toBe(false);
    expect(purgatory.metrics()).toMatchObject({ watched: 2, watchKeys: 2, delayed: 1 });
    expect(timer.size()).toBe(1);

    expect(purgatory.checkAndComplete('t-0')).toBe(0);
    highWatermark = 10;
    expect(purgatory.checkAndComplete('t-0')).toBe(1);
    expect(purgatory.checkAndComplete('t-1')).toBe(0); // already done: just unwatched
    time.advance(5_000);

    expect(callbacks(op)).toEqual(['complete']);
    expect(timer.size()).toBe(0);
    expect(timer.metrics()).toMatchObject({ cancelled: 1, expired: 0 });
    expect(purgatory.metrics()).toMatchObject({ watched: 0, watchKeys: 0, delayed: 0, completed: 1, expired: 0 });
  });

  it('an operation that times out runs onComplete, then onExpiration, at its deadline', () => {
    const { time, purgatory } = setup();
    const op = new Waiting(300, () => false);
    purgatory.tryCompleteElseWatch(op, ['t-0']);
    time.advance(299);
    expect(callbacks(op)).toEqual([]);
    time.advance(1);
    expect(callbacks(op)).toEqual(['complete', 'expire']);
    expect(op.isCompleted).toBe(true);
    expect(purgatory.checkAndComplete('t-0')).toBe(0);
    expect(purgatory.metrics()).toMatchObject({ watched: 0, delayed: 0, completed: 0, expired: 1 });
  });

  it('completion and expiry in the same pass: onComplete runs exactly once', () => {
    const { time, timer, purgatory } = setup();
    let ready = false;
    const racer = new Waiting(100, () => ready);
    // A task due at the same instant, queued first, makes the condition true and checks
    // the key: the operation completes while its own expiry is already due in this pass.
    timer.schedule(100, () => {
      ready = true;
      purgatory.checkAndComplete('t-0');
    });
    purgatory.tryCompleteElseWatch(racer, ['t-0']);
    time.advance(100);
    expect(callbacks(racer)).toEqual(['complete']);
    expect(purgatory.metrics()).toMatchObject({ completed: 1, expired: 0, delayed: 0 });
  });

  it('expiry whose onComplete triggers a check of the same key does not complete twice', () => {
    const { time, purgatory } = setup();
    const op = new Waiting(50, () => false);
    op.onCompleteHook = () => {
      expect(purgatory.checkAndComplete('t-0')).toBe(0);
      expect(op.forceComplete()).toBe(false);
    };
    purgatory.tryCompleteElseWatch(op, ['t-0']);
    time.advance(50);
    expect(callbacks(op)).toEqual(['complete', 'expire']);
  });

  it('a tryComplete that re-enters itself through its own key is retried, not nested', () => {
    const { purgatory } = setup();
    let attempts = 0;
    const op = new Waiting(1_000, () => {
      attempts++;
      if (attempts === 2) {
        // The first check (during tryCompleteElseWatch's second try) triggers an event on
        // the key it watches: the nested call must not recurse into tryComplete.
        expect(purgatory.checkAndComplete('t-0')).toBe(0);
      }
      return attempts >= 3;
    });
    expect(purgatory.tryCompleteElseWatch(op, ['t-0'])).toBe(true);
    expect(attempts).toBe(3);
    expect(callbacks(op)).toEqual(['complete']);
  });

  it('purges completed watchers once enough operations have been watched', () => {
    const { time, purgatory } = setup(10);
    // Each op watches two keys; expiry completes it, leaving both registrations behind.
    for (let i = 0; i < 10; i++) purgatory.tryCompleteElseWatch(new Waiting(10, () => false), [`a-${i}`, 'shared']);
    time.advance(10);
    expect(purgatory.metrics()).toMatchObject({ watched: 20, delayed: 0, expired: 10, purges: 0 });

    purgatory.tryCompleteElseWatch(new Waiting(1_000, () => false), ['b']); // 11 watched - 1 delayed reaches 10
    expect(purgatory.metrics()).toMatchObject({ watched: 1, watchKeys: 1, delayed: 1, purged: 20, purges: 1 });
  });

  it('cancelForKey stops watching and cancels timeouts without completing', () => {
    const { time, timer, purgatory } = setup();
    const op = new Waiting(100, () => false);
    purgatory.tryCompleteElseWatch(op, ['t-0']);
    expect(purgatory.cancelForKey('t-0')).toEqual([op]);
    time.advance(1_000);
    expect(callbacks(op)).toEqual([]);
    expect(timer.size()).toBe(0);
    expect(purgatory.metrics()).toMatchObject({ watched: 0, delayed: 0 });
  });

  it('shutdown cancels every pending timeout and refuses new operations', () => {
    const { time, timer, purgatory } = setup();
    const ops = [1, 2, 3].map(() => new Waiting(100, () => false));
    for (const op of ops) purgatory.tryCompleteElseWatch(op, ['t-0']);
    purgatory.shutdown();
    time.advance(1_000);
    for (const op of ops) expect(callbacks(op)).toEqual([]);
    expect(timer.size()).toBe(0);
    expect(purgatory.metrics()).toMatchObject({ watched: 0, delayed: 0 });
    expect(() => purgatory.tryCompleteElseWatch(new Waiting(1, () => false), ['t-0'])).toThrow(/shut down/);
  });
});
