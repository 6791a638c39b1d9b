import type { Admin, Consumer, Producer } from 'kafkajs';
import { type TopicSummary, type TopicSummaryList, topicSummaryListSchema, TOPIC_SUMMARY_SORT_KEYS, type TopicSummarySortKey } from '@weir/contracts';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { kafkaClient } from '../../support/kafkajs.js';
import { waitFor } from '../../support/cluster-rest.js';
import { call, type ErrorBody } from './v3-client.js';

/** What each sort key orders by, read from the summaries themselves. */
const FIELD: Record<TopicSummarySortKey, keyof TopicSummary> = {
  name: 'topic_name',
  partitions: 'partitions_count',
  replication_factor: 'replication_factor',
  under_replicated: 'under_replicated_partitions',
  size: 'size_bytes',
  records_in: 'records_in_per_sec',
};

describe('REST v3 topic summaries (Weir): search, sort, paging, consumer groups and lag', () => {
  let gw: TestGateway;
  let base: string;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer | undefined;
  const topics = Array.from({ length: 24 }, (_, i) => `${i % 3 === 0 ? 'Payments' : 'clicks'}-${String(i).padStart(2, '0')}`);
  const summaries = async (query: string): Promise<TopicSummaryList> => {
    const answer = await call(gw.baseUrl, 'GET', `${base}/topic-summaries${query}`);
    expect(answer.status).toBe(200);
    return topicSummaryListSchema.parse(answer.body);
  };
  const send = (topic: string, count: number, from = 0) =>
    producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ partition: 0, value: `${topic}-${from + i}` })) });

  beforeAll(async () => {
    gw = await startTestGateway();
    base = `/v3/clusters/${gw.cluster.clusterId}`;
    const kafka = kafkaClient(gw.bootstrap);
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ topics: topics.map((topic, i) => ({ topic, numPartitions: (i % 5) + 1 })) });
    // Distinct sizes for a few topics: 30, 20 and 10 records.
    await Promise.all([send(topics[4]!, 30), send(topics[7]!, 20), send(topics[11]!, 10)]);
  }, 60_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await Promise.all([admin?.disconnect(), producer?.disconnect()]);
    await gw?.close();
  }, 30_000);

  it('lists a first page by name, counting every match', async () => {
    const page = await summaries('?limit=10');
    expect(page.kind).toBe('KafkaTopicSummaryList');
    expect(page.metadata).toEqual({ total: topics.length, offset: 0, limit: 10 });
    expect(page.data.map((t) => t.topic_name)).toEqual([...topics].sort().slice(0, 10));
    expect(page.data[0]).toMatchObject({ is_internal: false, replication_factor: 1, under_replicated_partitions: 0, offline_partitions: 0 });
  });

  it('pages: offsets walk the sorted list without gaps or repeats; past the end is empty', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < topics.length; offset += 7) {
      const page = await summaries(`?limit=7&offset=${offset}&sort_by=partitions&order=desc`);
      expect(page.metadata.total).toBe(topics.length);
      seen.push(...page.data.map((t) => t.topic_name));
    }
    expect(seen).toEqual((await summaries('?limit=500&sort_by=partitions&order=desc')).data.map((t) => t.topic_name));
    expect(new Set(seen).size).toBe(topics.length);
    expect((await summaries('?offset=100')).data).toEqual([]);
  });

  it('searches names case-insensitively; internal topics only when asked', async () => {
    const page = await summaries('?name_contains=PAYMENTS&limit=500');
    expect(page.data.map((t) => t.topic_name)).toEqual(topics.filter((t) => t.startsWith('Payments')).sort());
    expect(page.metadata.total).toBe(8);
    // kafkajs's consumer below creates __consumer_offsets; before then, none is internal here.
    expect((await summaries('?limit=500')).data.every((t) => !t.is_internal)).toBe(true);
  });

  it.each(TOPIC_SUMMARY_SORT_KEYS.flatMap((key) => [[key, 'asc'], [key, 'desc']] as const))('sorts by %s %s, ties by name', async (key, order) => {
    const rows = (await summaries(`?limit=500&sort_by=${key}&order=${order}`)).data;
    expect(rows).toHaveLength(topics.length);
    const field = FIELD[key];
    const byName = (a: TopicSummary, b: TopicSummary) => (a.topic_name < b.topic_name ? -1 : 1);
    const compare = (a: TopicSummary, b: TopicSummary) =>
      key === 'name' ? byName(a, b) : (a[field] as number) - (b[field] as number) || byName(a, b);
    const expected = [...rows].sort(order === 'asc' ? compare : (a, b) => compare(b, a));
    expect(rows.map((r) => r.topic_name)).toEqual(expected.map((r) => r.topic_name));
  });

  it('reports sizes from the logs and partitions as created', async () => {
    const top = (await summaries('?sort_by=size&order=desc&limit=3')).data;
    expect(top.map((t) => t.topic_name)).toEqual([topics[4], topics[7], topics[11]]);
    const byPartitions = (await summaries('?sort_by=partitions&order=desc&limit=1')).data[0]!;
    expect(byPartitions.partitions_count).toBe(5);
  });

  it('measures records in per second over the last sample interval', async () => {
    await summaries('');
    await send(topics[1]!, 50);
    const rate = await waitFor('a records-in rate', async () => {
      const row = (await summaries(`?name_contains=${topics[1]}`)).data[0];
      return row !== undefined && row.records_in_per_sec > 0 ? row : undefined;
    }, 10_000, 250);
    expect(rate.bytes_in_per_sec).toBeGreaterThan(0);
  });

  it('names the consumer groups that committed on a topic and their lag', async () => {
    const topic = topics[2]!;
    await send(topic, 5);
    consumer = kafkaClient(gw.bootstrap).consumer({ groupId: 'summary-readers', rebalanceTimeout: 5_000, sessionTimeout: 6_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let consumed = 0;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        await consumer!.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
        consumed++;
      },
    });
    await waitFor('five messages consumed and committed', () => Promise.resolve(consumed >= 5), 30_000, 50);
    await consumer.disconnect();
    consumer = undefined;
    await send(topic, 3, 5);

    const row = (await summaries(`?name_contains=${topic}`)).data[0]!;
    expect(row).toMatchObject({ topic_name: topic, consumer_groups_count: 1, consumer_groups: ['summary-readers'], total_lag: 3 });
    const other = (await summaries(`?name_contains=${topics[1]}`)).data[0]!;
    expect(other).toMatchObject({ consumer_groups_count: 0, consumer_groups: [], total_lag: 0 });
    const internal = (await summaries('?include_internal=true&name_contains=__consumer_offsets')).data;
    expect(internal.map((t) => [t.topic_name, t.is_internal])).toEqual([['__consumer_offsets', true]]);
  }, 60_000);

  it.each([
    ['limit=0'], ['limit=501'], ['limit=ten'], ['offset=-1'], ['sort_by=total_lag'], ['order=up'], ['include_internal=yes'],
  ])('answers %s with a Confluent 400', async (query) => {
    const answer = await call<ErrorBody>(gw.baseUrl, 'GET', `${base}/topic-summaries?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe(400);
    expect(typeof answer.body.message).toBe('string');
  });

  it('is documented in /openapi.json as a Weir extension, with its query parameters', async () => {
    type Operation = { summary?: string; description?: string; parameters?: { name: string }[]; responses: Record<string, unknown> };
    const doc = (await (await fetch(`${gw.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const op = doc.paths['/v3/clusters/{cluster_id}/topic-summaries']?.get;
    expect(op?.summary).toContain('Weir extension');
    expect(op?.description).toContain('not included');
    expect(op?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['name_contains', 'sort_by', 'order', 'offset', 'limit', 'include_internal']));
    expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
  });

  it('answers an unknown cluster with 404', async () => {
    expect((await call<ErrorBody>(gw.baseUrl, 'GET', '/v3/clusters/nope/topic-summaries')).status).toBe(404);
  });
});
