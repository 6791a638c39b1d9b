import { consumerGroupDataListSchema, consumerGroupDataSchema, consumerLagDataListSchema } from '@weir/contracts';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { call } from './v3-client.js';
import { waitFor } from '../../support/cluster-rest.js';

/**
 * Consumer groups across three brokers hosted by one gateway: each group is served by the
 * broker leading its __consumer_offsets partition, the list gathers every broker's groups,
 * and a group's commits survive its coordinator's controlled shutdown (the offsets
 * partition's new leader loads them).
 */
describe('REST v3 consumer groups on three hosted brokers', () => {
  let gw: TestGateway;
  let base: string;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gw.baseUrl, method, path, body);
  const groups = Array.from({ length: 12 }, (_, i) => `spread-${i}`);

  const until = (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => waitFor(what, check, timeoutMs, 50);

  beforeAll(async () => {
    gw = await startTestGateway({ env: { WEIR_BROKERS: '3', WEIR_AUTO_LEADER_REBALANCE_ENABLE: 'false' } });
    base = `/v3/clusters/${gw.cluster.clusterId}`;
    await api('POST', `${base}/topics`, { topic_name: 'spread', partitions_count: 3, replication_factor: 3 });
    await api('POST', `${base}/topics/spread/records`, { partition_id: 0, value: { type: 'JSON', data: 1 } });
    for (const [i, g] of groups.entries()) {
      // The first commit creates __consumer_offsets; its partitions may still be loading: retry until committed.
      await until(`a commit for ${g}`, async () => (await api('POST', `${base}/consumer-groups/${g}/offsets:reset`, {
        mode: 'offset', offset: i % 2, partitions: [{ topic_name: 'spread', partition_id: 0 }], dry_run: false,
      })).status === 200);
    }
  }, 120_000);

  afterAll(async () => {
    await gw?.close();
  }, 60_000);

  it('lists every hosted broker\'s groups, each with the broker coordinating it', async () => {
    const list = consumerGroupDataListSchema.parse((await api('GET', `${base}/consumer-groups?search=spread-&page_size=100`)).body);
    expect(list.data.map((g) => g.consumer_group_id).sort()).toEqual([...groups].sort());
    const coordinators = new Set(list.data.map((g) => g.coordinator.related.split('/').at(-1)));
    expect(coordinators.size).toBeGreaterThan(1);
    // Group i committed offset i % 2 of a one-record partition: lag 1 - i % 2.
    for (const g of list.data) expect(g.total_lag).toBe(1 - (Number(g.consumer_group_id.split('-')[1]) % 2));
  });

  it('keeps a group\'s offsets when its coordinator shuts down and another broker takes the offsets partition', async () => {
    const group = consumerGroupDataSchema.parse((await api('GET', `${base}/consumer-groups/spread-3`)).body);
    const coordinator = Number(group.coordinator.related.split('/').at(-1));
    const stopped = await api('POST', `${base}/brokers/${coordinator}/controlled-shutdown`);
    expect(stopped.status).toBe(200);
    await until('another coordinator to serve spread-3', async () => {
      const answer = await api<{ coordinator?: { related: string } }>('GET', `${base}/consumer-groups/spread-3`);
      return answer.status === 200 && !answer.body.coordinator!.related.endsWith(`/brokers/${coordinator}`);
    });
    const lags = consumerLagDataListSchema.parse((await api('GET', `${base}/consumer-groups/spread-3/lags`)).body).data;
    expect(lags.map((l) => [l.partition_id, l.current_offset, l.log_end_offset])).toEqual([[0, 1, 1]]);
    expect((await api('POST', `${base}/brokers/${coordinator}/start`)).status).toBe(200);
  }, 60_000);
});
