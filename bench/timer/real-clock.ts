// Sections A and B: add every task, then cancel 90%, on the real clock.
import { CallbackTimerTask, RunClock, SystemTime, SystemTimer, type TimerTask } from '@weir/broker-core';
import { HeapTimer, HeapTimerTask } from './heap-timer.js';
import { cancelled, delaysMs, heapUsed, onFire, pool, settle } from './workload.js';

export interface RealClockResult {
  addMs: number;
  cancelMs: number;
  /** Heap the contender adds per pending task (beyond any pre-existing per-task object). */
  bytesPerPendingTask: number;
  /** Heap it still holds after the cancellations, per task added. */
  bytesRetainedAfterCancel: number;
}

/**
 * Each contender owns its add and cancel loops, so every loop's call site sees one
 * receiver type (a shared loop calling `contender.add` would be megamorphic and tax the
 * fastest contender most). Handles live in the contender between phases.
 */
export interface Contender {
  readonly name: string;
  /** Untimed: a fresh timer and handle array. */
  setup(count: number): void;
  addAll(count: number): void;
  cancelAll(count: number): void;
  /** Untimed: forget the handles of cancelled tasks, as their owners would. */
  dropCancelled(count: number): void;
  /** Untimed: stop whatever is left, detach pooled objects, release the timer. */
  teardown(count: number): void;
}

/** Both the wheel and the heap read "now" once per synchronous run, as setTimeout does. */
const nowMs = (): number => RunClock.of(SystemTime.INSTANCE).nowMs();

function forgetCancelled<H>(handles: (H | undefined)[], count: number): void {
  for (let i = 0; i < count; i++) if (cancelled[i]) handles[i] = undefined;
}

/** A: the callback API; each contender allocates its own per-task object. */
export function callbackContenders(): Contender[] {
  let wheel = new SystemTimer();
  let wheelHandles: (TimerTask | undefined)[] = [];
  let heap = new HeapTimer(nowMs);
  let heapHandles: (HeapTimerTask | undefined)[] = [];
  let timeouts: (NodeJS.Timeout | undefined)[] = [];
  return [
    {
      name: 'weir timing wheel',
      setup: (count) => ((wheel = new SystemTimer()), (wheelHandles = new Array<TimerTask | undefined>(count).fill(undefined))),
      addAll: (count) => {
        for (let i = 0; i < count; i++) wheelHandles[i] = wheel.schedule(delaysMs[i] as number, onFire);
      },
      cancelAll: (count) => {
        for (let i = 0; i < count; i++) if (cancelled[i]) (wheelHandles[i] as TimerTask).cancel();
      },
      dropCancelled: (count) => forgetCancelled(wheelHandles, count),
      teardown: () => (wheel.close(), (wheelHandles = [])),
    },
    {
      name: 'setTimeout/clearTimeout',
      setup: (count) => (timeouts = new Array<NodeJS.Timeout | undefined>(count).fill(undefined)),
      addAll: (count) => {
        for (let i = 0; i < count; i++) timeouts[i] = setTimeout(onFire, delaysMs[i] as number);
      },
      cancelAll: (count) => {
        for (let i = 0; i < count; i++) if (cancelled[i]) clearTimeout(timeouts[i]);
      },
      dropCancelled: (count) => forgetCancelled(timeouts, count),
      teardown: () => (timeouts.forEach((handle) => clearTimeout(handle)), (timeouts = [])),
    },
    {
      name: 'heap-js binary heap',
      setup: (count) => ((heap = new HeapTimer(nowMs)), (heapHandles = new Array<HeapTimerTask | undefined>(count).fill(undefined))),
      addAll: (count) => {
        for (let i = 0; i < count; i++) heapHandles[i] = heap.schedule(delaysMs[i] as number, onFire);
      },
      cancelAll: (count) => {
        for (let i = 0; i < count; i++) if (cancelled[i]) heap.cancel(heapHandles[i] as HeapTimerTask);
      },
      dropCancelled: (count) => forgetCancelled(heapHandles, count),
      teardown: () => ((heap = new HeapTimer(nowMs)), (heapHandles = [])),
    },
  ];
}

export const wheelTaskPool = pool((i) => new CallbackTimerTask(delaysMs[i] as number, onFire));
export const heapEntryPool = pool((i) => new HeapTimerTask(delaysMs[i] as number, onFire));
/** setTimeout's pre-existing object is the callback; it still allocates its own Timeout. */
const callbackPool = pool(() => () => onFire());

/** B: the broker's pattern; the per-task object exists already and the timer links it. */
export function intrusiveContenders(): Contender[] {
  let wheel = new SystemTimer();
  let heap = new HeapTimer(nowMs);
  let timeouts: (NodeJS.Timeout | undefined)[] = [];
  return [
    {
      name: 'weir timing wheel',
      setup: () => (wheelTaskPool(), (wheel = new SystemTimer())),
      addAll: (count) => {
        const tasks = wheelTaskPool();
        for (let i = 0; i < count; i++) wheel.add(tasks[i] as CallbackTimerTask);
      },
      cancelAll: (count) => {
        const tasks = wheelTaskPool();
        for (let i = 0; i < count; i++) if (cancelled[i]) (tasks[i] as CallbackTimerTask).cancel();
      },
      dropCancelled: () => undefined,
      teardown: (count) => {
        const tasks = wheelTaskPool();
        for (let i = 0; i < count; i++) (tasks[i] as CallbackTimerTask).cancel();
        wheel.close();
      },
    },
    {
      name: 'setTimeout/clearTimeout',
      setup: (count) => (callbackPool(), (timeouts = new Array<NodeJS.Timeout | undefined>(count).fill(undefined))),
      addAll: (count) => {
        const callbacks = callbackPool();
        for (let i = 0; i < count; i++) timeouts[i] = setTimeout(callbacks[i] as () => void, delaysMs[i] as number);
      },
      cancelAll: (count) => {
        for (let i = 0; i < count; i++) if (cancelled[i]) clearTimeout(timeouts[i]);
      },
      dropCancelled: (count) => forgetCancelled(timeouts, count),
      teardown: () => (timeouts.forEach((handle) => clearTimeout(handle)), (timeouts = [])),
    },
    {
      name: 'heap-js binary heap',
      setup: () => (heapEntryPool(), (heap = new HeapTimer(nowMs))),
      addAll: (count) => {
        const entries = heapEntryPool();
        for (let i = 0; i < count; i++) heap.add(entries[i] as HeapTimerTask);
      },
      cancelAll: (count) => {
        const entries = heapEntryPool();
        for (let i = 0; i < count; i++) if (cancelled[i]) heap.cancel(entries[i] as HeapTimerTask);
      },
      dropCancelled: () => undefined,
      teardown: () => (heap = new HeapTimer(nowMs)),
    },
  ];
}

/** Adds every task, then cancels the 90%, timing each phase; measures heap per task. */
export async function runRealClock(contender: Contender, count: number): Promise<RealClockResult> {
  contender.setup(count);
  const baseBytes = heapUsed();
  settle();
  // Start the timed phases on a fresh event-loop turn: the adds then form one synchronous
  // run, a burst as when one request fans out, sharing one clock read (wheel and heap)
  // or the loop's cached time (setTimeout). Nothing yields until teardown, so no
  // contender's timers fire in between.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const addStart = performance.now();
  contender.addAll(count);
  const addMs = performance.now() - addStart;
  const pendingBytes = heapUsed();
  settle(); // synchronous: nothing can fire between the two phases
  const cancelStart = performance.now();
  contender.cancelAll(count);
  const cancelMs = performance.now() - cancelStart;
  contender.dropCancelled(count);
  const retainedBytes = heapUsed();
  contender.teardown(count);
  return {
    addMs,
    cancelMs,
    bytesPerPendingTask: (pendingBytes - baseBytes) / count,
    bytesRetainedAfterCancel: (retainedBytes - baseBytes) / count,
  };
}

/** Cost of one monotonic clock read, for the "one add per run" estimate. */
export function clockReadNs(count: number): number {
  let sink = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) sink += SystemTime.INSTANCE.hiResMilliseconds();
  const elapsedMs = performance.now() - start;
  if (sink === -1) console.log(sink);
  return (elapsedMs * 1e6) / count;
}
