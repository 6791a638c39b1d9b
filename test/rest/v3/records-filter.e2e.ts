import type { BrokerApi } from '@weir/broker-core';
import type { ReadRecordsResponse } from '@weir/contracts';
import { BROKER } from '../../../apps/gateway/src/broker/broker.module.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

/** 1,000 records on partition 0: every 100th (offsets 7, 107, ...) is an order with a trace header; value 555 holds bytes that are not UTF-8. */
const RECORDS = 1_000;

describe('records read endpoint: substring filters and the scan budget', () => {
  let gw: TestGateway;
  let broker: BrokerApi;
  let base: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    broker = gw.get<BrokerApi>(BROKER);
    await broker.createTopic({ name: 'orders', partitions: 1 });
    await broker.produce(
      'orders',
      Array.from({ length: RECORDS }, (_, i) => {
        const order = i % 100 === 7;
        return {
          partition: 0,
          key: Buffer.from(order ? `customer-${i}` : `visitor-${i}`),
          value: i === 555 ? Buffer.from([0xff, 0x00, 0x4e, 0x45, 0x45, 0x44, 0x4c, 0x45, 0xfe]) : Buffer.from(JSON.stringify({ kind: order ? 'Order' : 'view', i })),
          headers: order ? [{ key: 'trace-id', value: Buffer.from(`t${i}`) }] : [{ key: 'source', value: Buffer.from('web') }],
        };
      }),
    );
    base = `${gw.baseUrl}/v3/clusters/${broker.clusterId}/topics/orders/partitions/0/records`;
  });

  afterAll(async () => {
    await gw.close();
  });

  async function read(query: string): Promise<ReadRecordsResponse> {
    const res = await fetch(`${base}?${query}`);
    const body = (await res.json()) as ReadRecordsResponse;
    expect({ status: res.status, body }).toMatchObject({ status: 200 });
    return body;
  }

  const orderOffsets = Array.from({ length: 10 }, (_, k) => k * 100 + 7);

  it('keeps records whose value contains the substring, case-sensitively, scanning the whole partition', async () => {
    const page = await read('from=oldest&value_contains=%22Order%22&max_records=100');
    expect(page.records.map((r) => r.offset)).toEqual(orderOffsets);
    expect(page).toMatchObject({ scanned_records: RECORDS, scanned_to_offset: RECORDS - 1, scan_budget_exhausted: false, next_offset: RECORDS });
    expect((await read('from=oldest&value_contains=order&max_records=100')).records).toEqual([]);
  });

  it('filters by key and by header name or value, and combines filters', async () => {
    expect((await read('key_contains=customer-&max_records=100')).records.map((r) => r.offset)).toEqual(orderOffsets);
    expect((await read('header_contains=trace&max_records=100')).records.map((r) => r.offset)).toEqual(orderOffsets);
    expect((await read('header_contains=t907')).records.map((r) => r.offset)).toEqual([907]);
    expect((await read('key_contains=customer-&header_contains=t207')).records.map((r) => r.offset)).toEqual([207]);
  });

  it('matches raw bytes of a value that is not UTF-8', async () => {
    const page = await read('value_contains=NEEDLE&format=hex');
    expect(page.records.map((r) => [r.offset, r.value?.data])).toEqual([[555, 'ff004e4545444c45fe']]);
  });

  it('stops when max_records match, with next_offset right after the last record examined', async () => {
    const first = await read('from=oldest&key_contains=customer-&max_records=2');
    expect(first.records.map((r) => r.offset)).toEqual([7, 107]);
    expect(first).toMatchObject({ next_offset: 108, scanned_to_offset: 107, scanned_records: 108, scan_budget_exhausted: false });
    const next = await read(`offset=${first.next_offset}&key_contains=customer-&max_records=2`);
    expect(next.records.map((r) => r.offset)).toEqual([207, 307]);
  });

  it('scans backward from the newest, newest first', async () => {
    const page = await read('direction=backward&key_contains=customer-&max_records=3');
    expect(page.records.map((r) => r.offset)).toEqual([907, 807, 707]);
    expect(page).toMatchObject({ next_offset: 706, scanned_to_offset: 707, scan_budget_exhausted: false });
  });

  it('answers within the record budget, saying how far it got, and continues from next_offset', async () => {
    const page = await read('from=oldest&key_contains=customer-&max_records=100&max_scan_records=250');
    expect(page.records.map((r) => r.offset)).toEqual([7, 107, 207]);
    expect(page).toMatchObject({ scanned_records: 250, scanned_to_offset: 249, scan_budget_exhausted: true, next_offset: 250 });
    const rest = await read(`offset=${page.next_offset}&key_contains=customer-&max_records=100&max_scan_records=1000`);
    expect(rest.records.map((r) => r.offset)).toEqual(orderOffsets.slice(3));
    expect(rest.scan_budget_exhausted).toBe(false);

    const backward = await read('direction=backward&key_contains=nobody&max_scan_records=100');
    expect(backward).toMatchObject({ records: [], scanned_records: 100, scanned_to_offset: 900, scan_budget_exhausted: true, next_offset: 899 });
  });

  it('answers within the byte budget', async () => {
    const page = await read('from=oldest&key_contains=nobody&max_scan_bytes=2000');
    expect(page.scan_budget_exhausted).toBe(true);
    expect(page.scanned_records).toBeGreaterThan(0);
    expect(page.scanned_records).toBeLessThan(RECORDS);
    expect(page.next_offset).toBe(page.scanned_to_offset! + 1);
  });

  it('leaves unfiltered reads as they were, without scan fields', async () => {
    const page = await read('from=oldest&max_records=5');
    expect(page.records).toHaveLength(5);
    expect(page).not.toHaveProperty('scanned_records');
  });

  it('rejects empty or oversized needles and budgets out of range with a Confluent error body', async () => {
    for (const query of ['key_contains=', `value_contains=${'x'.repeat(1025)}`, 'max_scan_records=0', 'max_scan_bytes=abc']) {
      const res = await fetch(`${base}?${query}`);
      expect({ query, status: res.status, body: (await res.json()) as unknown }).toMatchObject({ status: 400, body: { error_code: 400, message: expect.stringMatching(/Invalid query/) } });
    }
  });
});
