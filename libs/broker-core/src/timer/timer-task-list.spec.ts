import { TimerCounters } from './timer-counters.js';
import { CallbackTimerTask, type TimerTask } from './timer-task.js';
import { TimerTaskList } from './timer-task-list.js';

function entryFor(list: TimerTaskList, expirationMs: number): TimerTask {
  const task = new CallbackTimerTask(0, () => undefined);
  task.expirationMs = expirationMs;
  list.add(task);
  return task;
}

describe('TimerTaskList', () => {
  it('links entries in order and knows its size', () => {
    const list = new TimerTaskList();
    const entries = [1, 2, 3].map((ms) => entryFor(list, ms));
    expect(list.size).toBe(3);
    expect([...list.entries()]).toEqual(entries);
    for (const entry of entries) expect(entry.list).toBe(list);
  });

  it('cancel unlinks the entry in place, keeping its neighbours linked to each other', () => {
    const counters = new TimerCounters();
    const list = new TimerTaskList(counters);
    const [first, middle, last] = [1, 2, 3].map((ms) => entryFor(list, ms)) as [TimerTask, TimerTask, TimerTask];

    expect(middle.cancel()).toBe(true);

    expect(middle.list).toBeNull();
    expect(middle.next).toBe(middle);
    expect(middle.prev).toBe(middle);
    expect(first.next).toBe(last);
    expect(last.prev).toBe(first);
    expect(list.size).toBe(2);
    expect(counters.pending).toBe(2);
    expect(counters.cancelled).toBe(1);
    expect(middle.cancel()).toBe(false);
    expect(counters.cancelled).toBe(1);
  });

  it('moving an entry to another list unlinks it from the first', () => {
    const a = new TimerTaskList();
    const b = new TimerTaskList();
    const entry = entryFor(a, 5);
    b.add(entry);
    expect(a.size).toBe(0);
    expect(b.size).toBe(1);
    expect(entry.list).toBe(b);
  });

  it('flush hands over every entry once, resets the expiration, and tolerates cancels of later entries', () => {
    const list = new TimerTaskList();
    const entries = [1, 2, 3, 4].map((ms) => entryFor(list, ms));
    list.setExpirationMs(1);
    const seen: number[] = [];
    list.flush((entry) => {
      seen.push(entry.expirationMs);
      if (entry.expirationMs === 2) entries[2]?.cancel();
    });
    expect(seen).toEqual([1, 2, 4]);
    expect(list.size).toBe(0);
    expect(list.expirationMs).toBe(-1);
  });

  it('setExpirationMs reports a change only when the slot changes', () => {
    const list = new TimerTaskList();
    expect(list.setExpirationMs(20)).toBe(true);
    expect(list.setExpirationMs(20)).toBe(false);
    expect(list.setExpirationMs(40)).toBe(true);
  });

  it('counts idle when the last entry leaves', () => {
    const counters = new TimerCounters();
    let idle = 0;
    counters.onIdle = () => idle++;
    const list = new TimerTaskList(counters);
    const a = entryFor(list, 1);
    const b = entryFor(list, 2);
    a.cancel();
    expect(idle).toBe(0);
    b.cancel();
    expect(idle).toBe(1);
  });
});
