// `npm run bench -- timer`: Weir's timing wheel against setTimeout/clearTimeout and
// against a heap-js binary-heap timer, on the broker's pattern: 1,000,000 tasks with
// random delays in 0-60 s, 90% cancelled before they expire.
import { mkdirSync, writeFileSync } from 'node:fs';
import { MockTime, MockTimer, SystemTime, SystemTimer, type Cancellable } from '@weir/broker-core';
import { HeapTimer, type HeapTimerTask } from './heap-timer.js';
import { seededRandom } from './random.js';

const TASKS = Number(process.argv[2] ?? 1_000_000);
const MAX_DELAY_MS = 60_000;
const CANCEL_FRACTION = 0.9;
const ROUNDS = 5;
const SEED = 7;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc (npm run bench -- timer does)');
const collect = gc;

const random = seededRandom(SEED);
const delaysMs = new Int32Array(TASKS);
const cancelled = new Uint8Array(TASKS);
for (let i = 0; i < TASKS; i++) {
  delaysMs[i] = Math.floor(random() * MAX_DELAY_MS);
  cancelled[i] = random() < CANCEL_FRACTION ? 1 : 0;
}
const survivors = cancelled.reduce((n, c) => n + (c ? 0 : 1), 0);

let fired = 0;
const onFire = (): void => {
  fired++;
};

interface RealClockResult {
  addMs: number;
  cancelMs: number;
  bytesPerPendingTask: number;
  bytesRetainedAfterCancel: number;
}

interface Contender<H> {
  name: string;
  setup(): void;
  add(delayMs: number): H;
  cancel(handle: H): void;
  /** Untimed clean-up: clear what is left so nothing fires or keeps the process alive. */
  teardown(handles: (H | undefined)[]): void;
}

function heapUsed(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** Adds every task, then cancels the 90%, timing each phase; measures heap per task. */
function runRealClock<H>(contender: Contender<H>, count: number): RealClockResult {
  const handles: (H | undefined)[] = new Array<H | undefined>(count).fill(undefined);
  contender.setup();
  const baseBytes = heapUsed();
  const addStart = performance.now();
  for (let i = 0; i < count; i++) handles[i] = contender.add(delaysMs[i] as number);
  const addMs = performance.now() - addStart;
  const pendingBytes = heapUsed();
  const cancelStart = performance.now();
  for (let i = 0; i < count; i++) if (cancelled[i]) contender.cancel(handles[i] as H);
  const cancelMs = performance.now() - cancelStart;
  for (let i = 0; i < count; i++) if (cancelled[i]) handles[i] = undefined;
  const retainedBytes = heapUsed();
  contender.teardown(handles);
  return {
    addMs,
    cancelMs,
    bytesPerPendingTask: (pendingBytes - baseBytes) / count,
    bytesRetainedAfterCancel: (retainedBytes - baseBytes) / count,
  };
}

let wheel: SystemTimer | null = null;
const wheelContender: Contender<Cancellable> = {
  name: 'weir timing wheel',
  setup: () => (wheel = new SystemTimer()),
  add: (delayMs) => (wheel as SystemTimer).schedule(delayMs, onFire),
  cancel: (handle) => handle.cancel(),
  teardown: () => wheel?.close(),
};

const timeoutContender: Contender<NodeJS.Timeout> = {
  name: 'setTimeout/clearTimeout',
  setup: () => undefined,
  add: (delayMs) => setTimeout(onFire, delayMs),
  cancel: (handle) => clearTimeout(handle),
  teardown: (handles) => {
    for (const handle of handles) if (handle !== undefined) clearTimeout(handle);
  },
};

let heapTimer: HeapTimer | null = null;
const heapContender: Contender<HeapTimerTask> = {
  name: 'heap-js binary heap',
  setup: () => (heapTimer = new HeapTimer(SystemTime.INSTANCE)),
  add: (delayMs) => (heapTimer as HeapTimer).schedule(delayMs, onFire),
  cancel: (handle) => (heapTimer as HeapTimer).cancel(handle),
  teardown: () => (heapTimer = null),
};

interface DrivenResult {
  addCancelMs: number;
  expireMs: number;
  fired: number;
}

/**
 * Part B: the same workload on a MockTime clock, then the clock driven in 1 ms steps to
 * 60 s so the 10% survivors run — the expiry processing that setTimeout cannot be timed
 * on without waiting a real minute. One function per contender keeps call sites monomorphic.
 */
function runDrivenWheel(count: number): DrivenResult {
  const time = new MockTime();
  const timer = new MockTimer(time);
  const handles: (Cancellable | undefined)[] = new Array<Cancellable | undefined>(count).fill(undefined);
  fired = 0;
  collect();
  const start = performance.now();
  for (let i = 0; i < count; i++) handles[i] = timer.schedule(delaysMs[i] as number, onFire);
  for (let i = 0; i < count; i++) if (cancelled[i]) (handles[i] as Cancellable).cancel();
  const addCancelMs = performance.now() - start;
  handles.fill(undefined);
  const expireStart = performance.now();
  for (let t = 0; t <= MAX_DELAY_MS; t++) time.advance(1); // each advance runs a pass
  const expireMs = performance.now() - expireStart;
  timer.close();
  return { addCancelMs, expireMs, fired };
}

function runDrivenHeap(count: number): DrivenResult {
  const time = new MockTime();
  const timer = new HeapTimer(time);
  const handles: (HeapTimerTask | undefined)[] = new Array<HeapTimerTask | undefined>(count).fill(undefined);
  fired = 0;
  collect();
  const start = performance.now();
  for (let i = 0; i < count; i++) handles[i] = timer.schedule(delaysMs[i] as number, onFire);
  for (let i = 0; i < count; i++) if (cancelled[i]) timer.cancel(handles[i] as HeapTimerTask);
  const addCancelMs = performance.now() - start;
  handles.fill(undefined);
  const expireStart = performance.now();
  for (let t = 0; t <= MAX_DELAY_MS; t++) {
    time.advance(1);
    timer.advanceClock();
  }
  const expireMs = performance.now() - expireStart;
  return { addCancelMs, expireMs, fired };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

function medianOf<T extends object>(results: T[]): T {
  const keys = Object.keys(results[0] as T) as (keyof T)[];
  return Object.fromEntries(keys.map((key) => [key, median(results.map((r) => r[key] as number))])) as T;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pad = (s: string, width: number) => s.padStart(width);

// Warm-up: let the JIT see every path at a smaller size.
const warmCount = Math.min(TASKS, 100_000);
for (const contender of [wheelContender, timeoutContender, heapContender] as Contender<unknown>[]) runRealClock(contender, warmCount);
runDrivenWheel(warmCount);
runDrivenHeap(warmCount);

const contenders = [wheelContender, timeoutContender, heapContender] as Contender<unknown>[];
const realRuns = new Map<string, RealClockResult[]>(contenders.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order so no contender always runs on the freshest heap.
  for (let k = 0; k < contenders.length; k++) {
    const contender = contenders[(round + k) % contenders.length] as Contender<unknown>;
    realRuns.get(contender.name)?.push(runRealClock(contender, TASKS));
  }
}
const real = new Map([...realRuns].map(([name, runs]) => [name, medianOf(runs)]));
const drivenRuns = { wheel: [] as DrivenResult[], heap: [] as DrivenResult[] };
for (let round = 0; round < ROUNDS; round++) {
  if (round % 2 === 0) drivenRuns.wheel.push(runDrivenWheel(TASKS));
  drivenRuns.heap.push(runDrivenHeap(TASKS));
  if (round % 2 === 1) drivenRuns.wheel.push(runDrivenWheel(TASKS));
}
const driven = { wheel: medianOf(drivenRuns.wheel), heap: medianOf(drivenRuns.heap) };

const wheelReal = real.get(wheelContender.name) as RealClockResult;
const addCancel = (r: RealClockResult) => r.addMs + r.cancelMs;
const lines: string[] = [];
lines.push(`Timer benchmark: ${fmt(TASKS)} tasks, delays uniform 0-${MAX_DELAY_MS / 1000} s, ${CANCEL_FRACTION * 100}% cancelled before expiry`);
lines.push(`(seed ${SEED}, median of ${ROUNDS} rounds after a warm-up; node ${process.version}; one process, same run)`);
lines.push('');
lines.push('A. Real clock: time to add all tasks, then to cancel 90% of them. Memory: V8 heap used after gc, / tasks.');
lines.push(`${'contender'.padEnd(26)}${pad('add ms', 9)}${pad('cancel ms', 11)}${pad('add+cancel', 12)}${pad('ns/task', 9)}${pad('B/pending', 11)}${pad('B kept*', 9)}${pad('wheel is', 10)}`);
for (const contender of contenders) {
  const r = real.get(contender.name) as RealClockResult;
  const ratio = addCancel(r) / addCancel(wheelReal);
  lines.push(
    `${contender.name.padEnd(26)}${pad(fmt(r.addMs), 9)}${pad(fmt(r.cancelMs), 11)}${pad(fmt(addCancel(r)), 12)}${pad(fmt((addCancel(r) * 1e6) / TASKS), 9)}` +
      `${pad(fmt(r.bytesPerPendingTask), 11)}${pad(fmt(r.bytesRetainedAfterCancel), 9)}${pad(contender === wheelContender ? '-' : `${fmt(ratio, 1)}x`, 10)}`,
  );
}
lines.push('  * B kept: heap still used after the 90% were cancelled, per task added (lazy heap cancellation keeps them).');
lines.push('');
lines.push(`B. Driven clock (MockTime, 1 ms steps to ${MAX_DELAY_MS / 1000} s): add + cancel, then expiry processing until the ${fmt(survivors)} survivors ran.`);
lines.push(`${'contender'.padEnd(26)}${pad('add+cancel', 12)}${pad('expiry ms', 11)}${pad('total ms', 10)}${pad('fired', 10)}${pad('wheel is', 10)}`);
for (const [name, r] of [
  ['weir timing wheel', driven.wheel],
  ['heap-js binary heap', driven.heap],
] as const) {
  const total = r.addCancelMs + r.expireMs;
  const ratio = total / (driven.wheel.addCancelMs + driven.wheel.expireMs);
  lines.push(
    `${name.padEnd(26)}${pad(fmt(r.addCancelMs), 12)}${pad(fmt(r.expireMs), 11)}${pad(fmt(total), 10)}${pad(fmt(r.fired), 10)}${pad(name === 'weir timing wheel' ? '-' : `${fmt(ratio, 1)}x`, 10)}`,
  );
}
const timeoutReal = real.get(timeoutContender.name) as RealClockResult;
const heapReal = real.get(heapContender.name) as RealClockResult;
const vsTimeout = addCancel(timeoutReal) / addCancel(wheelReal);
const vsHeapAddCancel = addCancel(heapReal) / addCancel(wheelReal);
const vsHeapLifecycle = (driven.heap.addCancelMs + driven.heap.expireMs) / (driven.wheel.addCancelMs + driven.wheel.expireMs);
lines.push('');
lines.push('Ratios (how many times faster Weir\'s wheel is):');
lines.push(`  vs setTimeout, add+cancel (A):            ${fmt(vsTimeout, 1)}x   target >= 10x  ${vsTimeout >= 10 ? 'met' : 'NOT met'}`);
lines.push(`  vs heap-js, add+cancel (A):               ${fmt(vsHeapAddCancel, 1)}x   target >= 3x   ${vsHeapAddCancel >= 3 ? 'met' : 'NOT met'}`);
lines.push(`  vs heap-js, add+cancel+expiry (B):        ${fmt(vsHeapLifecycle, 1)}x   target >= 3x   ${vsHeapLifecycle >= 3 ? 'met' : 'NOT met'}`);
lines.push(
  `Memory per pending task: wheel ${fmt(wheelReal.bytesPerPendingTask)} B, setTimeout ${fmt(timeoutReal.bytesPerPendingTask)} B, heap ${fmt(heapReal.bytesPerPendingTask)} B`,
);
console.log(lines.join('\n'));

const results = {
  benchmark: 'timer',
  date: new Date().toISOString(),
  node: process.version,
  tasks: TASKS,
  maxDelayMs: MAX_DELAY_MS,
  cancelFraction: CANCEL_FRACTION,
  rounds: ROUNDS,
  seed: SEED,
  realClock: Object.fromEntries(real),
  drivenClock: driven,
  ratios: { vsSetTimeoutAddCancel: vsTimeout, vsHeapAddCancel, vsHeapAddCancelExpiry: vsHeapLifecycle },
};
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
writeFileSync(new URL('../results/timer.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
