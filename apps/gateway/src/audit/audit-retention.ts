import { Logger } from '@nestjs/common';
import type { Cancellable, Scheduler } from '@weir/broker-core';
import type { PrismaClient } from '@weir/registry-prisma';

export const AUDIT_RETENTION = Symbol('AUDIT_RETENTION');

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Deletes audit entries older than WEIR_AUDIT_RETENTION_DAYS: once at start, then every
 * hour on the gateway's timer. Several gateways on one PostgreSQL each purge; the deletes
 * are idempotent, so that costs only a query an hour each.
 */
export class AuditRetention {
  private readonly logger = new Logger('Audit');
  private task: Cancellable | undefined;
  private closed = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly scheduler: Scheduler,
    private readonly retentionDays: number,
  ) {}

  start(): void {
    this.runAndReschedule();
  }

  close(): void {
    this.closed = true;
    this.task?.cancel();
  }

  /** Deletes the entries older than the retention, as of `now`; returns how many. */
  async purge(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionDays * DAY_MS);
    const { count } = await this.prisma.auditEntry.deleteMany({ where: { time: { lt: cutoff } } });
    if (count > 0) this.logger.log(`purged ${count} audit entries older than ${this.retentionDays} days`);
    return count;
  }

  private runAndReschedule(): void {
    void this.purge().catch((err: unknown) => this.logger.error(`audit retention purge failed: ${err instanceof Error ? err.message : String(err)}`)).finally(() => {
      if (!this.closed) this.task = this.scheduler.schedule(HOUR_MS, () => this.runAndReschedule());
    });
  }
}
