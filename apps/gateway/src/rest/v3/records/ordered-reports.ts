import type { ProduceResponse } from '@weir/contracts';

/**
 * Delivery reports in request order while produce calls are still running: each group
 * of records enqueues a promise of its reports, and a single chain writes the groups
 * one after another as they resolve. Reports go out as soon as they are ready (an
 * interactive client waiting for one report before sending the next is never stuck),
 * and `waitForRoom` holds the reader back when too many groups are outstanding.
 */
export class OrderedReports {
  private tail: Promise<void> = Promise.resolve();
  private outstanding = 0;
  private wakeReader: (() => void) | undefined;
  private writeError: unknown;

  constructor(
    private readonly write: (report: ProduceResponse) => Promise<void>,
    private readonly maxOutstanding: number,
  ) {}

  /** `reports` must not reject: a failed produce resolves to error reports. */
  enqueue(reports: Promise<readonly ProduceResponse[]>): void {
    this.outstanding++;
    this.tail = this.tail
      .then(async () => {
        if (this.writeError !== undefined) return;
        for (const report of await reports) await this.write(report);
      })
      .catch((err: unknown) => {
        this.writeError ??= err;
      })
      .finally(() => {
        this.outstanding--;
        this.wakeReader?.();
      });
  }

  /** Set once writing failed (the client went away); the reader should stop. */
  get failed(): boolean {
    return this.writeError !== undefined;
  }

  async waitForRoom(): Promise<void> {
    while (this.outstanding > this.maxOutstanding && !this.failed) {
      await new Promise<void>((resolve) => {
        this.wakeReader = resolve;
      });
      this.wakeReader = undefined;
    }
  }

  /** Everything enqueued written (or abandoned after a write failure). */
  async drain(): Promise<void> {
    await this.tail;
  }
}
