'use client';

import type { ReadRecord, ReadRecordsResponse } from '@weir/contracts';
import { useState } from 'react';
import { formatBytes } from '../../_lib/format';
import { useMessageFormatPreference, useTimestampFormat } from '../settings/preferences';
import { FieldView } from './field-view';
import { base64ToBytes, FORMAT_LABELS, guessFormat, VIEW_FORMATS, type ViewFormat } from './record-format';

const FULL_FIELD_BYTES = 16 * 1024 * 1024;

/** One record: offset, time, headers, key and value, with a format switch (the page's, or guessed) and "show all". */
export function RecordCard({ record: preview, readPath, defaultFormat }: { record: ReadRecord; readPath: string; defaultFormat: ViewFormat | 'auto' }) {
  const [record, setRecord] = useState(preview);
  // The record's own switch, else the page's format, else the settings' default, else a guess from the bytes.
  const [chosen, setChosen] = useState<ViewFormat | null>(null);
  const preferred = useMessageFormatPreference();
  const formatTime = useTimestampFormat();
  const [guessed] = useState<ViewFormat>(() => (record.value === null ? 'string' : guessFormat(base64ToBytes(String(record.value.data)))));
  const format = chosen ?? (defaultFormat !== 'auto' ? defaultFormat : preferred !== 'auto' ? preferred : guessed);
  const [loadError, setLoadError] = useState<string | null>(null);
  const truncated = (record.key?.truncated ?? false) || (record.value?.truncated ?? false);

  async function showAll() {
    // Through the console's /gateway proxy: the same origin as the page.
    const query = new URLSearchParams({ offset: String(record.offset), max_records: '1', format: 'base64', max_field_bytes: String(FULL_FIELD_BYTES) });
    try {
      const res = await fetch(`/gateway${readPath}?${query.toString()}`);
      const body = (await res.json()) as ReadRecordsResponse & { message?: string };
      const full = res.ok ? body.records.find((r) => r.offset === record.offset) : undefined;
      if (full === undefined) throw new Error(body.message ?? `HTTP ${res.status}`);
      setRecord(full);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <li className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid="record" data-offset={record.offset}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
        <span>
          offset <b className="font-mono text-slate-900 dark:text-slate-100">{record.offset}</b>
        </span>
        <span>{formatTime(record.timestamp)} ({record.timestamp_type})</span>
        <span>{formatBytes(record.size)}</span>
        <label className="ml-auto flex items-center gap-1">
          Show as
          <select value={format} onChange={(e) => setChosen(e.target.value as ViewFormat)} className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900">
            {VIEW_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid gap-2 md:grid-cols-[minmax(0,1fr)_minmax(0,3fr)]">
        <FieldView field={record.key} format={format} label={`Key of offset ${record.offset}`} />
        <FieldView field={record.value} format={format} label={`Value of offset ${record.offset}`} />
      </div>
      {record.headers.length > 0 && (
        <ul className="flex flex-wrap gap-2 text-xs" aria-label="Headers">
          {record.headers.map((h, i) => (
            <li key={i} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono dark:bg-slate-800">
              {h.key}={h.value === null ? 'null' : new TextDecoder().decode(base64ToBytes(String(h.value.data)))}
            </li>
          ))}
        </ul>
      )}
      {truncated && (
        <p className="text-xs">
          Cut at a preview length ({formatBytes(record.value?.size ?? 0)} in full).{' '}
          <button type="button" onClick={() => void showAll()} className="font-medium text-sky-700 underline dark:text-sky-400">
            Show all
          </button>
          {loadError !== null && <span role="alert" className="ml-2 text-rose-700">{loadError}</span>}
        </p>
      )}
    </li>
  );
}
