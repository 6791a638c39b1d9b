'use client';

import type { DecodedField } from '@weir/contracts';
import { useMemo, useState } from 'react';
import { base64ToBytes, HEX_ROW_BYTES, hexDumpRows, render, type ViewFormat } from './record-format';

/**
 * What goes into the DOM at first, and per "show more": a 1 MiB value as one text node
 * or 65,536 hex rows would stall the page, so only this much is rendered until asked.
 */
const SHOWN_CHARS = 64 * 1024;
const SHOWN_HEX_ROWS = 256;

const pre = 'max-h-96 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800';
const moreButton = 'mt-1 text-xs font-medium text-sky-700 underline dark:text-sky-400';

/** A key, value or header value (fetched as base64) rendered in the chosen format, as text (React escapes it: markup stays inert). */
export function FieldView({ field, format, label }: { field: DecodedField | null; format: ViewFormat; label: string }) {
  const bytes = useMemo(() => (field === null ? null : base64ToBytes(String(field.data))), [field]);
  if (field === null || bytes === null) return <span className="text-xs italic text-slate-600 dark:text-slate-400">null</span>;
  return format === 'hex' ? <HexDump bytes={bytes} label={label} /> : <TextView bytes={bytes} format={format} truncated={field.truncated} label={label} />;
}

function TextView({ bytes, format, truncated, label }: { bytes: Uint8Array; format: Exclude<ViewFormat, 'hex'>; truncated: boolean; label: string }) {
  const rendered = useMemo(() => render(bytes, format, truncated), [bytes, format, truncated]);
  const [shown, setShown] = useState(SHOWN_CHARS);
  const rest = rendered.text.length - shown;
  return (
    <div>
      <pre aria-label={label} tabIndex={0} className={`${pre} whitespace-pre-wrap break-all`}>
        {rest > 0 ? rendered.text.slice(0, shown) : rendered.text}
      </pre>
      {rest > 0 && (
        <button type="button" className={moreButton} onClick={() => setShown((n) => n * 4)}>
          Show more ({rest.toLocaleString('en')} characters not shown)
        </button>
      )}
      {!rendered.ok && <p className="mt-1 text-xs text-amber-800 dark:text-amber-300">{rendered.reason}</p>}
    </div>
  );
}

function HexDump({ bytes, label }: { bytes: Uint8Array; label: string }) {
  const [rowsShown, setRowsShown] = useState(SHOWN_HEX_ROWS);
  const rows = useMemo(() => hexDumpRows(bytes, 0, rowsShown), [bytes, rowsShown]);
  const rest = bytes.length - rows.length * HEX_ROW_BYTES;
  return (
    <div>
      <pre aria-label={label} tabIndex={0} className={`${pre} whitespace-pre`} data-format="hex">
        {rows.join('\n')}
      </pre>
      {rest > 0 && (
        <button type="button" className={moreButton} onClick={() => setRowsShown((n) => n * 4)}>
          Show more ({rest.toLocaleString('en')} bytes not shown)
        </button>
      )}
    </div>
  );
}
