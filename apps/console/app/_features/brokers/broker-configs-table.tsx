'use client';

import type { BrokerConfigData } from '@weir/contracts';
import { useId, useState } from 'react';
import { Badge } from '../../_components/badge';
import { EmptyRow, Table, Td, Th } from '../../_components/table';

/** A broker's configs with a filter on name and value (a broker has a few dozen: filtered in the browser). */
export function BrokerConfigsTable({ brokerId, configs }: { brokerId: number; configs: BrokerConfigData[] }) {
  const [query, setQuery] = useState('');
  const searchId = useId();
  const needle = query.trim().toLowerCase();
  const shown = needle === '' ? configs : configs.filter((c) => c.name.toLowerCase().includes(needle) || (c.value ?? '').toLowerCase().includes(needle));
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <label htmlFor={searchId} className="text-sm font-medium">Search configs</label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="name or value"
          className="w-64 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <span className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite" data-testid="config-count">
          {shown.length} of {configs.length}
        </span>
      </div>
      <Table caption={`Configs of broker ${brokerId}`}>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Value</Th>
            <Th>Source</Th>
            <Th>Default or override</Th>
            <Th>Editable</Th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && <EmptyRow colSpan={5}>No config matches “{query}”.</EmptyRow>}
          {shown.map((c) => (
            <tr key={c.name} data-testid={`broker-config-${c.name}`}>
              <Td mono>{c.name}</Td>
              <Td mono>{c.is_sensitive ? <span className="italic">hidden (sensitive)</span> : c.value === '' ? <span className="italic">empty</span> : c.value}</Td>
              <Td mono>{c.source}</Td>
              <Td>{c.is_default ? <Badge>default</Badge> : <Badge tone="info">set</Badge>}</Td>
              <Td>{c.is_read_only ? 'read-only' : 'editable'}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
