import { consumerGroupDataListSchema, consumerGroupDataSchema, consumerLagDataListSchema, type OffsetResetData } from '@weir/contracts';
import type { Consumer } from 'kafkajs';
import { ClusterDatabase } from '../../support/cluster-database.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { kafkaClient } from '../../support/kafkajs.js';
import { call, type ErrorBody } from './v3-client.js';
import { waitFor } from '../../support/cluster-rest.js';

/**
 * Groups coordinated by a broker of another gateway: two gateways (broker 1, broker 2) on
 * one PostgreSQL registry. Gateway 1 serves every group, forwarding those broker 2
 * coordinates over the Kafka protocol (ListGroups, DescribeGroups, OffsetFetch,
 * OffsetCommit, DeleteGroups). Needs PostgreSQL, as the cluster suites.
 */
describe('REST v3 consumer groups coordinated in another process', () => {
  let db: ClusterDatabase;
  let one: TestGateway;
  let two: TestGateway;
  let base: string;
  let consumer: Consumer | undefined;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(one.baseUrl, method, path, body);
  const groups = Array.from({ length: 10 }, (_, i) => `far-${i}`);
  const coordinatorOf = async (g: string) => Number(consumerGroupDataSchema.parse((await api('GET', `${base}/consumer-groups/${g}`)).body).coordinator.related.split('/').at(-1));

  const until = (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => waitFor(what, check, timeoutMs, 50);

  beforeAll(async () => {
    db = await ClusterDatabase.create('groups_remote');
    const env = { DATABASE_URL: db.url, WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS: '0', WEIR_AUTO_LEADER_REBALANCE_ENABLE: 'false' };
    one = await startTestGateway({ env: { ...env, WEIR_BROKER_ID: '1' } });
    two = await startTestGateway({ env: { ...env, WEIR_BROKER_ID: '2' } });
    base = `/v3/clusters/${one.cluster.clusterId}`;
    await until('both brokers registered', async () => (await api<{ data: unknown[] }>('GET', `${base}/brokers`)).body.data.length === 2);
    await api('POST', `${base}/topics`, { topic_name: 'far', partitions_count: 1, replication_factor: 2 });
    await until('a record in far', async () => (await api('POST', `${base}/topics/far/records`, { partition_id: 0, value: { type: 'JSON', data: 1 } })).status === 200);
    await api('POST', `${base}/topics/far/records`, { partition_id: 0, value: { type: 'JSON', data: 2 } });
    for (const g of groups) {
      await until(`a commit for ${g}`, async () => (await api('POST', `${base}/consumer-groups/${g}/offsets:reset`, {
        mode: 'offset', offset: 1, topic_name: 'far', dry_run: false,
      })).status === 200);
    }
  }, 120_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await two?.close();
    await one?.close();
    await db?.drop();
  }, 60_000);

  it('lists and describes groups of both processes\' brokers, with lags, through one gateway', async () => {
    const list = consumerGroupDataListSchema.parse((await api('GET', `${base}/consumer-groups?search=far-&page_size=100`)).body);
    expect(list.data.map((g) => g.consumer_group_id).sort()).toEqual([...groups].sort());
    expect(new Set(list.data.map((g) => g.coordinator.related.split('/').at(-1)))).toEqual(new Set(['1', '2']));
    expect(list.data.every((g) => g.total_lag === 1 && g.state === 'EMPTY')).toBe(true);
    const remote = list.data.find((g) => g.coordinator.related.endsWith('/brokers/2'))!.consumer_group_id;
    const lags = consumerLagDataListSchema.parse((await api('GET', `${base}/consumer-groups/${remote}/lags`)).body).data;
    expect(lags.map((l) => [l.partition_id, l.current_offset, l.log_end_offset, l.lag])).toEqual([[0, 1, 2, 1]]);
  });

  it('resets and deletes a remote-coordinated group; refuses while a kafkajs consumer holds it', async () => {
    const remote = [];
    for (const g of groups) if ((await coordinatorOf(g)) === 2) remote.push(g);
    const [target, active] = remote as [string, string];
    const applied = await api<OffsetResetData>('POST', `${base}/consumer-groups/${target}/offsets:reset`, { mode: 'earliest', dry_run: false });
    expect(applied.body.data.map((p) => [p.current_offset, p.new_offset])).toEqual([[1, 0]]);
    expect((await api<{ total_lag: number }>('GET', `${base}/consumer-groups/${target}`)).body.total_lag).toBe(2);
    expect((await api('DELETE', `${base}/consumer-groups/${target}`)).status).toBe(204);
    expect((await api<ErrorBody>('GET', `${base}/consumer-groups/${target}`)).status).toBe(404);

    consumer = kafkaClient(two.bootstrap).consumer({ groupId: active, sessionTimeout: 10_000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'far', fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    await until('the remote group to be stable', async () => (await api<{ state: string }>('GET', `${base}/consumer-groups/${active}`)).body.state === 'STABLE');
    const members = await api<{ data: { client_id: string }[] }>('GET', `${base}/consumer-groups/${active}/consumers`);
    expect(members.body.data.map((m) => m.client_id)).toEqual(['weir-e2e']);
    const refused = await api<ErrorBody>('POST', `${base}/consumer-groups/${active}/offsets:reset`, { mode: 'earliest' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(`Assignments can only be reset if the group '${active}' is inactive, but the current state is Stable.`);
  }, 60_000);
});
