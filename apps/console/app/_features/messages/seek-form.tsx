import Form from 'next/form';
import { FORMAT_LABELS, VIEW_FORMATS } from './record-format';
import type { SeekState } from './seek-params';

const control = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900';

/**
 * A GET form: the browser's position, filters and format are in the URL, so a view of a
 * message can be shared. Filters are case-sensitive substrings, matched by the gateway
 * while it scans (at most its scan budget per page).
 */
export function SeekForm({ topic, state, partitionsCount }: { topic: string; state: SeekState; partitionsCount: number }) {
  return (
    <Form action={`/topics/${encodeURIComponent(topic)}`} className="flex flex-wrap items-end gap-3" aria-label="Seek messages">
      <input type="hidden" name="tab" value="messages" />
      <label className="flex flex-col gap-1 text-sm font-medium">
        Partition
        <select name="partition" defaultValue={state.partition} className={control}>
          {Array.from({ length: partitionsCount }, (_, p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Start at
        <select name="seek" defaultValue={state.seek} className={control}>
          <option value="newest">Newest</option>
          <option value="oldest">Oldest</option>
          <option value="offset">Offset</option>
          <option value="timestamp">Timestamp</option>
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Offset
        <input name="offset" inputMode="numeric" defaultValue={state.offset} placeholder="e.g. 1200" className={`${control} w-32`} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Timestamp
        <input name="ts" defaultValue={state.ts} placeholder="ISO 8601 or epoch ms" className={`${control} w-56`} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Order
        <select name="order" defaultValue={state.order} className={control}>
          <option value="newest_first">Newest first</option>
          <option value="oldest_first">Oldest first</option>
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Key contains
        <input name="key_contains" defaultValue={state.filters.key_contains ?? ''} className={`${control} w-40`} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Value contains
        <input name="value_contains" defaultValue={state.filters.value_contains ?? ''} className={`${control} w-48`} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Header contains
        <input name="header_contains" defaultValue={state.filters.header_contains ?? ''} placeholder="name or value" className={`${control} w-40`} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Show values as
        <select name="view" defaultValue={state.view} className={control}>
          <option value="auto">Detect per record</option>
          {VIEW_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800">
        Show messages
      </button>
    </Form>
  );
}
