import type { AUDIT_DOORS, AUDIT_RESULTS } from '../../_features/audit/audit-filters';
import { gatewayRequest } from './http';

/** One administrative action as the gateway recorded it (GET /v3/audit-log). */
export interface AuditEntryData {
  /** Increasing with time of writing; a string because it is a 64-bit integer. */
  id: string;
  time: string;
  actor: string;
  door: (typeof AUDIT_DOORS)[number];
  source: string;
  action: string;
  resource: string;
  before: unknown;
  after: unknown;
  result: (typeof AUDIT_RESULTS)[number];
  error: string | null;
}

/** Newest first; `total` counts every match, for paging. */
export interface AuditLogData {
  data: AuditEntryData[];
  total: number;
}

/** The gateway's filters, as its query parameters (ISO-8601 since/until). */
export type AuditQuery = Partial<Record<'actor' | 'action' | 'door' | 'result' | 'resource' | 'since' | 'until', string>> & { limit: number; offset: number };

export function readAuditLog(query: AuditQuery): Promise<AuditLogData> {
  return gatewayRequest<AuditLogData>('/v3/audit-log', { query });
}
