import type { ReadRequest, ReadStart, RecordFilters } from '../../_lib/gateway/records';
import { isViewFormat, type ViewFormat } from './record-format';

/**
 * The message browser's state in the URL:
 * `?tab=messages&partition=&seek=&offset=&ts=&order=&view=&key_contains=&value_contains=&header_contains=`.
 */
export interface SeekState {
  partition: number;
  seek: 'newest' | 'oldest' | 'offset' | 'timestamp';
  offset: string;
  ts: string;
  order: 'newest_first' | 'oldest_first';
  /** The page's format; each record can still be switched. `auto` guesses per record. */
  view: ViewFormat | 'auto';
  filters: RecordFilters;
}

const FILTERS = ['key_contains', 'value_contains', 'header_contains'] as const;

export const MESSAGES_PER_PAGE = 50;
/** Keys and values longer than this arrive cut; "show all" fetches the whole record. */
export const PREVIEW_FIELD_BYTES = 4096;

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export function parseSeekState(params: Params, partitionsCount: number): SeekState {
  const partition = Number.parseInt(first(params.partition), 10);
  const seek = first(params.seek);
  return {
    partition: Number.isInteger(partition) && partition >= 0 && partition < partitionsCount ? partition : 0,
    seek: seek === 'offset' || seek === 'timestamp' || seek === 'oldest' ? seek : 'newest',
    offset: first(params.offset).trim(),
    ts: first(params.ts).trim(),
    order: first(params.order) === 'oldest_first' ? 'oldest_first' : 'newest_first',
    view: isViewFormat(first(params.view)) ? (first(params.view) as ViewFormat) : 'auto',
    filters: Object.fromEntries(FILTERS.map((f) => [f, first(params[f])]).filter(([, v]) => v !== '')) as RecordFilters,
  };
}

/** The URL query of a state (for links such as "continue the scan"). */
export function seekQuery(state: SeekState): URLSearchParams {
  const query = new URLSearchParams({ tab: 'messages', partition: String(state.partition), seek: state.seek, order: state.order });
  if (state.offset !== '') query.set('offset', state.offset);
  if (state.ts !== '') query.set('ts', state.ts);
  if (state.view !== 'auto') query.set('view', state.view);
  for (const [name, value] of Object.entries(state.filters)) if (value !== undefined) query.set(name, value);
  return query;
}

/** Where a filtered read that ran out of scan budget goes on: from its next offset, in the same direction. */
export function continueState(state: SeekState, direction: 'forward' | 'backward', nextOffset: number): SeekState {
  return { ...state, seek: 'offset', offset: String(nextOffset), order: direction === 'backward' ? 'newest_first' : 'oldest_first' };
}

function parseTimestamp(text: string): number | null {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isSafeInteger(ms) && ms >= 0 ? ms : null;
}

/**
 * The read to send (and whether to reverse the page it returns, which arrives in read
 * order), or a message saying what in the seek form is wrong.
 */
export function readRequestFor(state: SeekState): { request: ReadRequest; reverse: boolean } | { error: string } {
  let start: ReadStart;
  switch (state.seek) {
    case 'newest':
    case 'oldest':
      start = { kind: state.seek };
      break;
    case 'offset': {
      if (!/^\d{1,15}$/.test(state.offset)) return { error: 'Offset must be a non-negative integer' };
      start = { kind: 'offset', offset: Number(state.offset) };
      break;
    }
    case 'timestamp': {
      const ms = parseTimestamp(state.ts);
      if (ms === null) return { error: 'Timestamp must be an ISO 8601 date-time or milliseconds since the epoch' };
      start = { kind: 'timestamp', timestampMs: ms };
      break;
    }
    default: {
      const never: never = state.seek;
      throw new Error(`unknown seek ${String(never)}`);
    }
  }
  // From an offset or a time, the order picks the direction: newest first reads backward
  // (the records up to that point), oldest first forward. "Newest" and "oldest" always read
  // from their end of the log, and the page is reversed when the order asks for it.
  const direction = start.kind === 'newest' ? 'backward' : start.kind === 'oldest' ? 'forward' : state.order === 'newest_first' ? 'backward' : 'forward';
  const reverse = (direction === 'backward') !== (state.order === 'newest_first');
  return { request: { partition: state.partition, start, direction, maxRecords: MESSAGES_PER_PAGE, maxFieldBytes: PREVIEW_FIELD_BYTES, format: 'base64', filters: state.filters }, reverse };
}
