/**
 * The topics list's state lives in the URL (`?q=&sort=&page=`) so a view can be shared.
 * Parsing is total: any unknown or malformed value falls back to the default.
 */
export const TOPIC_SORT_KEYS = ['name', 'partitions', 'replication'] as const;
export type TopicSortKey = (typeof TOPIC_SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

export interface TopicListState {
  q: string;
  sortKey: TopicSortKey;
  direction: SortDirection;
  page: number;
}

export const TOPICS_PAGE_SIZE = 20;

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function parseTopicListState(params: SearchParams): TopicListState {
  const q = (first(params.q) ?? '').trim().slice(0, 249);
  const rawSort = first(params.sort) ?? 'name';
  const direction: SortDirection = rawSort.startsWith('-') ? 'desc' : 'asc';
  const key = rawSort.replace(/^-/, '');
  const sortKey = (TOPIC_SORT_KEYS as readonly string[]).includes(key) ? (key as TopicSortKey) : 'name';
  const page = Number.parseInt(first(params.page) ?? '1', 10);
  return { q, sortKey, direction, page: Number.isSafeInteger(page) && page > 0 ? page : 1 };
}

/** The query string for a state, leaving defaults out so URLs stay short. */
export function topicListHref(state: TopicListState, change: Partial<TopicListState> = {}): string {
  const next = { ...state, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set('q', next.q);
  if (next.sortKey !== 'name' || next.direction !== 'asc') params.set('sort', `${next.direction === 'desc' ? '-' : ''}${next.sortKey}`);
  if (next.page > 1) params.set('page', String(next.page));
  const query = params.toString();
  return query ? `/topics?${query}` : '/topics';
}
