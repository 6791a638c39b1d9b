import { BrokerIdZNode, KafkaPaths, type Registry } from '@weir/broker-core';
import {
  brokerDataListSchema,
  brokerDataSchema,
  type BrokerData,
  type ClusterData,
  clusterHealthDataSchema,
  type ClusterHealthData,
  type PartitionData,
  partitionDataListSchema,
  partitionOutcomeDataListSchema,
  type PartitionOutcomeDataList,
  reassignmentDataListSchema,
  reassignmentDataSchema,
  type ReplicaData,
} from '@weir/contracts';
import { REGISTRY } from '../../../apps/gateway/src/registry/registry.module.js';
import { LiveClient } from '../../live/live-client.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { call, type ErrorBody } from './v3-client.js';

type List<T> = { kind: string; metadata: { self: string }; data: T[] };

/**
 * The cluster endpoints against a gateway hosting three brokers (WEIR_BROKERS=3):
 * brokers with their status, health, partitions with leader and ISR, leader elections,
 * reassignments, and stopping and starting hosted brokers, happy and error paths.
 */
describe('REST v3 with three brokers in the gateway', () => {
  let gw: TestGateway;
  let base: string;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gw.baseUrl, method, path, body);
  const partitions = async (topic: string) => partitionDataListSchema.parse((await api('GET', `${base}/topics/${topic}/partitions`)).body).data;
  const brokers = async () => brokerDataListSchema.parse((await api('GET', `${base}/brokers`)).body).data;
  const health = async () => clusterHealthDataSchema.parse((await api<ClusterHealthData>('GET', `${base}/health`)).body);

  async function until<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, withinMs = 20_000): Promise<T> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const value = await probe();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const inSync = (ps: PartitionData[]) => ps.every((p) => p.isr.length === p.replica_ids.length && p.leader_id !== null);

  beforeAll(async () => {
    gw = await startTestGateway({
      env: { WEIR_BROKERS: '3', WEIR_SESSION_TIMEOUT_MS: '6000', WEIR_REPLICA_LAG_TIME_MAX_MS: '2000', WEIR_AUTO_LEADER_REBALANCE_ENABLE: 'false' },
    });
    const clusters = await api<List<ClusterData>>('GET', '/v3/clusters');
    base = `/v3/clusters/${clusters.body.data[0]!.cluster_id}`;
    await api('POST', `${base}/topics`, { topic_name: 'orders', partitions_count: 3, replication_factor: 3 });
    await until('every replica of orders in sync', () => partitions('orders'), inSync);
  }, 90_000);

  afterAll(async () => {
    await gw?.close();
  }, 60_000);

  describe('brokers and health', () => {
    it('lists three hosted brokers, one of them the controller, each on its own Kafka port', async () => {
      const list = await brokers();
      expect(list.map((b) => [b.broker_id, b.status, b.hosted_here])).toEqual([[1, 'online', true], [2, 'online', true], [3, 'online', true]]);
      expect(list.filter((b) => b.is_controller)).toHaveLength(1);
      expect(list.map((b) => `127.0.0.1:${b.port}`)).toEqual(gw.bootstraps);
      for (const b of list) {
        expect(b.replicas).toBe(3);
        expect(b.out_of_sync_replicas).toBe(0);
        expect(b.log_dir_size_bytes).toEqual(expect.any(Number));
      }
      expect(list.reduce((n, b) => n + b.partitions_led, 0)).toBe(3);
      const cluster = (await api<ClusterData>('GET', base)).body;
      expect(cluster.health.related).toBe(`${gw.baseUrl}${base}/health`);
    });

    it('gets one broker; an unknown one is 404, a malformed id 400', async () => {
      const one = await api<BrokerData>('GET', `${base}/brokers/2`);
      expect(brokerDataSchema.parse(one.body)).toMatchObject({ broker_id: 2, status: 'online', hosted_here: true });
      expect((await api<ErrorBody>('GET', `${base}/brokers/9`)).body).toEqual({ error_code: 404, message: 'Broker 9 cannot be found.' });
      expect((await api<ErrorBody>('GET', `${base}/brokers/x/start`)).status).toBe(404);
      expect((await api<ErrorBody>('POST', `${base}/brokers/x/start`)).status).toBe(400);
    });

    it('reports a healthy cluster', async () => {
      expect(await health()).toMatchObject({
        kind: 'KafkaClusterHealth', brokers_online: 3, brokers_offline: 0, partitions_count: 3,
        under_replicated_partitions: 0, under_min_isr_partitions: 0, offline_partitions: 0,
      });
      expect((await health()).controller_id).toEqual(expect.any(Number));
    });

    it('puts every hosted broker and the cluster health on /metrics', async () => {
      const text = await (await fetch(`${gw.baseUrl}/metrics`)).text();
      for (const id of [1, 2, 3]) expect(text).toMatch(new RegExp(`^weir_kafka_connections\\{broker="${id}"\\} \\d+$`, 'm'));
      expect(text).toMatch(/^weir_cluster_brokers_online 3$/m);
      expect(text).toMatch(/^weir_cluster_partitions_under_replicated 0$/m);
    });
  });

  describe('partitions and replicas', () => {
    it('shows leader, replicas and ISR of each partition', async () => {
      for (const p of await partitions('orders')) {
        expect(p.replica_ids).toHaveLength(3);
        expect(p.isr.sort()).toEqual([...p.replica_ids].sort());
        expect(p.replica_ids).toContain(p.leader_id);
        expect(p.leader?.related).toBe(`${gw.baseUrl}${base}/topics/orders/partitions/${p.partition_id}/replicas/${p.leader_id}`);
        expect(p).toMatchObject({ is_offline: false, offline_replicas: [], adding_replicas: [], removing_replicas: [] });
      }
      const replicas = (await api<List<ReplicaData>>('GET', `${base}/topics/orders/partitions/0/replicas`)).body.data;
      expect(replicas.filter((r) => r.is_leader)).toHaveLength(1);
      expect(replicas.every((r) => r.is_in_sync && !r.is_offline)).toBe(true);
    });
  });

  describe('stopping and starting hosted brokers', () => {
    it('stops a broker as a crash: it goes offline, its partitions get other leaders, the cluster counts it', async () => {
      const stopped = await api<BrokerData>('POST', `${base}/brokers/3/stop`);
      expect(stopped.status).toBe(200);
      expect(stopped.body).toMatchObject({ broker_id: 3, status: 'offline', host: null, hosted_here: true });
      const after = await until('leaders away from broker 3 and it out of every ISR', () => partitions('orders'), (ps) => ps.every((p) => p.leader_id !== 3 && !p.isr.includes(3)));
      for (const p of after) expect(p.offline_replicas).toEqual([3]);
      const replica = (await api<ReplicaData>('GET', `${base}/topics/orders/partitions/0/replicas/3`)).body;
      expect(replica).toMatchObject({ is_in_sync: false, is_offline: true, is_leader: false });
      expect(await health()).toMatchObject({ brokers_online: 2, brokers_offline: 1, under_replicated_partitions: 3, offline_partitions: 0 });
      expect((await brokers()).find((b) => b.broker_id === 3)).toMatchObject({ status: 'offline', out_of_sync_replicas: 3, partitions_led: 0 });

      const again = await api<ErrorBody>('POST', `${base}/brokers/3/stop`);
      expect(again.status).toBe(409);
      expect(again.body.error_code).toBe(40901);
    }, 60_000);

    it('starts it again: online on the same port, back in every ISR', async () => {
      const port = gw.bootstraps[2];
      const started = await api<BrokerData>('POST', `${base}/brokers/3/start`);
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ broker_id: 3, status: 'online' });
      expect(`127.0.0.1:${started.body.port}`).toBe(port);
      await until('broker 3 back in sync', () => partitions('orders'), inSync);
      const twice = await api<ErrorBody>('POST', `${base}/brokers/3/start`);
      expect([twice.status, twice.body.error_code]).toEqual([409, 40901]);
    }, 60_000);

    it('shuts a leader down in a controlled way: its leaderships move before it stops', async () => {
      const leader = (await partitions('orders'))[0]!.leader_id!;
      const down = await api<BrokerData>('POST', `${base}/brokers/${leader}/controlled-shutdown`);
      expect(down.body).toMatchObject({ broker_id: leader, status: 'offline', partitions_led: 0 });
      expect((await partitions('orders')).every((p) => p.leader_id !== leader && p.leader_id !== null)).toBe(true);
      await api('POST', `${base}/brokers/${leader}/start`);
      await until('every replica back in sync', () => partitions('orders'), inSync);
    }, 60_000);

    it('refuses a broker another process hosts (409 40902) and one the cluster does not know (404)', async () => {
      const registry = gw.get<Registry>(REGISTRY);
      const session = await registry.createSession(60_000);
      try {
        const registration = { host: '127.0.0.1', port: 1, endpoints: ['PLAINTEXT://127.0.0.1:1'], listenerSecurityProtocolMap: { PLAINTEXT: 'PLAINTEXT' }, jmxPort: -1, timestampMs: Date.now() };
        await registry.create(KafkaPaths.brokerId(7), BrokerIdZNode.encode(registration), { mode: 'EPHEMERAL', sessionId: session });
        expect((await brokers()).find((b) => b.broker_id === 7)).toMatchObject({ status: 'online', hosted_here: false, log_dir_size_bytes: null });
        const elsewhere = await api<ErrorBody>('POST', `${base}/brokers/7/controlled-shutdown`);
        expect(elsewhere.status).toBe(409);
        expect(elsewhere.body).toEqual({ error_code: 40902, message: 'Broker 7 runs in another process; only that process can stop it.' });
      } finally {
        await registry.closeSession(session);
      }
      expect((await api<ErrorBody>('POST', `${base}/brokers/8/start`)).body).toEqual({ error_code: 404, message: 'Broker 8 cannot be found.' });
    });
  });

  describe('leader elections', () => {
    it('answers 409 40901 for a partition whose preferred replica already leads', async () => {
      await api('POST', `${base}/topics/-/partitions/-/leader-election`, {});
      await until('preferred leaders', () => partitions('orders'), (ps) => ps.every((p) => p.leader_id === p.replica_ids[0]));
      const refused = await api<ErrorBody>('POST', `${base}/topics/orders/partitions/0/leader-election`, { election_type: 'PREFERRED' });
      expect(refused.status).toBe(409);
      expect(refused.body.error_code).toBe(40901);
    }, 30_000);

    it('moves leadership back to the preferred replicas of a topic after a controlled shutdown', async () => {
      const preferred = (await partitions('orders'))[0]!.replica_ids[0]!;
      await api('POST', `${base}/brokers/${preferred}/controlled-shutdown`);
      await api('POST', `${base}/brokers/${preferred}/start`);
      await until('every replica back in sync', () => partitions('orders'), inSync);
      const elected = await api<PartitionOutcomeDataList>('POST', `${base}/topics/orders/partitions/-/leader-election`);
      expect(elected.status).toBe(200);
      const outcomes = partitionOutcomeDataListSchema.parse(elected.body).data;
      expect(outcomes.map((o) => o.partition_id)).toEqual([0, 1, 2]);
      expect(outcomes.every((o) => o.error_code === null || o.kafka_error === 'ELECTION_NOT_NEEDED')).toBe(true);
      expect(outcomes.some((o) => o.error_code === null)).toBe(true);
      await until('preferred leaders again', () => partitions('orders'), (ps) => ps.every((p) => p.leader_id === p.replica_ids[0]));
    }, 60_000);

    it('validates the election type and the partition', async () => {
      const bad = await api<ErrorBody>('POST', `${base}/topics/orders/partitions/0/leader-election`, { election_type: 'SOMETIMES' });
      expect([bad.status, bad.body.error_code]).toEqual([400, 400]);
      expect((await api<ErrorBody>('POST', `${base}/topics/orders/partitions/9/leader-election`)).body.error_code).toBe(40403);
      expect((await api<ErrorBody>('POST', `${base}/topics/ghost/partitions/-/leader-election`)).body.error_code).toBe(40403);
      const unclean = await api<PartitionOutcomeDataList>('POST', `${base}/topics/orders/partitions/-/leader-election`, { election_type: 'UNCLEAN' });
      expect(unclean.body.data.every((o) => o.kafka_error === 'ELECTION_NOT_NEEDED' && o.error_code === 40901)).toBe(true);
    });
  });

  describe('reassignments', () => {
    beforeAll(async () => {
      await api('POST', `${base}/topics`, { topic_name: 'moves', partitions_count: 2, replication_factor: 2 });
      await until('every replica of moves in sync', () => partitions('moves'), inSync);
    }, 30_000);

    it('lists none while none runs; a partition without one is 404', async () => {
      const all = await api('GET', `${base}/topics/-/partitions/-/reassignment`);
      expect(reassignmentDataListSchema.parse(all.body)).toMatchObject({ kind: 'KafkaReassignmentList', data: [] });
      expect(reassignmentDataListSchema.parse((await api('GET', `${base}/topics/moves/partitions/-/reassignment`)).body).data).toEqual([]);
      const none = await api<ErrorBody>('GET', `${base}/topics/moves/partitions/0/reassignment`);
      expect(none.body).toEqual({ error_code: 404, message: 'No reassignment is in progress for moves-0.' });
      expect((await api<ErrorBody>('GET', `${base}/topics/ghost/partitions/-/reassignment`)).body.error_code).toBe(40403);
    });

    it('moves a partition to new replicas (202), and the partition shows them once done', async () => {
      const current = (await partitions('moves'))[0]!.replica_ids;
      const spare = [1, 2, 3].find((id) => !current.includes(id))!;
      const target = [spare, current[0]!];
      const started = await api('PUT', `${base}/topics/moves/partitions/0/reassignment`, { replicas: target });
      expect(started.status).toBe(202);
      expect(reassignmentDataSchema.parse(started.body)).toMatchObject({ topic_name: 'moves', partition_id: 0 });
      const done = await until('the reassignment done', () => partitions('moves'), (ps) => ps[0]!.replica_ids.join() === target.join() && ps[0]!.adding_replicas.length === 0);
      expect(done[0]!.isr.sort()).toEqual([...target].sort());
      expect((await api('GET', `${base}/topics/moves/partitions/0/reassignment`)).status).toBe(404);
    }, 60_000);

    it('refuses bad targets: unknown broker 40002, repeated or empty lists 400, cancelling none 404', async () => {
      const unknown = await api<ErrorBody>('PUT', `${base}/topics/moves/partitions/1/reassignment`, { replicas: [1, 42] });
      expect([unknown.status, unknown.body.error_code]).toEqual([400, 40002]);
      for (const replicas of [[1, 1], []]) {
        const bad = await api<ErrorBody>('PUT', `${base}/topics/moves/partitions/1/reassignment`, { replicas });
        expect([bad.status, bad.body.error_code]).toEqual([400, 400]);
      }
      expect((await api<ErrorBody>('PUT', `${base}/topics/moves/partitions/1/reassignment`)).status).toBe(422);
      expect((await api<ErrorBody>('PUT', `${base}/topics/moves/partitions/7/reassignment`, { replicas: [1] })).body.error_code).toBe(40403);
      const cancel = await api<ErrorBody>('DELETE', `${base}/topics/moves/partitions/1/reassignment`);
      expect([cancel.status, cancel.body.error_code]).toEqual([404, 404]);
    });

    it('alters several partitions of a topic at once and answers each outcome', async () => {
      const current = (await partitions('moves'))[1]!.replica_ids;
      const answer = await api<PartitionOutcomeDataList>('POST', `${base}/topics/moves/partitions/-/reassignment`, {
        partitions: [{ partition_id: 1, replicas: [...current].reverse() }, { partition_id: 0, replicas: null }],
      });
      expect(answer.status).toBe(200);
      expect(partitionOutcomeDataListSchema.parse(answer.body).data).toEqual([
        { topic_name: 'moves', partition_id: 0, error_code: 404, kafka_error: 'NO_REASSIGNMENT_IN_PROGRESS', message: expect.any(String) },
        { topic_name: 'moves', partition_id: 1, error_code: null, kafka_error: null, message: null },
      ]);
      await until('partition 1 reordered', () => partitions('moves'), (ps) => ps[1]!.replica_ids.join() === [...current].reverse().join());
      const dup = await api<ErrorBody>('POST', `${base}/topics/moves/partitions/-/reassignment`, { partitions: [{ partition_id: 0, replicas: [1] }, { partition_id: 0, replicas: null }] });
      expect([dup.status, dup.body.error_code]).toEqual([400, 400]);
    }, 30_000);
  });

  describe('with every hosted broker stopped', () => {
    it('still lists the hosted brokers (offline, startable), answers 503 for what needs a broker, and starts again', async () => {
      for (const id of [1, 2, 3]) expect((await api('POST', `${base}/brokers/${id}/stop`)).status).toBe(200);
      const list = await brokers();
      expect(list.filter((b) => b.broker_id <= 3).map((b) => [b.broker_id, b.status, b.hosted_here])).toEqual([[1, 'offline', true], [2, 'offline', true], [3, 'offline', true]]);
      const healthless = await api<ErrorBody>('GET', `${base}/health`);
      expect([healthless.status, healthless.body.error_code]).toEqual([503, 50302]);
      expect((await api<ErrorBody>('GET', `${base}/topics`)).status).toBe(503);
      expect((await api<List<ClusterData>>('GET', '/v3/clusters')).body.data[0]!.cluster_id).toBe(base.split('/').pop());
      for (const id of [1, 2, 3]) expect((await api<BrokerData>('POST', `${base}/brokers/${id}/start`)).body.status).toBe('online');
      await until('every replica back in sync', () => partitions('orders'), inSync, 30_000);
    }, 60_000);
  });

  describe('API docs', () => {
    it('documents the cluster routes and their Weir fields in /openapi.json', async () => {
      type Operation = { responses: Record<string, { content?: { 'application/json'?: { schema?: { properties?: Record<string, unknown> } } } }> };
      const doc = (await (await fetch(`${gw.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
      const p = '/v3/clusters/{cluster_id}';
      const expected: Record<string, string[]> = {
        [`${p}/health`]: ['get'],
        [`${p}/brokers/{broker_id}/start`]: ['post'],
        [`${p}/brokers/{broker_id}/stop`]: ['post'],
        [`${p}/brokers/{broker_id}/controlled-shutdown`]: ['post'],
        [`${p}/topics/-/partitions/-/reassignment`]: ['get'],
        [`${p}/topics/{topic_name}/partitions/-/reassignment`]: ['get', 'post'],
        [`${p}/topics/{topic_name}/partitions/{partition_id}/reassignment`]: ['get', 'put', 'delete'],
        [`${p}/topics/-/partitions/-/leader-election`]: ['post'],
        [`${p}/topics/{topic_name}/partitions/-/leader-election`]: ['post'],
        [`${p}/topics/{topic_name}/partitions/{partition_id}/leader-election`]: ['post'],
      };
      for (const [path, methods] of Object.entries(expected)) expect(Object.keys(doc.paths[path] ?? {}).sort()).toEqual([...methods].sort());
      const broker = doc.paths[`${p}/brokers/{broker_id}`]!.get!.responses['200']!.content!['application/json']!.schema!.properties!;
      expect(Object.keys(broker)).toEqual(expect.arrayContaining(['status', 'is_controller', 'partitions_led', 'replicas', 'out_of_sync_replicas', 'log_dir_size_bytes', 'hosted_here']));
      const partition = doc.paths[`${p}/topics/{topic_name}/partitions/{partition_id}`]!.get!.responses['200']!.content!['application/json']!.schema!.properties!;
      expect(Object.keys(partition)).toEqual(expect.arrayContaining(['leader_id', 'isr', 'offline_replicas', 'is_offline', 'adding_replicas', 'removing_replicas']));
      expect(Object.keys(doc.paths[`${p}/topics/{topic_name}/partitions/{partition_id}/leader-election`]!.post!.responses)).toEqual(expect.arrayContaining(['200', '409']));
    });
  });

  describe('live feed', () => {
    it('pushes the cluster summary with its health when a broker stops and starts', async () => {
      const live = await LiveClient.connect(gw.baseUrl);
      try {
        live.send({ op: 'subscribe', channel: 'cluster' });
        live.send({ op: 'subscribe', channel: 'topic:orders' });
        await live.waitFor((f) => f.type === 'cluster' && f.cluster.health?.brokers_online === 3);
        await api('POST', `${base}/brokers/2/stop`);
        await live.waitFor((f) => f.type === 'cluster' && f.cluster.health?.brokers_online === 2, 10_000);
        await live.waitFor((f) => f.type === 'partitions' && f.partitions.some((p) => p.isr !== undefined && !p.isr.includes(2)), 10_000);
        const from = live.frames.length;
        await api('POST', `${base}/brokers/2/start`);
        await live.waitFor((f) => live.frames.indexOf(f) >= from && f.type === 'cluster' && f.cluster.health?.brokers_online === 3, 10_000);
      } finally {
        await live.close();
      }
      await until('every replica back in sync', () => partitions('orders'), inSync);
    }, 60_000);
  });
});
