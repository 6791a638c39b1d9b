import { spawnSync } from 'node:child_process';
import { SystemTimer } from './system-timer.js';

/** Polls `condition` on the event loop until it holds or `deadlineMs` passes. */
async function eventually(condition: () => boolean, deadlineMs = 5_000): Promise<void> {
  const giveUpAt = performance.now() + deadlineMs;
  while (!condition()) {
    if (performance.now() > giveUpAt) throw new Error('condition not met before the deadline');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

describe('SystemTimer on the real clock', () => {
  let timer: SystemTimer;

  beforeEach(() => {
    timer = new SystemTimer();
  });

  afterEach(() => {
    timer.close();
  });

  it('runs a task after its delay, never before', async () => {
    const addedAtMs = performance.now();
    let firedAtMs = -1;
    timer.schedule(15, () => (firedAtMs = performance.now()));
    await eventually(() => firedAtMs >= 0);
    expect(firedAtMs - addedAtMs).toBeGreaterThanOrEqual(15);
    expect(timer.metrics()).toMatchObject({ scheduled: 1, expired: 1, pending: 0 });
  });

  it('arms no Node timer while nothing is pending', async () => {
    expect(timer.alarmArmed).toBe(false);
    const task = timer.schedule(60_000, () => undefined);
    expect(timer.alarmArmed).toBe(true);
    task.cancel();
    expect(timer.alarmArmed).toBe(false);
    expect(timer.metrics().queuedBuckets).toBe(0);

    let ran = false;
    timer.schedule(1, () => (ran = true));
    expect(timer.alarmArmed).toBe(true);
    await eventually(() => ran);
    expect(timer.alarmArmed).toBe(false);
    expect(timer.size()).toBe(0);
  });

  it('re-arms earlier when an earlier task arrives, and only once per earlier bucket', async () => {
    const order: string[] = [];
    timer.schedule(5_000, () => order.push('late'));
    const armingsAfterLate = timer.metrics().alarmArmings;
    timer.schedule(10, () => order.push('early'));
    expect(timer.metrics().alarmArmings).toBe(armingsAfterLate + 1);
    timer.schedule(4_000, () => order.push('middle')); // later than the armed time: no re-arm
    expect(timer.metrics().alarmArmings).toBe(armingsAfterLate + 1);
    await eventually(() => order.length === 1);
    expect(order).toEqual(['early']);
    // After the pass the alarm waits for the next real bucket, not for a tick.
    expect(timer.alarmArmed).toBe(true);
    expect(timer.size()).toBe(2);
  });

  it('runs tasks that were already due when added on the next turn, not inside add()', async () => {
    let ran = false;
    timer.schedule(0, () => (ran = true));
    expect(ran).toBe(false);
    await eventually(() => ran);
  });

  it('close() stops the alarm so nothing keeps the process alive', () => {
    timer.schedule(100_000, () => undefined);
    expect(timer.alarmArmed).toBe(true);
    timer.close();
    expect(timer.alarmArmed).toBe(false);
  });

  it('a pending task does not keep a process alive (the Node timer is unref\'d)', () => {
    // A child process schedules a task a minute away and returns: it must exit at once.
    const script = [
      "import { SystemTimer } from './system-timer.ts';",
      'const timer = new SystemTimer();',
      "timer.schedule(60_000, () => console.log('ran'));",
      "console.log(timer.alarmArmed ? 'armed' : 'idle');",
    ].join('\n');
    const startedAtMs = performance.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: import.meta.dirname,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('armed');
    expect(child.status).toBe(0);
    expect(performance.now() - startedAtMs).toBeLessThan(30_000);
  });
});
