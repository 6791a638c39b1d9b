'use client';

import type { DecodedField } from '@weir/contracts';
import { useMemo } from 'react';
import { base64ToBytes, render, type ViewFormat } from './record-format';

/** A key, value or header value (fetched as base64) rendered in the chosen format. */
export function FieldView({ field, format, label }: { field: DecodedField | null; format: ViewFormat; label: string }) {
  const rendered = useMemo(() => (field === null ? null : render(base64ToBytes(String(field.data)), format, field.truncated)), [field, format]);
  if (field === null || rendered === null) return <span className="text-xs italic text-slate-500">null</span>;
  return (
    <div>
      <pre aria-label={label} className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
        {rendered.text}
      </pre>
      {!rendered.ok && <p className="mt-1 text-xs text-amber-700 dark:text-amber-400">{rendered.reason}</p>}
    </div>
  );
}
