import { ErrorNotice } from '../../_components/error-notice';
import { GatewayError } from '../../_lib/gateway/http';
import { readRecords, recordsPath } from '../../_lib/gateway/records';
import { RecordCard } from './record-card';
import { readRequestFor, type SeekState } from './seek-params';

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
      {records.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No messages here.</p>
      ) : (
        <ol className="space-y-2" aria-label={`Messages of partition ${state.partition}`}>
          {records.map((r) => (
            <RecordCard key={r.offset} record={r} readPath={readPath} />
          ))}
        </ol>
      )}
    </div>
  );
}
