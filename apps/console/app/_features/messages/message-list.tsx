'use client';

import type { ReadRecord } from '@weir/contracts';
import { useState } from 'react';
import { useLiveStatus } from '../live/live-provider';
import { ExportButtons } from './export-buttons';
import { RecordCard } from './record-card';
import type { ViewFormat } from './record-format';
import { TAIL_CAP, TailSubscription, useRecordsTail } from './use-records-tail';

const toggle = 'rounded-md border px-2 py-1 text-sm font-medium';

interface Props {
  topic: string;
  partition: number;
  /** The page the server read, in display order. */
  records: ReadRecord[];
  readPath: string;
  view: ViewFormat | 'auto';
}

/**
 * The records of a page, and above them a live tail of the partition when switched on
 * (newest first, the last TAIL_CAP kept; paused, new records wait until resumed).
 * Exports take everything shown.
 */
export function MessageList({ topic, partition, records, readPath, view }: Props) {
  const channel = `records:${topic}:${partition}` as const;
  const [tailing, setTailing] = useState(false);
  const [paused, setPaused] = useState(false);
  const tail = useRecordsTail(channel, paused);
  const socket = useLiveStatus();
  const shown = [...tail.records, ...records];

  function togglePause() {
    if (paused) tail.resume();
    setPaused(!paused);
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          aria-pressed={tailing}
          onClick={() => setTailing(!tailing)}
          className={`${toggle} ${tailing ? 'border-emerald-700 bg-emerald-700 text-white' : 'border-slate-300 dark:border-slate-700'}`}
        >
          Live tail
        </button>
        {tailing && (
          <button type="button" onClick={togglePause} className={`${toggle} border-slate-300 dark:border-slate-700`}>
            {paused ? 'Resume' : 'Pause'}
          </button>
        )}
        <p role="status" className="text-sm text-slate-700 dark:text-slate-300" data-testid="tail-state">
          {!tailing
            ? 'Live tail off'
            : socket !== 'open'
              ? 'Live tail: connecting…'
              : paused
                ? `Paused: ${tail.held.length} new record(s) held`
                : `● Live: new records of partition ${partition} appear here${tail.from === null ? '' : ` (from offset ${tail.from})`}`}
        </p>
        <div className="ml-auto">
          <ExportButtons records={shown} baseName={`${topic}-p${partition}`} />
        </div>
      </div>
      {tailing && <TailSubscription channel={channel} onFrame={tail.onFrame} />}
      {tail.records.length > 0 && (
        <ol className="space-y-2" aria-label={`Live records of partition ${partition} (newest first, last ${TAIL_CAP} kept)`}>
          {tail.records.map((r) => (
            <RecordCard key={`live-${r.offset}`} record={r} readPath={readPath} defaultFormat={view} />
          ))}
        </ol>
      )}
      {records.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No messages here.</p>
      ) : (
        <ol className="space-y-2" aria-label={`Messages of partition ${partition}`}>
          {records.map((r) => (
            <RecordCard key={r.offset} record={r} readPath={readPath} defaultFormat={view} />
          ))}
        </ol>
      )}
    </div>
  );
}
