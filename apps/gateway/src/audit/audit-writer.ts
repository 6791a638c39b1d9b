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
    if (this.retry !== undefined) return;
    try {
      this.retry = this.scheduler.schedule(RETRY_DELAY_MS, () => {
        this.retry = undefined;
        this.startWriting();
      });
    } catch (err) {
      // The timer closed first (application shutdown): nothing will retry.
      this.logger.error(`${this.queue.length} audit entries left unwritten: ${err instanceof Error ? err.message : String(err)}`);
    }
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
    actor: textSafe(event.actor),
    door: event.door,
    source: textSafe(event.source),
    action: event.action,
    resource: textSafe(event.resource),
    ...(event.before === undefined ? {} : { before: jsonSafe(event.before) }),
    ...(event.after === undefined ? {} : { after: jsonSafe(event.after) }),
    result: event.result,
    ...(event.error === undefined ? {} : { error: textSafe(event.error) }),
  };
}

/**
 * PostgreSQL's text and jsonb hold no U+0000, and a refused request may name a topic or
 * a user with one in it: it is written as U+2400 (the symbol for null), so that the entry
 * is kept rather than failing its batch, and every batch after it, for good.
 */
function textSafe(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\u2400') : text;
}

/** Offsets are bigints in the broker; the JSON column takes them as decimal strings. Strings and keys as textSafe. */
function jsonSafe(value: unknown): never {
  return JSON.parse(JSON.stringify(value, jsonSafeValue) ?? 'null') as never;
}

function jsonSafeValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return textSafe(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some((key) => key.includes('\u0000'))) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [textSafe(key), inner]));
  }
  return value;
}
