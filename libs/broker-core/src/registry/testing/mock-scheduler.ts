import type { MockTime } from '../../time.js';
import type { Cancellable, Scheduler } from '../../timer/scheduler.js';

/**
 * A deterministic Scheduler for tests: tasks run when a MockTime is advanced past their
 * due time, in due-time order, synchronously inside `advance`. Nothing runs on its own.
 */
export class MockScheduler implements Scheduler {
  private readonly tasks: { dueMs: number; seq: number; task: () => void; cancelled: boolean }[] = [];
  private seq = 0;

  constructor(private readonly time: MockTime) {
    time.onAdvance((nowMs) => this.runDue(nowMs));
  }

  schedule(delayMs: number, task: () => void): Cancellable {
    const entry = { dueMs: this.time.hiResMilliseconds() + Math.max(0, delayMs), seq: this.seq++, task, cancelled: false };
    this.tasks.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }

  get pending(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  private runDue(nowMs: number): void {
    for (;;) {
      const due = this.tasks.filter((t) => !t.cancelled && t.dueMs <= nowMs).sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq)[0];
      if (due === undefined) return;
      this.tasks.splice(this.tasks.indexOf(due), 1);
      due.task();
    }
  }
}
