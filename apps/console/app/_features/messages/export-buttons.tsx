'use client';

import type { ReadRecord } from '@weir/contracts';
import { recordsCsv, recordsJson } from './record-export';

const button = 'rounded-md border border-slate-300 px-2 py-1 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800';

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** Downloads the records on screen (live-tailed ones included) as JSON or CSV, built in the browser. */
export function ExportButtons({ records, baseName }: { records: readonly ReadRecord[]; baseName: string }) {
  const none = records.length === 0;
  return (
    <div className="flex items-center gap-2" role="group" aria-label="Export the records shown">
      <button type="button" className={button} disabled={none} onClick={() => download(`${baseName}.json`, 'application/json', recordsJson(records))}>
        Export JSON
      </button>
      <button type="button" className={button} disabled={none} onClick={() => download(`${baseName}.csv`, 'text/csv', recordsCsv(records))}>
        Export CSV
      </button>
    </div>
  );
}
