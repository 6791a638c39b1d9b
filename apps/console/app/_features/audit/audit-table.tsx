import Link from 'next/link';
import { Badge } from '../../_components/badge';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { type AuditEntryData, readAuditLog } from '../../_lib/gateway/audit-log';
import { Timestamp } from '../settings/timestamp';
import { diffAudit } from './audit-diff';
import { AUDIT_PAGE_SIZE, type AuditFilters, auditQuery, auditSearch } from './audit-filters';

const KIND_CLASS = {
  added: 'bg-emerald-50 dark:bg-emerald-950',
  removed: 'bg-rose-50 dark:bg-rose-950',
  changed: 'bg-amber-50 dark:bg-amber-950',
  same: '',
} as const;

/** What the action changed, field by field (expandable); every value rendered as text. */
function EntryChanges({ entry }: { entry: AuditEntryData }) {
  const lines = diffAudit(entry.before, entry.after);
  if (lines.length === 0 && entry.error === null) return <span className="text-slate-600 dark:text-slate-400">—</span>;
  return (
    <details data-testid="audit-changes">
      <summary className="cursor-pointer text-sky-700 dark:text-sky-400">Details</summary>
      {entry.error !== null && <p className="mt-2 text-rose-700 dark:text-rose-400">{entry.error}</p>}
      {lines.length > 0 && (
        <table className="mt-2 w-full text-xs">
          <caption className="sr-only">Before and after of entry {entry.id}</caption>
          <thead>
            <tr>
              <th scope="col" className="pr-2 text-left">Field</th>
              <th scope="col" className="pr-2 text-left">Before</th>
              <th scope="col" className="text-left">After</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.key} className={KIND_CLASS[l.kind]}>
                <td className="pr-2 font-mono">{l.key === '' ? '(value)' : l.key}</td>
                <td className="break-all pr-2 font-mono">{l.before === undefined ? '' : <del>{l.before}</del>}</td>
                <td className="break-all font-mono">{l.after ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

function Pager({ filters, total }: { filters: AuditFilters; total: number }) {
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const link = (page: number, label: string) => (
    <Link href={`/audit${auditSearch(filters, { page: String(page) })}`} className="text-sky-700 underline dark:text-sky-400">{label}</Link>
  );
  return (
    <nav aria-label="Audit log pages" className="flex items-center gap-4 text-sm">
      {filters.page > 1 && link(filters.page - 1, 'Previous')}
      <span>Page {filters.page} of {pages} ({total} entries)</span>
      {filters.page < pages && link(filters.page + 1, 'Next')}
    </nav>
  );
}

export async function AuditTable({ filters }: { filters: AuditFilters }) {
  const log = await readAuditLog(auditQuery(filters));
  return (
    <div className="space-y-4">
      <Table caption="Audit log, newest first">
        <thead>
          <tr>
            <Th>Time</Th>
            <Th>Actor</Th>
            <Th>Door</Th>
            <Th>Action</Th>
            <Th>Resource</Th>
            <Th>Result</Th>
            <Th>Source</Th>
            <Th>Changes</Th>
          </tr>
        </thead>
        <tbody>
          {log.data.length === 0 && <EmptyRow colSpan={8}>No entries match.</EmptyRow>}
          {log.data.map((e) => (
            <tr key={e.id} data-testid="audit-entry" className="align-top">
              <Td>
                <Timestamp ms={Date.parse(e.time)} />
              </Td>
              <Td>{e.actor}</Td>
              <Td>{e.door}</Td>
              <Td mono>{e.action}</Td>
              <Td mono>{e.resource}</Td>
              <Td>{e.result === 'success' ? <Badge tone="good">success</Badge> : <Badge tone="bad">failure</Badge>}</Td>
              <Td mono>{e.source}</Td>
              <Td>
                <EntryChanges entry={e} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pager filters={filters} total={log.total} />
    </div>
  );
}
