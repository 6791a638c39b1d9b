import { lastPage, parseTopicListState, topicListHref, topicSummaryQuery } from './topic-list-state';

describe('topic list state in the URL', () => {
  it('parses search, sort, page and page size, falling back to defaults on nonsense', () => {
    expect(parseTopicListState({ q: ' ord ', sort: '-partitions', page: '3', size: '20' }))
      .toEqual({ q: 'ord', sortKey: 'partitions', direction: 'desc', page: 3, pageSize: 20 });
    expect(parseTopicListState({ sort: 'total_lag', page: '-2', size: '7' })).toEqual({ q: '', sortKey: 'name', direction: 'asc', page: 1, pageSize: 50 });
    expect(parseTopicListState({ page: ['2', '5'] }).page).toBe(2);
  });

  it('writes the shortest href that round-trips', () => {
    const state = parseTopicListState({});
    expect(topicListHref(state)).toBe('/topics');
    const href = topicListHref(state, { q: 'a b', sortKey: 'under_replicated', direction: 'desc', page: 2, pageSize: 100 });
    expect(href).toBe('/topics?q=a+b&sort=-under_replicated&page=2&size=100');
    const params = Object.fromEntries(new URL(href, 'http://x').searchParams);
    expect(parseTopicListState(params)).toEqual({ q: 'a b', sortKey: 'under_replicated', direction: 'desc', page: 2, pageSize: 100 });
  });

  it('asks the gateway for the page at its offset', () => {
    const state = parseTopicListState({ q: 'pay', sort: '-size', page: '3', size: '20' });
    expect(topicSummaryQuery(state)).toEqual({ name_contains: 'pay', sort_by: 'size', order: 'desc', offset: 40, limit: 20, include_internal: 'true' });
  });

  it('counts pages, one at least', () => {
    expect([lastPage(0, 50), lastPage(50, 50), lastPage(51, 50), lastPage(10_000, 20)]).toEqual([1, 1, 2, 500]);
  });
});
