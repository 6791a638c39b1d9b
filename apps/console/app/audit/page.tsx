import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { TableSkeleton } from '../_components/skeleton';
import { AuditFilterForm } from '../_features/audit/audit-filter-form';
import { auditSearch, parseAuditFilters } from '../_features/audit/audit-filters';
import { AuditTable } from '../_features/audit/audit-table';
import { NotPermitted } from '../_features/auth/not-permitted';
import { permitted } from '../_features/auth/permitted';

export const metadata: Metadata = { title: 'Audit log' };

const exportClass = 'rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filters = parseAuditFilters(await searchParams);
  if (!(await permitted('administer'))) return <NotPermitted title="Audit log" />;
  // Exports are the gateway's own (through the proxy, with the browser's session): every match as CSV, up to 1,000 as JSON.
  const exportHref = (format: 'csv' | 'json') => `/gateway/v3/audit-log${auditSearch(filters, format === 'csv' ? { format } : { format, limit: '1000' })}`;
  return (
    <section aria-labelledby="audit-title" className="space-y-6">
      <PageHeader id="audit-title" title="Audit log">
        <a href={exportHref('csv')} download="audit-log.csv" className={exportClass}>Export CSV</a>
        <a href={exportHref('json')} download="audit-log.json" className={exportClass}>Export JSON</a>
      </PageHeader>
      <AuditFilterForm filters={filters} />
      <Suspense key={JSON.stringify(filters)} fallback={<TableSkeleton label="Loading the audit log" rows={10} />}>
        <AuditTable filters={filters} />
      </Suspense>
    </section>
  );
}
