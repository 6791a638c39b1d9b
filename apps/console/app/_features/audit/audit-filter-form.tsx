'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useState } from 'react';
import { SelectField, TextField } from '../../_components/field';
import { AUDIT_DOORS, AUDIT_RESULTS, type AuditFilters, auditSearch } from './audit-filters';

const buttonClass = 'rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';

/** An ISO instant as a datetime-local value in this browser's zone. */
function localInput(iso: string): string {
  if (iso === '') return '';
  const at = new Date(iso);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

const isoOf = (local: string): string => (local === '' ? '' : new Date(local).toISOString());

/**
 * The audit log's filters. Times are picked in the browser's zone and go into the URL as
 * ISO instants, so a shared link means the same moments anywhere; a new filter starts at page 1.
 */
export function AuditFilterForm({ filters }: { filters: AuditFilters }) {
  const router = useRouter();
  const [draft, setDraft] = useState({ ...filters, since: '', until: '' });
  // The browser's zone is known only here, after hydration.
  useEffect(() => setDraft((d) => ({ ...d, since: localInput(filters.since), until: localInput(filters.until) })), [filters.since, filters.until]);
  const set = (key: keyof AuditFilters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    router.push(`/audit${auditSearch({ ...draft, since: isoOf(draft.since), until: isoOf(draft.until), page: 1 })}`);
  }

  return (
    <form onSubmit={submit} method="get" action="/audit" aria-label="Filter the audit log" className="grid gap-4 md:grid-cols-4 md:items-end">
      <TextField id="actor" label="Actor" value={draft.actor} onChange={set('actor')} />
      <TextField id="action" label="Action" hint="e.g. topic.create" value={draft.action} onChange={set('action')} />
      <TextField id="resource" label="Resource contains" value={draft.resource} onChange={set('resource')} />
      <div className="flex gap-4">
        <SelectField id="door" label="Door" options={AUDIT_DOORS} anyLabel="any" value={draft.door} onChange={set('door')} />
        <SelectField id="result" label="Result" options={AUDIT_RESULTS} anyLabel="any" value={draft.result} onChange={set('result')} />
      </div>
      <TextField id="since" label="From" type="datetime-local" value={draft.since} onChange={set('since')} />
      <TextField id="until" label="Until" type="datetime-local" value={draft.until} onChange={set('until')} />
      <div className="flex gap-2">
        <button type="submit" className="rounded-md bg-sky-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-sky-800">Filter</button>
        <button type="button" className={buttonClass} onClick={() => router.push('/audit')}>Clear</button>
      </div>
    </form>
  );
}
