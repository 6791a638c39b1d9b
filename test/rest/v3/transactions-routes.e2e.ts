import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { call, type ErrorBody } from './v3-client.js';

/**
 * The transactions routes' own checks, with no transaction in the cluster: unknown ids,
 * clusters and malformed filters, and the OpenAPI document.
 */
describe('REST v3 transactions routes: errors and documentation', () => {
  let gw: TestGateway;
  let base: string;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gw.baseUrl, method, path, body);

  beforeAll(async () => {
    gw = await startTestGateway();
    base = `/v3/clusters/${gw.cluster.clusterId}`;
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
  }, 30_000);

  it('answers 404 for an unknown cluster and 400 for bad filters', async () => {
    expect((await api<ErrorBody>('GET', '/v3/clusters/other/transactions')).body.error_code).toBe(404);
    for (const query of ['state=Running', 'producer_id=-1', 'min_duration_ms=soon']) {
      const bad = await api<ErrorBody>('GET', `${base}/transactions?${query}`);
      expect({ query, status: bad.status, code: bad.body.error_code }).toEqual({ query, status: 400, code: 400 });
    }
  });

  it('answers 404 (40403) for a transactional id the coordinator does not know', async () => {
    for (const [method, path] of [['GET', 'nobody'], ['POST', 'nobody:abort']] as const) {
      const missing = await api<ErrorBody>(method, `${base}/transactions/${path}`);
      expect({ status: missing.status, code: missing.body.error_code }).toEqual({ status: 404, code: 40403 });
    }
  });

  it('documents the routes, their filters and errors in /openapi.json', async () => {
    type Operation = { summary?: string; parameters?: { name: string }[]; responses: Record<string, unknown> };
    const doc = (await (await fetch(`${gw.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const p = '/v3/clusters/{cluster_id}';
    const list = doc.paths[`${p}/transactions`]?.get;
    expect(list?.parameters?.map((q) => q.name)).toEqual(expect.arrayContaining(['state', 'producer_id', 'min_duration_ms']));
    expect(doc.paths[`${p}/transactions/{transactional_id}`]?.get).toBeDefined();
    const abort = doc.paths[`${p}/transactions/{transactional_id}:abort`]?.post;
    expect(abort?.summary).toContain('Weir extension');
    expect(Object.keys(abort!.responses)).toEqual(expect.arrayContaining(['200', '404', '409']));
    expect(doc.paths[`${p}/topics/{topic_name}/partitions/{partition_id}/producers`]?.get).toBeDefined();
    const lags = doc.paths[`${p}/consumer-groups/{consumer_group_id}/lags`]?.get;
    expect(lags?.parameters?.map((q) => q.name)).toContain('isolation_level');
  });
});
