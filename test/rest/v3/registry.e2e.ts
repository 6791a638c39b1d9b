import type { Registry } from '@weir/broker-core';
import type { RegistryNodeData } from '@weir/contracts';
import { REGISTRY } from '../../../apps/gateway/src/registry/registry.module.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { call, type ErrorBody } from './v3-client.js';

/**
 * The registry browser's endpoint over a real gateway: a broker's registration znode
 * with its ephemeral owner, data as text and base64, children paged, and the errors.
 */
describe('REST v3 registry nodes', () => {
  let gw: TestGateway;
  let nodes: string;
  const api = <T = unknown>(path: string) => call<T>(gw.baseUrl, 'GET', path);
  const node = (query: string) => api<RegistryNodeData>(`${nodes}?${query}`);

  beforeAll(async () => {
    gw = await startTestGateway();
    nodes = `/v3/clusters/${gw.cluster.clusterId}/registry/nodes`;
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
  }, 30_000);

  it('shows a broker\'s registration: JSON data, Stat, and its session as ephemeral owner', async () => {
    const ids = await node('path=/brokers/ids');
    expect(ids.status).toBe(200);
    expect(ids.body.children.data).toEqual([String(gw.cluster.brokerId)]);
    expect(ids.body.ephemeral_owner).toBeNull();

    const broker = await node(`path=/brokers/ids/${gw.cluster.brokerId}`);
    expect(broker.status).toBe(200);
    expect(broker.body).toMatchObject({ kind: 'WeirRegistryNode', path: `/brokers/ids/${gw.cluster.brokerId}`, children: { data: [] } });
    expect(JSON.parse(broker.body.data_text!)).toMatchObject({ port: gw.kafkaPort });
    expect(Buffer.from(broker.body.data_base64, 'base64').toString('utf8')).toBe(broker.body.data_text);
    const { stat } = broker.body;
    expect(stat.ephemeral_owner).toBeGreaterThan(0);
    expect(stat.data_length).toBe(Buffer.byteLength(broker.body.data_text!));
    expect(stat.mzxid).toBeGreaterThanOrEqual(stat.czxid);
    expect(broker.body.ephemeral_owner).toEqual({ session_id: stat.ephemeral_owner, broker_id: gw.cluster.brokerId });

    // The controller znode is the same session's too.
    const controller = await node('path=/controller');
    expect(controller.body.ephemeral_owner).toEqual({ session_id: stat.ephemeral_owner, broker_id: gw.cluster.brokerId });
  });

  it('answers data that is not UTF-8 as base64 only', async () => {
    const registry = gw.get<Registry>(REGISTRY);
    await registry.create('/weir-binary', Uint8Array.from([0xff, 0xfe, 0x00, 0x01]));
    const binary = await node('path=/weir-binary');
    expect(binary.body).toMatchObject({ data_text: null, data_base64: Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64') });
  });

  it('pages 120 children in sorted order with children_limit and children_after', async () => {
    const registry = gw.get<Registry>(REGISTRY);
    await registry.create('/weir-paging');
    const names = Array.from({ length: 120 }, (_, i) => `child-${String(i).padStart(3, '0')}`);
    await registry.multi(names.map((name) => ({ type: 'create', path: `/weir-paging/${name}` })));

    const seen: string[] = [];
    let next: string | null = `${gw.baseUrl}${nodes}?path=/weir-paging&children_limit=50`;
    let pages = 0;
    while (next !== null) {
      const page: { status: number; body: RegistryNodeData } = await call<RegistryNodeData>('', 'GET', next);
      expect(page.status).toBe(200);
      expect(page.body.stat.num_children).toBe(120);
      seen.push(...page.body.children.data);
      next = page.body.children.metadata.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(names);

    const after = await node('path=/weir-paging&children_limit=5&children_after=child-117');
    expect(after.body.children).toMatchObject({ data: ['child-118', 'child-119'], metadata: { next: null } });
    // A name that is not a child still pages from where it would sort.
    const between = await node('path=/weir-paging&children_limit=2&children_after=child-0505');
    expect(between.body.children.data).toEqual(['child-051', 'child-052']);
  });

  it('answers 404 for an unknown path or cluster, and 400 for invalid paths and paging', async () => {
    const missing = await node('path=/no/such/node');
    expect({ status: missing.status, code: (missing.body as unknown as ErrorBody).error_code }).toEqual({ status: 404, code: 404 });
    expect((await api<ErrorBody>('/v3/clusters/other/registry/nodes?path=/')).status).toBe(404);

    for (const path of ['brokers', '/brokers/', '/brokers/../ids', '/brokers//ids', '/brokers/%00']) {
      const bad = await node(`path=${encodeURIComponent(decodeURIComponent(path))}`);
      expect({ path, status: bad.status, code: (bad.body as unknown as ErrorBody).error_code }).toEqual({ path, status: 400, code: 400 });
    }
    for (const query of ['children_limit=0', 'children_limit=1001', 'children_limit=many']) {
      expect((await node(`path=/&${query}`)).status).toBe(400);
    }
  });

  it('defaults to the root and documents the route in /openapi.json', async () => {
    const root = await api<RegistryNodeData>(nodes);
    expect(root.body.path).toBe('/');
    expect(root.body.children.data).toEqual(expect.arrayContaining(['brokers', 'controller']));
    type Operation = { summary?: string; parameters?: { name: string }[]; responses: Record<string, unknown> };
    const doc = (await (await fetch(`${gw.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const get = doc.paths['/v3/clusters/{cluster_id}/registry/nodes']?.get;
    expect(get?.summary).toContain('Weir extension');
    expect(get?.parameters?.map((q) => q.name)).toEqual(expect.arrayContaining(['path', 'children_limit', 'children_after']));
    expect(Object.keys(get!.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
  });
});
