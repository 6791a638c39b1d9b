import type { BrokerApi } from '@weir/broker-core';
import type { ReadRecordsResponse } from '@weir/contracts';
import { BROKER } from '../../../apps/gateway/src/broker/broker.module.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

const T0 = 1_700_000_000_000;

describe('partition records read endpoint (Weir extension)', () => {
  let gw: TestGateway;
  let broker: BrokerApi;
  let base: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    broker = gw.get<BrokerApi>(BROKER);
    await broker.createTopic({ name: 'events', partitions: 2 });
    await broker.produce(
      'events',
      Array.from({ length: 10 }, (_, i) => ({
        partition: 0,
        key: Buffer.from(`key-${i}`),
        value: Buffer.from(JSON.stringify({ i })),
        headers: [{ key: 'h', value: Buffer.from([0xff, i]) }],
        timestamp: T0 + i * 1000,
      })),
    );
    await broker.produce('events', [{ partition: 1, key: null, value: Buffer.from('x'.repeat(1000)) }]);
    base = `${gw.baseUrl}/v3/clusters/${broker.clusterId}/topics/events/partitions`;
  });

  afterAll(async () => {
    await gw.close();
  });

  async function read(query: string, partition = 0): Promise<ReadRecordsResponse> {
    const res = await fetch(`${base}/${partition}/records?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as ReadRecordsResponse;
  }

  async function error(url: string): Promise<{ status: number; error_code: number; message: string }> {
    const res = await fetch(url);
    return { status: res.status, ...((await res.json()) as { error_code: number; message: string }) };
  }

  it('reads forward from an offset, with decoded fields and paging offsets', async () => {
    const page = await read('offset=2&max_records=3&value_format=json&header_format=hex');
    expect(page.records.map((r) => r.offset)).toEqual([2, 3, 4]);
    expect(page.next_offset).toBe(5);
    expect(page.log_start_offset).toBe(0);
    expect(page.high_watermark).toBe(10);
    expect(page.records[0]).toEqual({
      partition_id: 0,
      offset: 2,
      timestamp: T0 + 2000,
      timestamp_type: 'CreateTime',
      key: { format: 'string', data: 'key-2', size: 5, truncated: false },
      value: { format: 'json', data: { i: 2 }, size: 7, truncated: false },
      headers: [{ key: 'h', value: { format: 'hex', data: 'ff02', size: 2, truncated: false } }],
      size: 5 + 7 + 1 + 2,
    });
    // Header bytes that are not UTF-8 are shown as base64 when a string is asked for, never mangled.
    const asString = await read('offset=2&max_records=1');
    expect(asString.records[0]?.headers[0]?.value).toEqual({ format: 'base64', data: Buffer.from([0xff, 2]).toString('base64'), size: 2, truncated: false });
  });

  it('reads backward from the newest, newest first', async () => {
    const page = await read('direction=backward&max_records=3');
    expect(page.records.map((r) => r.offset)).toEqual([9, 8, 7]);
    expect(page.next_offset).toBe(6);
  });

  it('starts at a timestamp, and at the oldest or newest end', async () => {
    expect((await read(`timestamp=${T0 + 6500}&max_records=2`)).records.map((r) => r.offset)).toEqual([7, 8]);
    expect((await read(`timestamp=${new Date(T0 + 6000).toISOString()}&max_records=1`)).records.map((r) => r.offset)).toEqual([6]);
    expect((await read('from=oldest&max_records=1')).records.map((r) => r.offset)).toEqual([0]);
    expect((await read('from=newest')).records).toEqual([]);
  });

  it('truncates long values with the flag and the full size, in any format', async () => {
    const page = await read('max_field_bytes=10', 1);
    expect(page.records[0]?.value).toEqual({ format: 'string', data: 'x'.repeat(10), size: 1000, truncated: true });
    expect((await read('max_field_bytes=4&format=hex', 1)).records[0]?.value).toEqual({ format: 'hex', data: '78787878', size: 1000, truncated: true });
    expect((await read('format=base64&key_format=string', 1)).records[0]?.key).toBeNull();
  });

  it('validates every parameter with a Confluent error body', async () => {
    for (const query of ['offset=-1', 'offset=abc', 'direction=sideways', 'max_records=0', 'max_records=100000', 'format=yaml', 'offset=1&from=oldest', 'timestamp=yesterday', 'bogus=1']) {
      const e = await error(`${base}/0/records?${query}`);
      expect([e.status, e.error_code, query]).toEqual([400, 400, query]);
    }
    expect(await error(`${base}/x/records`)).toMatchObject({ status: 400, error_code: 400 });
  });

  it('answers unknown topics, partitions and clusters with 404, and an offset past the end with 40402', async () => {
    expect(await error(`${gw.baseUrl}/v3/clusters/${broker.clusterId}/topics/nope/partitions/0/records`)).toMatchObject({ status: 404, error_code: 40403 });
    expect(await error(`${base}/7/records`)).toMatchObject({ status: 404, error_code: 40403 });
    expect(await error(`${gw.baseUrl}/v3/clusters/other/topics/events/partitions/0/records`)).toMatchObject({ status: 404, error_code: 404 });
    expect(await error(`${base}/0/records?offset=500`)).toMatchObject({ status: 404, error_code: 40402 });
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${gw.baseUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}/records');
  });
});
