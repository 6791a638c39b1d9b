import { Logger } from '@nestjs/common';
import type { AuditEvent, AuditSink, Cancellable, Scheduler } from '@weir/broker-core';
import type { PrismaClient } from '@weir/registry-prisma';

/** The audit writer (AuditWriter), which is also the brokers' AuditSink. */
export const AUDIT_WRITER = Symbol('AUDIT_WRITER');

/** Rows per INSERT: a burst of admin calls (a script deleting 500 topics) goes in a few statements. */
const MAX_BATCH = 200;
/** A failed write (the database briefly away) is retried after this long, the entries kept in order. */
const RETRY_DELAY_MS = 2_000;
/** Entries held while the database is away; past this the oldest are dropped, and the drop is logged. */
const MAX_QUEUED = 100_000;

interface QueuedEntry {
  readonly time: Date;
  readonly event: AuditEvent;
}

/**
 * Queues audit events and writes them to the `audit_entry` table in batches, in the order
 * they were recorded, off the request path: `record` never throws and never waits. One
 * write is in flight at a time; a failed write is logged and retried on the timer, its
 * entries kept at the head of the queue. `flush` writes what is queued now (tests, and
 * application shutdown before the database closes).
 */
export class AuditWriter implements AuditSink {
  private readonly logger = new Logger('Audit');
  private queue: QueuedEntry[] = [];
  private writing: Promise<void> | undefined;
  private retry: Cancellable | undefined;
  private consecutiveFailures = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly scheduler: Scheduler,
  ) {}

  record(event: AuditEvent): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.queue.shift();
      this.logger.error(`audit queue full (${MAX_QUEUED} entries unwritten): the oldest entry was dropped`);
    }
    this.queue.push({ time: new Date(), event });
    if (this.retry === undefined) this.startWriting();
  }

  /** Entries recorded but not yet written. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Writes everything queued now; resolves once it is in the table. A database that keeps
   * failing gives up after a few tries (the error is logged and the entries stay queued).
   */
  async flush(): Promise<void> {
    for (let attempt = 0; attempt < 3 && (this.queue.length > 0 || this.writing !== undefined); attempt++) {
      this.cancelRetry();
      this.startWriting();
      await this.writing;
    }
    this.cancelRetry();
    // Entries left queued by a failing database are written by the retry.
    if (this.queue.length > 0) this.retryLater();
  }

  private cancelRetry(): void {
    this.retry?.cancel();
    this.retry = undefined;
  }

  private retryLater(): void {
    this.retry ??= this.scheduler.schedule(RETRY_DELAY_MS, () => {
      this.retry = undefined;
      this.startWriting();
    });
  }

  private startWriting(): void {
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, MAX_BATCH);
      try {
        await this.prisma.auditEntry.createMany({ data: batch.map(rowOf) });
      } catch (err) {
        this.consecutiveFailures++;
        if (this.consecutiveFailures === 1 || this.consecutiveFailures % 30 === 0) {
          this.logger.error(`writing ${batch.length} audit entries failed (${this.queue.length} queued; retrying): ${err instanceof Error ? err.message : String(err)}`);
        }
        this.retryLater();
        return;
      }
      this.consecutiveFailures = 0;
      this.queue.splice(0, batch.length);
    }
  }
}

function rowOf({ time, event }: QueuedEntry) {
  return {
    time,
    actor: event.actor,
    door: event.door,
    source: event.source,
    action: event.action,
    resource: event.resource,
    ...(event.before === undefined ? {} : { before: jsonSafe(event.before) }),
    ...(event.after === undefined ? {} : { after: jsonSafe(event.after) }),
    result: event.result,
    ...(event.error === undefined ? {} : { error: event.error }),
  };
}

/** Offsets are bigints in the broker; the JSON column takes them as decimal strings. */
function jsonSafe(value: unknown): never {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null') as never;
}
