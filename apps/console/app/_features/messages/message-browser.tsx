import Link from 'next/link';
import type { ReadRecordsResponse } from '@weir/contracts';
import { ErrorNotice } from '../../_components/error-notice';
import { formatCount } from '../../_lib/format';
import { GatewayError } from '../../_lib/gateway/http';
import { readRecords, recordsPath } from '../../_lib/gateway/records';
import { MessageList } from './message-list';
import { continueState, readRequestFor, seekQuery, type SeekState } from './seek-params';

export async function MessageBrowser({ topic, state }: { topic: string; state: SeekState }) {
  const planned = readRequestFor(state);
  if ('error' in planned) return <ErrorNotice title="Cannot seek there" message={planned.error} />;
  let response;
  try {
    response = await readRecords(topic, planned.request);
  } catch (err) {
    if (err instanceof GatewayError) return <ErrorNotice message={err.message} code={err.errorCode} />;
    throw err;
  }
  const records = planned.reverse ? [...response.records].reverse() : response.records;
  const readPath = await recordsPath(topic, state.partition);
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Partition {state.partition}: offsets {response.log_start_offset} to {response.high_watermark - 1} available · showing {records.length}
      </p>
      {response.scanned_records !== undefined && <ScanSummary topic={topic} state={state} response={response} direction={planned.request.direction} />}
      <MessageList topic={topic} partition={state.partition} records={records} readPath={readPath} view={state.view} />
    </div>
  );
}

/** How far a filtered read scanned, and where to go on when its budget ran out before the partition's end. */
function ScanSummary({ topic, state, response, direction }: { topic: string; state: SeekState; response: ReadRecordsResponse; direction: 'forward' | 'backward' }) {
  const next = continueState(state, direction, response.next_offset);
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="scan-summary">
      Filter matched {records(response.records.length)} of {records(response.scanned_records ?? 0)} scanned
      {response.scanned_to_offset !== undefined && response.scanned_to_offset >= 0 && <> · scanned up to offset {response.scanned_to_offset}</>}
      {response.scan_budget_exhausted === true && (
        <>
          {' '}
          — scan budget reached.{' '}
          <Link className="font-medium text-sky-700 underline dark:text-sky-400" href={`/topics/${encodeURIComponent(topic)}?${seekQuery(next).toString()}`}>
            Continue from offset {response.next_offset}
          </Link>
        </>
      )}
    </p>
  );
}

const records = (n: number) => `${formatCount(n)} record${n === 1 ? '' : 's'}`;
