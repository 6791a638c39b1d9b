import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@weir/registry-prisma';
import { PRISMA } from '../registry/registry.module.js';
import { csvLine } from './audit-csv.js';
import { AUDIT_CSV_COLUMNS, type AuditEntryData, type AuditLogData, type AuditLogQuery } from './audit-log.schema.js';
import { AUDIT_WRITER, type AuditWriter } from './audit-writer.js';

/** Rows read per query while streaming a CSV export. */
const CSV_PAGE = 1000;

type AuditRow = Awaited<ReturnType<PrismaClient['auditEntry']['findMany']>>[number];

/** Reads the audit log: a filtered page as JSON, or every match as a CSV stream. */
@Injectable()
export class AuditLogService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(AUDIT_WRITER) private readonly writer: AuditWriter,
  ) {}

  async list(query: AuditLogQuery): Promise<AuditLogData> {
    // What was recorded before this request is shown, even if still queued for writing.
    await this.writer.flush();
    const where = whereOf(query);
    const [rows, total] = await Promise.all([
      this.prisma.auditEntry.findMany({ where, orderBy: { id: 'desc' }, skip: query.offset, take: query.limit }),
      this.prisma.auditEntry.count({ where }),
    ]);
    return { data: rows.map(entryOf), total };
  }

  /** Every match, newest first, in pages keyed on the id (stable while new entries arrive). */
  async *csv(query: AuditLogQuery): AsyncGenerator<string> {
    await this.writer.flush();
    yield csvLine(AUDIT_CSV_COLUMNS);
    let below: bigint | undefined;
    for (;;) {
      const where = { ...whereOf(query), ...(below === undefined ? {} : { id: { lt: below } }) };
      const rows = await this.prisma.auditEntry.findMany({ where, orderBy: { id: 'desc' }, take: CSV_PAGE });
      if (rows.length > 0) yield rows.map((r) => csvLine(cellsOf(entryOf(r)))).join('');
      if (rows.length < CSV_PAGE) return;
      below = rows[rows.length - 1]!.id;
    }
  }
}

function whereOf(q: AuditLogQuery) {
  return {
    ...(q.actor === undefined ? {} : { actor: q.actor }),
    ...(q.action === undefined ? {} : { action: q.action }),
    ...(q.door === undefined ? {} : { door: q.door }),
    ...(q.result === undefined ? {} : { result: q.result }),
    ...(q.resource === undefined ? {} : { resource: { contains: q.resource } }),
    ...(q.since === undefined && q.until === undefined
      ? {}
      : { time: { ...(q.since === undefined ? {} : { gte: new Date(q.since) }), ...(q.until === undefined ? {} : { lt: new Date(q.until) }) } }),
  };
}

function entryOf(r: AuditRow): AuditEntryData {
  return {
    id: r.id.toString(),
    time: r.time.toISOString(),
    actor: r.actor,
    door: r.door as AuditEntryData['door'],
    source: r.source,
    action: r.action,
    resource: r.resource,
    before: r.before ?? null,
    after: r.after ?? null,
    result: r.result as AuditEntryData['result'],
    error: r.error,
  };
}

function cellsOf(e: AuditEntryData): (string | null)[] {
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  return [e.id, e.time, e.actor, e.door, e.source, e.action, e.resource, json(e.before), json(e.after), e.result, e.error];
}
