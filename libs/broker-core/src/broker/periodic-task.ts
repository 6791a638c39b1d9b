import type { Cancellable, Scheduler } from '../timer/scheduler.js';
import type { BrokerLogger } from './broker-options.js';

/**
 * Runs `work` every `intervalMs` on the shared timer (Kafka's KafkaScheduler.schedule with
 * a period). The next run is scheduled when the current one finishes, so a slow async
 * pass never overlaps the next; a failed pass is logged and the schedule goes on.
 */
export class PeriodicTask {
  private next: Cancellable | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly scheduler: Scheduler,
    private readonly intervalMs: number,
    private readonly work: () => void | Promise<void>,
    private readonly logger: BrokerLogger,
  ) {}

  start(): this {
    this.schedule();
    return this;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.next = this.scheduler.schedule(this.intervalMs, () => {
      this.next = undefined;
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    });
  }

  /** One pass now (tests and shutdown use it too). Never rejects. */
  async runOnce(): Promise<void> {
    try {
      await this.work();
    } catch (err) {
      this.logger.error(`${this.name} failed`, err);
    }
  }

  /** Stops scheduling and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.next?.cancel();
    await this.running;
  }
}
