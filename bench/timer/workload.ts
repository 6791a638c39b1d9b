// The workload every contender runs, and the small helpers the sections share.
import { seededRandom } from './random.js';

export const TASKS = Number(process.argv[2] ?? 1_000_000);
export const MAX_DELAY_MS = 60_000;
export const CANCEL_FRACTION = 0.9;
export const ROUNDS = 5;
export const SEED = 7;

const random = seededRandom(SEED);
/** Delay of task i, uniform in [0, MAX_DELAY_MS). */
export const delaysMs = new Int32Array(TASKS);
/** 1 if task i is cancelled before it expires. */
export const cancelled = new Uint8Array(TASKS);
for (let i = 0; i < TASKS; i++) {
  delaysMs[i] = Math.floor(random() * MAX_DELAY_MS);
  cancelled[i] = random() < CANCEL_FRACTION ? 1 : 0;
}
export const survivors = cancelled.reduce((n, c) => n + (c ? 0 : 1), 0);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc (npm run bench -- timer does)');
export const collect: () => void = gc;

/** V8 heap in use after two full collections. */
export function heapUsed(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const SETTLE_SLICE_MS = 10;
const SETTLE_MAX_MS = 1_000;

/**
 * Waits, with the main thread blocked (no event-loop turn, so no timer of any contender
 * can fire), until V8's background threads stop using the CPU. After a forced full GC,
 * V8 sweeps the freed pages on helper threads; on a 2-core machine that work competed
 * with the timed phase that followed and doubled the wheel's add time in some rounds
 * (the add itself allocates nothing, so it paid for garbage left by earlier runs). Every
 * contender gets the same wait before each timed phase; work a contender causes during
 * its own phase (setTimeout's scavenges) still counts against it.
 */
export function settle(): void {
  const deadline = performance.now() + SETTLE_MAX_MS;
  for (;;) {
    const before = process.cpuUsage();
    Atomics.wait(sleepCell, 0, 0, SETTLE_SLICE_MS);
    const used = process.cpuUsage(before);
    // Under 10% of one core while the main thread slept: the helpers are done.
    if (used.user + used.system < SETTLE_SLICE_MS * 100 || performance.now() > deadline) return;
  }
}

/** Counts runs of every callback, so no contender's callbacks can be optimised away. */
export const fired = { count: 0 };
export const onFire = (): void => {
  fired.count++;
};

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** Per-key median of a list of results with numeric fields. */
export function medianOf<T extends object>(results: T[]): T {
  const keys = Object.keys(results[0] as T) as (keyof T)[];
  return Object.fromEntries(keys.map((key) => [key, median(results.map((r) => r[key] as number))])) as T;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const pad = (s: string, width: number) => s.padStart(width);

/**
 * Objects that exist per task whatever the timer, as a DelayedFetch or DelayedProduce
 * exists per request in the broker: created once, outside every timed region, reused by
 * every round of the "pre-existing object" sections.
 */
export function pool<T>(create: (i: number) => T): () => T[] {
  let items: T[] | null = null;
  return () => (items ??= Array.from({ length: TASKS }, (_, i) => create(i)));
}
