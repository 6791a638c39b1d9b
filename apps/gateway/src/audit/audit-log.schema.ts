import { z } from 'zod';

/** The audit log's filters (GET /v3/audit-log); every one optional, combined with AND. */
export const auditLogQuerySchema = z.object({
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  door: z.enum(['rest', 'console', 'kafka']).optional(),
  result: z.enum(['success', 'failure']).optional(),
  /** A substring of the resource (`orders` finds `topic:orders`). */
  resource: z.string().min(1).optional(),
  /** ISO-8601; entries at or after. */
  since: z.iso.datetime({ offset: true }).optional(),
  /** ISO-8601; entries before. */
  until: z.iso.datetime({ offset: true }).optional(),
  /** Page size for JSON (at most 1000); CSV ignores it and streams every match. */
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  format: z.enum(['json', 'csv']).default('json'),
});
export type AuditLogQuery = z.output<typeof auditLogQuerySchema>;

export const auditEntrySchema = z.object({
  /** Increasing with time of writing; a string because it is a 64-bit integer. */
  id: z.string(),
  time: z.string(),
  actor: z.string(),
  door: z.enum(['rest', 'console', 'kafka']),
  source: z.string(),
  action: z.string(),
  resource: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  result: z.enum(['success', 'failure']),
  error: z.string().nullable(),
});
export type AuditEntryData = z.infer<typeof auditEntrySchema>;

/** Newest first. `total` counts every match, for paging. */
export const auditLogSchema = z.object({ data: z.array(auditEntrySchema), total: z.number().int() });
export type AuditLogData = z.infer<typeof auditLogSchema>;

/** The CSV's columns, in order: the JSON entry's fields (before and after as JSON text). */
export const AUDIT_CSV_COLUMNS = ['id', 'time', 'actor', 'door', 'source', 'action', 'resource', 'before', 'after', 'result', 'error'] as const;
