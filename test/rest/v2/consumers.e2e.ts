import type { BrokerApi } from '@weir/broker-core';
import { BROKER } from '../../../apps/gateway/src/broker/broker.module.js';
import { ConsumersService } from '../../../apps/gateway/src/rest/v2/consumers.service.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

const V2 = 'application/vnd.kafka.v2+json';
const BINARY = 'application/vnd.kafka.binary.v2+json';
const JSON_V2 = 'application/vnd.kafka.json.v2+json';
/** Short enough to watch an instance expire, long enough for the other tests' request gaps. */
const INSTANCE_TIMEOUT_MS = 2500;

type V2Record = { topic: string; key: unknown; value: unknown; partition: number; offset: number; timestamp: number; headers: { key: string; value: string | null }[] };

describe('v2 consumer instances (manual assignment)', () => {
  let gw: TestGateway;
  let broker: BrokerApi;

  beforeAll(async () => {
    gw = await startTestGateway({ env: { WEIR_CONSUMER_INSTANCE_TIMEOUT_MS: String(INSTANCE_TIMEOUT_MS) } });
    broker = gw.get<BrokerApi>(BROKER);
    await broker.createTopic({ name: 'orders', partitions: 2 });
    await broker.produce('orders', [
      { partition: 0, key: Buffer.from('k0'), value: Buffer.from('{"n":0}'), headers: [{ key: 'trace', value: Buffer.from('abc') }], timestamp: 1_700_000_000_000 },
      { partition: 0, key: null, value: Buffer.from('{"n":1}'), timestamp: 1_700_000_000_001 },
      { partition: 0, key: Buffer.from('k2'), value: Buffer.from('[2]'), headers: [{ key: 'empty', value: null }], timestamp: 1_700_000_000_002 },
    ]);
  });

  afterAll(async () => {
    await gw.close();
  });

  const post = (path: string, body?: unknown, contentType = V2) =>
    fetch(`${gw.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });

  async function createInstance(group: string, body: Record<string, unknown>): Promise<string> {
    const res = await post(`/v2/consumers/${group}`, body);
    expect(res.status).toBe(200);
    const created = (await res.json()) as { instance_id: string; base_uri: string };
    expect(created.base_uri).toBe(`${gw.baseUrl}/v2/consumers/${group}/instances/${created.instance_id}`);
    return `/v2/consumers/${group}/instances/${created.instance_id}`;
  }

  async function records(instance: string, accept = BINARY, query = 'timeout=0'): Promise<V2Record[]> {
    const res = await fetch(`${gw.baseUrl}${instance}/records?${query}`, { headers: { accept } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(accept);
    return (await res.json()) as V2Record[];
  }

  it('creates an instance, assigns, seeks to the beginning and consumes keys, values, headers and timestamps', async () => {
    const instance = await createInstance('g1', { name: 'c1', format: 'binary', 'auto.offset.reset': 'latest' });
    expect((await post(`${instance}/assignments`, { partitions: [{ topic: 'orders', partition: 0 }] })).status).toBe(204);
    const assigned = await fetch(`${gw.baseUrl}${instance}/assignments`, { headers: { accept: V2 } });
    expect(await assigned.json()).toEqual({ partitions: [{ topic: 'orders', partition: 0 }] });

    expect((await post(`${instance}/positions/beginning`, { partitions: [{ topic: 'orders', partition: 0 }] })).status).toBe(204);
    const got = await records(instance);
    expect(got).toEqual([
      { topic: 'orders', partition: 0, offset: 0, timestamp: 1_700_000_000_000, key: b64('k0'), value: b64('{"n":0}'), headers: [{ key: 'trace', value: b64('abc') }] },
      { topic: 'orders', partition: 0, offset: 1, timestamp: 1_700_000_000_001, key: null, value: b64('{"n":1}'), headers: [] },
      { topic: 'orders', partition: 0, offset: 2, timestamp: 1_700_000_000_002, key: b64('k2'), value: b64('[2]'), headers: [{ key: 'empty', value: null }] },
    ]);
    expect(await records(instance)).toEqual([]); // the position moved past them

    expect((await post(`${instance}/positions`, { offsets: [{ topic: 'orders', partition: 0, offset: 1 }] })).status).toBe(204);
    expect((await records(instance)).map((r) => r.offset)).toEqual([1, 2]);

    expect((await post(`${instance}/positions/beginning`, { partitions: [{ topic: 'orders', partition: 0 }] })).status).toBe(204);
    expect((await records(instance, BINARY, 'timeout=0&max_bytes=10')).map((r) => r.offset)).toEqual([0]);

    expect((await post(`${instance}/positions/end`, { partitions: [{ topic: 'orders', partition: 0 }] })).status).toBe(204);
    expect(await records(instance)).toEqual([]);
    expect((await fetch(`${gw.baseUrl}${instance}`, { method: 'DELETE', headers: { 'content-type': V2 } })).status).toBe(204);
  });

  it('decodes the json format, stops at a record that is not JSON (422 42203), and refuses another Accept with 406 40601', async () => {
    await broker.createTopic({ name: 'docs', partitions: 1 });
    await broker.produce('docs', [
      { key: Buffer.from('"a"'), value: Buffer.from('{"n":1}') },
      { key: null, value: Buffer.from('[2]') },
      { key: null, value: Buffer.from('not json') },
    ]);
    const instance = await createInstance('g1', { format: 'json', 'auto.offset.reset': 'earliest' });
    await post(`${instance}/assignments`, { partitions: [{ topic: 'docs', partition: 0 }] });
    const mismatch = await fetch(`${gw.baseUrl}${instance}/records`, { headers: { accept: BINARY } });
    expect(mismatch.status).toBe(406);
    expect(((await mismatch.json()) as { error_code: number }).error_code).toBe(40601);
    const got = await records(instance, JSON_V2);
    expect(got.map((r) => [r.key, r.value])).toEqual([
      ['a', { n: 1 }],
      [null, [2]],
    ]);
    const bad = await fetch(`${gw.baseUrl}${instance}/records?timeout=0`, { headers: { accept: JSON_V2 } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error_code: number }).error_code).toBe(42203);
  });

  it('long-polls: a records request returns as soon as data arrives, before its timeout', async () => {
    await broker.createTopic({ name: 'late', partitions: 1 });
    const instance = await createInstance('g2', { 'auto.offset.reset': 'earliest' });
    await post(`${instance}/assignments`, { partitions: [{ topic: 'late', partition: 0 }] });
    await post(`${instance}/positions/end`, { partitions: [{ topic: 'late', partition: 0 }] });
    const emptyStarted = performance.now();
    expect(await records(instance, BINARY, 'timeout=400')).toEqual([]);
    expect(performance.now() - emptyStarted).toBeGreaterThanOrEqual(350); // it waited, on the broker's fetch purgatory
    const started = performance.now();
    const polling = records(instance, BINARY, 'timeout=8000');
    await broker.produce('late', [{ key: null, value: Buffer.from('arrived') }]);
    const got = await polling;
    expect(got.map((r) => r.value)).toEqual([b64('arrived')]);
    expect(performance.now() - started).toBeLessThan(8000);
  });

  it('answers 404 40403 for an unknown instance, 409 40902 for a duplicate name, 404 for unknown topics', async () => {
    const missing = await fetch(`${gw.baseUrl}/v2/consumers/g1/instances/nobody/records`, { headers: { accept: BINARY } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error_code: 40403, message: 'Consumer instance not found.' });
    await createInstance('g3', { name: 'twin' });
    const twin = await post('/v2/consumers/g3', { name: 'twin' });
    expect(twin.status).toBe(409);
    expect(((await twin.json()) as { error_code: number }).error_code).toBe(40902);
    const unknown = await post('/v2/consumers/g3/instances/twin/assignments', { partitions: [{ topic: 'nope', partition: 0 }] });
    expect(((await unknown.json()) as { error_code: number }).error_code).toBe(40401);
    const badPartition = await post('/v2/consumers/g3/instances/twin/assignments', { partitions: [{ topic: 'orders', partition: 9 }] });
    expect(((await badPartition.json()) as { error_code: number }).error_code).toBe(40402);
  });

  it('validates bodies: unsupported format 422 42204, malformed JSON 400, seek of an unassigned partition 409', async () => {
    const avro = await post('/v2/consumers/g4', { format: 'avro' });
    expect(avro.status).toBe(422);
    expect(((await avro.json()) as { error_code: number }).error_code).toBe(42204);
    const malformed = await fetch(`${gw.baseUrl}/v2/consumers/g4`, { method: 'POST', headers: { 'content-type': V2 }, body: '{"name":' });
    expect(malformed.status).toBe(400);
    const instance = await createInstance('g4', {});
    const seek = await post(`${instance}/positions`, { offsets: [{ topic: 'orders', partition: 1, offset: 0 }] });
    expect(seek.status).toBe(409);
    const plainJson = await post(`${instance}/assignments`, { partitions: [] }, 'application/json');
    expect(plainJson.status).toBe(204);
  });

  it('commits offsets of a manually assigned instance (a simple commit, generation -1)', async () => {
    const instance = await createInstance('g5', {});
    expect((await post(`${instance}/assignments`, { partitions: [{ topic: 'orders', partition: 0 }] })).status).toBe(204);
    expect((await post(`${instance}/offsets`, { offsets: [{ topic: 'orders', partition: 0, offset: 1 }] })).status).toBe(200);
    expect(await broker.fetchConsumerGroupOffsets('g5')).toEqual([{ topic: 'orders', partition: 0, offset: 2n, metadata: '' }]);
  });

  it('expires an idle instance after the configured timeout', async () => {
    const instance = await createInstance('g6', { name: 'idle' });
    const instances = gw.get<ConsumersService>(ConsumersService).instances;
    expect(instances.has('g6', 'idle')).toBe(true);
    // Watch without touching the instance (any request to it would count as activity).
    const deadline = Date.now() + INSTANCE_TIMEOUT_MS * 4;
    while (instances.has('g6', 'idle') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(instances.has('g6', 'idle')).toBe(false);
    const gone = await fetch(`${gw.baseUrl}${instance}/assignments`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error_code: number }).error_code).toBe(40403);
  });
});

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}
