import { type TopicSummary, type TopicSummaryQuery, topicSummaryQuerySchema } from '@weir/contracts';
import { BrokerHarness } from '../../../../../../libs/broker-core/src/broker/testing/broker-harness.js';
import { TopicSummariesService } from './topic-summaries.service.js';

/** 2,000 topics in a real broker (in-memory registry): search, sort and paging checked against plain array work. */
describe('TopicSummariesService at 2,000 topics', () => {
  const TOPICS = 2000;
  let h: BrokerHarness;
  let service: TopicSummariesService;
  const names = Array.from({ length: TOPICS }, (_, i) => `${i % 7 === 0 ? 'Orders' : 'events'}-${String(i).padStart(4, '0')}`);
  const partitionsOf = (i: number) => (i % 4) + 1;
  const query = (q: Partial<Record<keyof TopicSummaryQuery, string>>) => service.list(topicSummaryQuerySchema.parse(q));
  const all = async (q: Partial<Record<keyof TopicSummaryQuery, string>>): Promise<TopicSummary[]> => {
    const rows: TopicSummary[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await query({ ...q, offset: String(offset), limit: '500' });
      rows.push(...page.data);
      if (offset + 500 >= page.metadata.total) return rows;
    }
  };

  beforeAll(async () => {
    h = await BrokerHarness.start();
    for (let i = 0; i < TOPICS; i += 200) {
      await Promise.all(names.slice(i, i + 200).map((name, j) => h.broker.createTopic({ name, partitions: partitionsOf(i + j) })));
    }
    // Sizes: topic i gets i records, for a few topics.
    for (const i of [3, 10, 42]) await h.broker.produce(names[i]!, Array.from({ length: i }, () => ({ key: null, value: Buffer.from('0123456789') })));
    service = new TopicSummariesService(h.broker);
  }, 120_000);

  afterAll(() => h?.close());

  it('pages through every topic once, by name, with totals', async () => {
    const first = await query({});
    expect(first.metadata).toEqual({ total: TOPICS, offset: 0, limit: 50 });
    expect(first.data).toHaveLength(50);
    const rows = await all({});
    expect(rows.map((r) => r.topic_name)).toEqual([...names].sort());
    const byName = new Map(rows.map((r) => [r.topic_name, r]));
    expect(byName.get(names[5]!)).toMatchObject({ partitions_count: partitionsOf(5), replication_factor: 1, under_replicated_partitions: 0, offline_partitions: 0 });
    const last = await query({ offset: String(TOPICS - 10), limit: '50' });
    expect(last.data).toHaveLength(10);
    expect((await query({ offset: String(TOPICS + 5) })).data).toEqual([]);
  });

  it('searches case-insensitively and counts the matches', async () => {
    const expected = names.filter((n) => n.toLowerCase().includes('orders')).sort();
    const page = await query({ name_contains: 'ORDERS', limit: '500' });
    expect(page.metadata.total).toBe(expected.length);
    expect(page.data.map((r) => r.topic_name)).toEqual(expected);
    expect((await query({ name_contains: 'no-such-topic' })).metadata.total).toBe(0);
  });

  it('sorts by partitions both ways, ties by name', async () => {
    const expected = names.map((n, i) => ({ n, p: partitionsOf(i) })).sort((a, b) => a.p - b.p || (a.n < b.n ? -1 : 1)).map((x) => x.n);
    expect((await all({ sort_by: 'partitions' })).map((r) => r.topic_name)).toEqual(expected);
    expect((await all({ sort_by: 'partitions', order: 'desc' })).map((r) => r.topic_name)).toEqual([...expected].reverse());
  });

  it('sorts by size: the topics written to come first, largest first', async () => {
    const top = (await query({ sort_by: 'size', order: 'desc', limit: '3' })).data;
    expect(top.map((r) => r.topic_name)).toEqual([names[42], names[10], names[3]]);
    expect(top[0]!.size_bytes).toBeGreaterThan(top[1]!.size_bytes);
    expect(top[2]!.size_bytes).toBeGreaterThan(0);
  });

  it('names no consumer groups where none committed', async () => {
    const page = await query({ limit: '5' });
    expect(page.data.map((r) => [r.consumer_groups_count, r.consumer_groups, r.total_lag])).toEqual(Array.from({ length: 5 }, () => [0, [], 0]));
  });
});
