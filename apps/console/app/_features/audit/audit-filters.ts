import type { AuditQuery } from '../../_lib/gateway/audit-log';

export const AUDIT_DOORS = ['rest', 'console', 'kafka'] as const;
export const AUDIT_RESULTS = ['success', 'failure'] as const;

/** The audit page's list state, all in the URL so a filtered view can be shared. */
export interface AuditFilters {
  actor: string;
  action: string;
  door: string;
  result: string;
  resource: string;
  /** ISO-8601 instants (the form converts the browser's local time). */
  since: string;
  until: string;
  page: number;
}

export const AUDIT_PAGE_SIZE = 50;
export const FILTER_KEYS = ['actor', 'action', 'door', 'result', 'resource', 'since', 'until'] as const;

type Params = Record<string, string | string[] | undefined>;

function one(params: Params, key: string): string {
  const value = params[key];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

function instant(value: string): string {
  return value !== '' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : '';
}

/** Unknown doors, results and dates are dropped rather than sent: the gateway would refuse the whole query. */
export function parseAuditFilters(params: Params): AuditFilters {
  const door = one(params, 'door');
  const result = one(params, 'result');
  const page = Number.parseInt(one(params, 'page'), 10);
  return {
    actor: one(params, 'actor'),
    action: one(params, 'action'),
    door: (AUDIT_DOORS as readonly string[]).includes(door) ? door : '',
    result: (AUDIT_RESULTS as readonly string[]).includes(result) ? result : '',
    resource: one(params, 'resource'),
    since: instant(one(params, 'since')),
    until: instant(one(params, 'until')),
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  };
}

/** The gateway's query for one page of these filters. */
export function auditQuery(filters: AuditFilters): AuditQuery {
  const query: AuditQuery = { limit: AUDIT_PAGE_SIZE, offset: (filters.page - 1) * AUDIT_PAGE_SIZE };
  for (const key of FILTER_KEYS) if (filters[key] !== '') query[key] = filters[key];
  return query;
}

/** `?actor=…&page=…` of these filters (empty ones left out), for links and the export. */
export function auditSearch(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key] !== '') params.set(key, filters[key]);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
