import type { TopicListState } from './topic-list-state';

export interface TopicRow {
  name: string;
  partitions: number;
  replicationFactor: number;
  internal: boolean;
}

export interface TopicPage {
  rows: TopicRow[];
  total: number;
  page: number;
  pageCount: number;
}

const compareBy: Record<TopicListState['sortKey'], (a: TopicRow, b: TopicRow) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  partitions: (a, b) => a.partitions - b.partitions || a.name.localeCompare(b.name),
  replication: (a, b) => a.replicationFactor - b.replicationFactor || a.name.localeCompare(b.name),
};

/**
 * Search (case-insensitive substring of the name), sort and paginate on the console's
 * server, so the browser receives one page however many topics the cluster has.
 * A page past the end is clamped to the last page.
 */
export function queryTopics(topics: readonly TopicRow[], state: TopicListState, pageSize: number): TopicPage {
  const needle = state.q.toLowerCase();
  const matching = needle ? topics.filter((t) => t.name.toLowerCase().includes(needle)) : [...topics];
  const compare = compareBy[state.sortKey];
  matching.sort(state.direction === 'asc' ? compare : (a, b) => compare(b, a));
  const pageCount = Math.max(1, Math.ceil(matching.length / pageSize));
  const page = Math.min(state.page, pageCount);
  return { rows: matching.slice((page - 1) * pageSize, page * pageSize), total: matching.length, page, pageCount };
}
