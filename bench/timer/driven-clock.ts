// Section C: the whole life cycle on a driven clock. The same workload on MockTime, then
// the clock driven in 1 ms steps to 60 s so the 10% survivors run: the expiry processing
// that setTimeout cannot be timed on without waiting a real minute. One function per
// contender and API keeps every call site monomorphic.
import { MockTime, MockTimer, type CallbackTimerTask, type TimerTask } from '@weir/broker-core';
import { HeapTimer, type HeapTimerTask } from './heap-timer.js';
import { heapEntryPool, wheelTaskPool } from './real-clock.js';
import { cancelled, collect, delaysMs, fired, MAX_DELAY_MS, onFire, settle } from './workload.js';

export interface DrivenResult {
  addCancelMs: number;
  expireMs: number;
  fired: number;
}

function expire(time: MockTime, afterAdvance: () => void): number {
  const start = performance.now();
  for (let t = 0; t <= MAX_DELAY_MS; t++) {
    time.advance(1);
    afterAdvance();
  }
  return performance.now() - start;
}

const nothing = (): void => undefined;

export function drivenWheelCallbacks(count: number): DrivenResult {
  const time = new MockTime();
  const timer = new MockTimer(time); // each advance runs a pass
  const handles = new Array<TimerTask | undefined>(count).fill(undefined);
  fired.count = 0;
  collect();
  settle();
  const start = performance.now();
  for (let i = 0; i < count; i++) handles[i] = timer.schedule(delaysMs[i] as number, onFire);
  for (let i = 0; i < count; i++) if (cancelled[i]) (handles[i] as TimerTask).cancel();
  const addCancelMs = performance.now() - start;
  handles.fill(undefined);
  const expireMs = expire(time, nothing);
  timer.close();
  return { addCancelMs, expireMs, fired: fired.count };
}

export function drivenHeapCallbacks(count: number): DrivenResult {
  const time = new MockTime();
  const timer = new HeapTimer(() => time.hiResMilliseconds());
  const handles = new Array<HeapTimerTask | undefined>(count).fill(undefined);
  fired.count = 0;
  collect();
  settle();
  const start = performance.now();
  for (let i = 0; i < count; i++) handles[i] = timer.schedule(delaysMs[i] as number, onFire);
  for (let i = 0; i < count; i++) if (cancelled[i]) timer.cancel(handles[i] as HeapTimerTask);
  const addCancelMs = performance.now() - start;
  handles.fill(undefined);
  const expireMs = expire(time, () => timer.advanceClock());
  return { addCancelMs, expireMs, fired: fired.count };
}

export function drivenWheelIntrusive(count: number): DrivenResult {
  const tasks = wheelTaskPool();
  const time = new MockTime();
  const timer = new MockTimer(time);
  fired.count = 0;
  collect();
  settle();
  const start = performance.now();
  for (let i = 0; i < count; i++) timer.add(tasks[i] as CallbackTimerTask);
  for (let i = 0; i < count; i++) if (cancelled[i]) (tasks[i] as CallbackTimerTask).cancel();
  const addCancelMs = performance.now() - start;
  const expireMs = expire(time, nothing); // every delay is under 60 s: all pooled tasks end detached
  timer.close();
  return { addCancelMs, expireMs, fired: fired.count };
}

export function drivenHeapIntrusive(count: number): DrivenResult {
  const entries = heapEntryPool();
  const time = new MockTime();
  const timer = new HeapTimer(() => time.hiResMilliseconds());
  fired.count = 0;
  collect();
  settle();
  const start = performance.now();
  for (let i = 0; i < count; i++) timer.add(entries[i] as HeapTimerTask);
  for (let i = 0; i < count; i++) if (cancelled[i]) timer.cancel(entries[i] as HeapTimerTask);
  const addCancelMs = performance.now() - start;
  const expireMs = expire(time, () => timer.advanceClock());
  return { addCancelMs, expireMs, fired: fired.count };
}
