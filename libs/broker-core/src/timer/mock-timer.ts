import type { MockTime } from '../time.js';
import { SystemTimer, type SystemTimerOptions } from './system-timer.js';

/**
 * A `SystemTimer` driven by a `MockTime` instead of a Node timer: every
 * `time.advance(ms)` runs a pass synchronously, so tests see exactly which tasks are due
 * at each instant. Tasks already due when added run on the next advance (`advance(0)`
 * will do), never inside `add()`.
 */
export class MockTimer extends SystemTimer {
  constructor(time: MockTime, options: Omit<SystemTimerOptions, 'time' | 'autoAdvance'> = {}) {
    super({ ...options, time, autoAdvance: false });
    time.onAdvance(() => this.advanceClock());
  }
}
