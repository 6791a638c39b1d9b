import { parseTopicListState, topicListHref } from './topic-list-state';
import { queryTopics, type TopicRow } from './topic-query';

const row = (name: string, partitions = 1, replicationFactor = 1): TopicRow => ({ name, partitions, replicationFactor, internal: false });

describe('topic list state in the URL', () => {
  it('parses search, sort and page, falling back to defaults on nonsense', () => {
    expect(parseTopicListState({ q: ' ord ', sort: '-partitions', page: '3' })).toEqual({ q: 'ord', sortKey: 'partitions', direction: 'desc', page: 3 });
    expect(parseTopicListState({ sort: 'bogus', page: '-2' })).toEqual({ q: '', sortKey: 'name', direction: 'asc', page: 1 });
    expect(parseTopicListState({ page: ['2', '5'] }).page).toBe(2);
  });

  it('writes the shortest href that round-trips', () => {
    const state = parseTopicListState({});
    expect(topicListHref(state)).toBe('/topics');
    const href = topicListHref(state, { q: 'a b', sortKey: 'replication', direction: 'desc', page: 2 });
    expect(href).toBe('/topics?q=a+b&sort=-replication&page=2');
    const params = Object.fromEntries(new URL(href, 'http://x').searchParams);
    expect(parseTopicListState(params)).toEqual({ q: 'a b', sortKey: 'replication', direction: 'desc', page: 2 });
  });
});

describe('queryTopics', () => {
  const topics = [row('orders', 6, 3), row('payments', 3, 1), row('Orders-dlq', 1, 3), row('audit', 12, 2)];

  it('filters by case-insensitive substring and sorts by name', () => {
    const page = queryTopics(topics, parseTopicListState({ q: 'ORD' }), 10);
    expect(page.rows.map((r) => r.name)).toEqual(['orders', 'Orders-dlq']);
    expect(page.total).toBe(2);
  });

  it('sorts descending by partitions with the name as tie-breaker', () => {
    const page = queryTopics([...topics, row('zeta', 6)], parseTopicListState({ sort: '-partitions' }), 10);
    expect(page.rows.map((r) => r.name)).toEqual(['audit', 'zeta', 'orders', 'payments', 'Orders-dlq']);
  });

  it('paginates and clamps a page past the end', () => {
    const many = Array.from({ length: 45 }, (_, i) => row(`t-${String(i).padStart(2, '0')}`));
    const last = queryTopics(many, parseTopicListState({ page: '9' }), 20);
    expect(last).toMatchObject({ page: 3, pageCount: 3, total: 45 });
    expect(last.rows.map((r) => r.name)).toEqual(['t-40', 't-41', 't-42', 't-43', 't-44']);
  });

  it('has one empty page when nothing matches', () => {
    expect(queryTopics(topics, parseTopicListState({ q: 'nope' }), 20)).toEqual({ rows: [], total: 0, page: 1, pageCount: 1 });
  });
});
