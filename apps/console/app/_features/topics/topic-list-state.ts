import { TOPIC_SUMMARY_SORT_KEYS, type TopicSummarySortKey } from '@weir/contracts';

/**
 * The topics list's state lives in the URL (`?q=&sort=&page=&size=`) so a view can be
 * shared; the gateway searches, sorts and pages (topic-summaries). Parsing is total: any
 * unknown or malformed value falls back to the default.
 */
export type SortDirection = 'asc' | 'desc';

export interface TopicListState {
  q: string;
  sortKey: TopicSummarySortKey;
  direction: SortDirection;
  page: number;
  pageSize: number;
}

export const TOPIC_PAGE_SIZES = [20, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 50;

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function parseTopicListState(params: SearchParams): TopicListState {
  const q = (first(params.q) ?? '').trim().slice(0, 249);
  const rawSort = first(params.sort) ?? 'name';
  const direction: SortDirection = rawSort.startsWith('-') ? 'desc' : 'asc';
  const key = rawSort.replace(/^-/, '');
  const sortKey = (TOPIC_SUMMARY_SORT_KEYS as readonly string[]).includes(key) ? (key as TopicSummarySortKey) : 'name';
  const page = Number.parseInt(first(params.page) ?? '1', 10);
  const size = Number(first(params.size));
  return {
    q,
    sortKey,
    direction,
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
    pageSize: (TOPIC_PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

/** The query string for a state, leaving defaults out so URLs stay short. */
export function topicListHref(state: TopicListState, change: Partial<TopicListState> = {}): string {
  const next = { ...state, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set('q', next.q);
  if (next.sortKey !== 'name' || next.direction !== 'asc') params.set('sort', `${next.direction === 'desc' ? '-' : ''}${next.sortKey}`);
  if (next.page > 1) params.set('page', String(next.page));
  if (next.pageSize !== DEFAULT_PAGE_SIZE) params.set('size', String(next.pageSize));
  const query = params.toString();
  return query ? `/topics?${query}` : '/topics';
}

/** The gateway's topic-summaries query for a state's page (internal topics listed, with a badge). */
export function topicSummaryQuery(state: TopicListState): Record<string, string | number> {
  return {
    name_contains: state.q,
    sort_by: state.sortKey,
    order: state.direction,
    offset: (state.page - 1) * state.pageSize,
    limit: state.pageSize,
    include_internal: 'true',
  };
}

/** The last page for a total (1 when there is nothing), for clamping and the "last" link. */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
