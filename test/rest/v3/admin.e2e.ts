import { connect } from 'node:net';
import type { ClusterData, PartitionData, ReplicaData, TopicConfigData, TopicData } from '@weir/contracts';
import {
  brokerDataListSchema,
  clusterDataListSchema,
  partitionDataListSchema,
  replicaDataListSchema,
  topicConfigDataListSchema,
  topicDataListSchema,
  topicDataSchema,
} from '@weir/contracts';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { call, type ErrorBody } from './v3-client.js';

type List<T> = { kind: string; metadata: { self: string }; data: T[] };

describe('REST v3 admin: clusters, brokers, topics, configs, partitions, replicas', () => {
  let gw: TestGateway;
  let c: string;
  let base: string;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gw.baseUrl, method, path, body);

  beforeAll(async () => {
    gw = await startTestGateway();
    const clusters = await api<List<ClusterData>>('GET', '/v3/clusters');
    c = clusters.body.data[0]!.cluster_id;
    base = `/v3/clusters/${c}`;
  }, 60_000);

  afterAll(async () => {
    await gw.close();
  }, 30_000);

  describe('clusters and brokers', () => {
    it('lists the one cluster with self links built from the request host', async () => {
      const { status, body } = await api<List<ClusterData>>('GET', '/v3/clusters');
      expect(status).toBe(200);
      expect(clusterDataListSchema.parse(body).data).toHaveLength(1);
      expect(body.metadata.self).toBe(`${gw.baseUrl}/v3/clusters`);
      const cluster = body.data[0]!;
      expect(cluster.metadata).toEqual({ self: `${gw.baseUrl}${base}`, resource_name: `crn:///kafka=${c}` });
      expect(cluster.topics.related).toBe(`${gw.baseUrl}${base}/topics`);
      expect(cluster.controller?.related).toBe(`${gw.baseUrl}${base}/brokers/1`);
    });

    it('gets the cluster, and answers an unknown cluster id 404', async () => {
      expect((await api<ClusterData>('GET', base)).body.cluster_id).toBe(c);
      const unknown = await api<ErrorBody>('GET', '/v3/clusters/no-such-cluster');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ error_code: 404, message: 'Cluster no-such-cluster cannot be found.' });
      expect((await api<ErrorBody>('GET', '/v3/clusters/no-such-cluster/topics')).status).toBe(404);
      expect((await api<ErrorBody>('POST', '/v3/clusters/nope/topics/x/records', { value: null })).status).toBe(404);
    });

    it('answers a request line past the header size limit 431, and bytes that are not HTTP 400, in Confluent\'s shape', async () => {
      const long = await fetch(`${gw.baseUrl}/v3/clusters/${'x'.repeat(20_000)}/acls`);
      expect(long.status).toBe(431);
      expect(await long.json()).toEqual({ error_code: 43100, message: 'The request line and headers are longer than the server accepts' });
      const { hostname, port } = new URL(gw.baseUrl);
      const answer = await new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = connect({ host: hostname, port: Number(port) }, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
        socket.on('data', (chunk) => (text += chunk.toString('utf8')));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error_code: 40000, message: 'The request is not valid HTTP' });
      expect((await fetch(`${gw.baseUrl}/readyz`)).status).toBe(200);
    });

    it('lists and gets brokers; an unknown broker is 404, a malformed id 400', async () => {
      const list = await api('GET', `${base}/brokers`);
      const brokers = brokerDataListSchema.parse(list.body).data;
      expect(brokers.map((b) => b.broker_id)).toEqual([1]);
      expect(brokers[0]!.port).toBe(gw.kafkaPort);
      const one = await api<{ broker_id: number; partition_replicas: { related: string } }>('GET', `${base}/brokers/1`);
      expect(one.status).toBe(200);
      expect(one.body.partition_replicas.related).toBe(`${gw.baseUrl}${base}/brokers/1/partition-replicas`);
      expect((await api<ErrorBody>('GET', `${base}/brokers/7`)).body.error_code).toBe(404);
      expect((await api<ErrorBody>('GET', `${base}/brokers/x`)).status).toBe(400);
    });
  });

  describe('topics', () => {
    it('creates a topic (201), lists and gets it', async () => {
      const created = await api<TopicData>('POST', `${base}/topics`, {
        topic_name: 'orders',
        partitions_count: 3,
        replication_factor: 1,
        configs: [{ name: 'retention.ms', value: '3600000' }],
      });
      expect(created.status).toBe(201);
      expect(topicDataSchema.parse(created.body)).toMatchObject({ topic_name: 'orders', partitions_count: 3, replication_factor: 1, is_internal: false });
      expect(created.body.metadata.resource_name).toBe(`crn:///kafka=${c}/topic=orders`);

      const list = topicDataListSchema.parse((await api('GET', `${base}/topics`)).body);
      expect(list.data.map((t) => t.topic_name)).toContain('orders');
      const got = await api<TopicData>('GET', `${base}/topics/orders`);
      expect(got.body.partitions.related).toBe(`${gw.baseUrl}${base}/topics/orders/partitions`);
    });

    it('validate_only answers 200 and creates nothing', async () => {
      const dry = await api<TopicData>('POST', `${base}/topics`, { topic_name: 'dry-run', partitions_count: 2, validate_only: true });
      expect(dry.status).toBe(200);
      expect(dry.body.partitions_count).toBe(2);
      expect((await api('GET', `${base}/topics/dry-run`)).status).toBe(404);
    });

    it('refuses a duplicate topic with 400 40002', async () => {
      const dup = await api<ErrorBody>('POST', `${base}/topics`, { topic_name: 'orders' });
      expect(dup.status).toBe(400);
      expect(dup.body.error_code).toBe(40002);
      expect(dup.body.message).toMatch(/orders/);
    });

    it('refuses a bad config value with 40002 naming the config', async () => {
      const bad = await api<ErrorBody>('POST', `${base}/topics`, { topic_name: 'bad-config', configs: [{ name: 'cleanup.policy', value: 'shred' }] });
      expect(bad.status).toBe(400);
      expect(bad.body.error_code).toBe(40002);
      expect(bad.body.message).toMatch(/cleanup\.policy/);
    });

    it('refuses invalid names, partition counts and replication factors with 400', async () => {
      for (const topic_name of ['has space', '..', 'x'.repeat(250), 'ü']) {
        const res = await api<ErrorBody>('POST', `${base}/topics`, { topic_name });
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/topic_name/);
      }
      expect((await api<ErrorBody>('GET', `${base}/topics/has%20space`)).status).toBe(400);
      expect((await api<ErrorBody>('POST', `${base}/topics`, { topic_name: 'zero', partitions_count: 0 })).status).toBe(400);
      const rf = await api<ErrorBody>('POST', `${base}/topics`, { topic_name: 'rf', replication_factor: 3 });
      expect(rf.status).toBe(400);
      expect(rf.body.error_code).toBe(40002);
      expect((await api<ErrorBody>('POST', `${base}/topics`, { partitions_count: 1 })).status).toBe(400);
      expect((await api<ErrorBody>('POST', `${base}/topics`, '{"topic_name": ')).status).toBe(400);
      const empty = await fetch(`${gw.baseUrl}${base}/topics`, { method: 'POST' });
      expect(empty.status).toBe(422);
      expect(((await empty.json()) as ErrorBody).error_code).toBe(422);
    });

    it('answers an unknown topic 404 40403 on every topic route', async () => {
      for (const [method, path, body] of [
        ['GET', '/topics/ghost'],
        ['DELETE', '/topics/ghost'],
        ['PATCH', '/topics/ghost', { partitions_count: 4 }],
        ['GET', '/topics/ghost/configs'],
        ['GET', '/topics/ghost/configs/retention.ms'],
        ['PUT', '/topics/ghost/configs/retention.ms', { value: '1' }],
        ['DELETE', '/topics/ghost/configs/retention.ms'],
        ['POST', '/topics/ghost/configs:alter', { data: [{ name: 'retention.ms', value: '1' }] }],
        ['GET', '/topics/ghost/partitions'],
        ['GET', '/topics/ghost/partitions/0'],
        ['GET', '/topics/ghost/partitions/0/replicas'],
        ['POST', '/topics/ghost/records', { value: { type: 'STRING', data: 'x' } }],
        ['POST', '/topics/ghost/records:batch', { entries: [{ id: '1' }] }],
      ] as const) {
        const res = await api<ErrorBody>(method, `${base}${path}`, body);
        expect({ method, path, status: res.status, code: res.body.error_code }).toEqual({ method, path, status: 404, code: 40403 });
      }
    });

    it('raises the partition count with PATCH, and refuses lowering it with 40002', async () => {
      const raised = await api<TopicData>('PATCH', `${base}/topics/orders`, { partitions_count: 4 });
      expect(raised.status).toBe(200);
      expect(raised.body.partitions_count).toBe(4);
      const lowered = await api<ErrorBody>('PATCH', `${base}/topics/orders`, { partitions_count: 2 });
      expect(lowered.status).toBe(400);
      expect(lowered.body.error_code).toBe(40002);
      expect((await api<ErrorBody>('PATCH', `${base}/topics/orders`, { partitions_count: 'many' })).status).toBe(400);
    });

    it('deletes a topic (204)', async () => {
      expect((await api('POST', `${base}/topics`, { topic_name: 'doomed' })).status).toBe(201);
      expect((await api('DELETE', `${base}/topics/doomed`)).status).toBe(204);
      expect((await api<ErrorBody>('GET', `${base}/topics/doomed`)).body.error_code).toBe(40403);
    });
  });

  describe('topic configs', () => {
    it('lists configs with defaults and overrides', async () => {
      const list = topicConfigDataListSchema.parse((await api('GET', `${base}/topics/orders/configs`)).body);
      const retention = list.data.find((e) => e.name === 'retention.ms')!;
      expect(retention).toMatchObject({ value: '3600000', is_default: false, source: 'DYNAMIC_TOPIC_CONFIG', topic_name: 'orders' });
      const cleanup = list.data.find((e) => e.name === 'cleanup.policy')!;
      expect(cleanup).toMatchObject({ value: 'delete', is_default: true, source: 'DEFAULT_CONFIG' });
      expect(cleanup.metadata.self).toBe(`${gw.baseUrl}${base}/topics/orders/configs/cleanup.policy`);
    });

    it('gets one config; an unknown name is 404', async () => {
      const got = await api<TopicConfigData>('GET', `${base}/topics/orders/configs/retention.ms`);
      expect(got.status).toBe(200);
      expect(got.body.value).toBe('3600000');
      expect((await api<ErrorBody>('GET', `${base}/topics/orders/configs/no.such.config`)).status).toBe(404);
    });

    it('PUT sets a value (204), DELETE reverts it to the default (204)', async () => {
      expect((await api('PUT', `${base}/topics/orders/configs/cleanup.policy`, { value: 'compact' })).status).toBe(204);
      expect((await api<TopicConfigData>('GET', `${base}/topics/orders/configs/cleanup.policy`)).body).toMatchObject({ value: 'compact', is_default: false });
      expect((await api('DELETE', `${base}/topics/orders/configs/cleanup.policy`)).status).toBe(204);
      expect((await api<TopicConfigData>('GET', `${base}/topics/orders/configs/cleanup.policy`)).body).toMatchObject({ value: 'delete', is_default: true });
    });

    it('PUT refuses a bad value with 40002 naming the config, and a malformed body with 400', async () => {
      const bad = await api<ErrorBody>('PUT', `${base}/topics/orders/configs/retention.ms`, { value: 'forever' });
      expect(bad.status).toBe(400);
      expect(bad.body.error_code).toBe(40002);
      expect(bad.body.message).toMatch(/retention\.ms/);
      expect((await api<ErrorBody>('PUT', `${base}/topics/orders/configs/retention.ms`, { value: 5 })).body.error_code).toBe(400);
    });

    it('configs:alter SETs and DELETEs together (204), and applies nothing when one is invalid', async () => {
      const ok = await api('POST', `${base}/topics/orders/configs:alter`, {
        data: [
          { name: 'segment.ms', value: '600000' },
          { name: 'retention.ms', operation: 'DELETE' },
        ],
      });
      expect(ok.status).toBe(204);
      const configs = topicConfigDataListSchema.parse((await api('GET', `${base}/topics/orders/configs`)).body).data;
      expect(configs.find((e) => e.name === 'segment.ms')).toMatchObject({ value: '600000', is_default: false });
      expect(configs.find((e) => e.name === 'retention.ms')).toMatchObject({ is_default: true });

      const bad = await api<ErrorBody>('POST', `${base}/topics/orders/configs:alter`, {
        data: [
          { name: 'segment.ms', value: '700000' },
          { name: 'min.insync.replicas', value: 'none' },
        ],
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error_code: 40002, message: expect.stringMatching(/min\.insync\.replicas/) });
      expect((await api<TopicConfigData>('GET', `${base}/topics/orders/configs/segment.ms`)).body.value).toBe('600000');

      expect((await api<ErrorBody>('POST', `${base}/topics/orders/configs:alter`, { data: [{ name: 'segment.ms' }] })).status).toBe(400);
      const dry = await api('POST', `${base}/topics/orders/configs:alter`, { data: [{ name: 'segment.ms', value: '1' }], validate_only: true });
      expect(dry.status).toBe(204);
      expect((await api<TopicConfigData>('GET', `${base}/topics/orders/configs/segment.ms`)).body.value).toBe('600000');
    });

    it('lists the configs of every topic under /topics/-/configs', async () => {
      const all = topicConfigDataListSchema.parse((await api('GET', `${base}/topics/-/configs`)).body);
      expect(new Set(all.data.map((e) => e.topic_name))).toContain('orders');
      expect(all.metadata.self).toBe(`${gw.baseUrl}${base}/topics/-/configs`);
    });
  });

  describe('partitions and replicas', () => {
    it('lists partitions with leader, replicas and offsets', async () => {
      const list = partitionDataListSchema.parse((await api('GET', `${base}/topics/orders/partitions`)).body);
      expect(list.data.map((p) => p.partition_id)).toEqual([0, 1, 2, 3]);
      const p0 = list.data[0]!;
      expect(p0.leader?.related).toBe(`${gw.baseUrl}${base}/topics/orders/partitions/0/replicas/1`);
      expect(p0).toMatchObject({ log_start_offset: 0, high_watermark: 0, log_end_offset: 0 });
    });

    it('gets one partition; an unknown one is 404 40403, a malformed id 400', async () => {
      expect((await api<PartitionData>('GET', `${base}/topics/orders/partitions/2`)).body.partition_id).toBe(2);
      const missing = await api<ErrorBody>('GET', `${base}/topics/orders/partitions/9`);
      expect(missing.status).toBe(404);
      expect(missing.body.error_code).toBe(40403);
      expect((await api<ErrorBody>('GET', `${base}/topics/orders/partitions/-1`)).status).toBe(400);
    });

    it('lists and gets replicas, and a broker\'s partition replicas', async () => {
      const replicas = replicaDataListSchema.parse((await api('GET', `${base}/topics/orders/partitions/1/replicas`)).body);
      expect(replicas.data).toEqual([expect.objectContaining({ broker_id: 1, is_leader: true, is_in_sync: true, partition_id: 1 })]);
      const one = await api<ReplicaData>('GET', `${base}/topics/orders/partitions/1/replicas/1`);
      expect(one.body.broker.related).toBe(`${gw.baseUrl}${base}/brokers/1`);
      expect((await api<ErrorBody>('GET', `${base}/topics/orders/partitions/1/replicas/5`)).status).toBe(404);
      const byBroker = replicaDataListSchema.parse((await api('GET', `${base}/brokers/1/partition-replicas`)).body);
      expect(byBroker.data.filter((r) => r.topic_name === 'orders').map((r) => r.partition_id)).toEqual([0, 1, 2, 3]);
    });
  });

  describe('documentation and limits', () => {
    it('documents every v3 route in /openapi.json', async () => {
      const doc = (await (await fetch(`${gw.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      const p = '/v3/clusters/{cluster_id}';
      const expected: Record<string, string[]> = {
        '/v3/clusters': ['get'],
        [p]: ['get'],
        [`${p}/brokers`]: ['get'],
        [`${p}/brokers/{broker_id}`]: ['get'],
        [`${p}/brokers/{broker_id}/partition-replicas`]: ['get'],
        [`${p}/topics`]: ['get', 'post'],
        [`${p}/topics/{topic_name}`]: ['get', 'patch', 'delete'],
        [`${p}/topics/-/configs`]: ['get'],
        [`${p}/topics/{topic_name}/configs`]: ['get'],
        [`${p}/topics/{topic_name}/configs:alter`]: ['post'],
        [`${p}/topics/{topic_name}/configs/{name}`]: ['get', 'put', 'delete'],
        [`${p}/topics/{topic_name}/partitions`]: ['get'],
        [`${p}/topics/{topic_name}/partitions/{partition_id}`]: ['get'],
        [`${p}/topics/{topic_name}/partitions/{partition_id}/replicas`]: ['get'],
        [`${p}/topics/{topic_name}/partitions/{partition_id}/replicas/{broker_id}`]: ['get'],
        [`${p}/topics/{topic_name}/records`]: ['post'],
        [`${p}/topics/{topic_name}/records:batch`]: ['post'],
      };
      for (const [path, methods] of Object.entries(expected)) {
        expect({ path, methods: Object.keys(doc.paths[path] ?? {}).sort() }).toEqual({ path, methods: [...methods].sort() });
      }
      const create = doc.paths[`${p}/topics`]!.post as { requestBody: { content: Record<string, { schema: { required: string[] } }> } };
      expect(create.requestBody.content['application/json']!.schema.required).toContain('topic_name');
    });

    it('answers a body over the limit 413, and a non-JSON body 415', async () => {
      // Past WEIR_REST_MAX_BODY_BYTES (10 MiB by default).
      const big = await api<ErrorBody>('POST', `${base}/topics`, { topic_name: 'big', configs: [{ name: 'x', value: 'y'.repeat(11 * 1024 * 1024) }] });
      expect(big.status).toBe(413);
      expect(big.body.error_code).toBe(41301);
      const text = await fetch(`${gw.baseUrl}${base}/topics`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'orders' });
      expect(text.status).toBe(415);
      expect(((await text.json()) as ErrorBody).error_code).toBe(415);
    });
  });
});
