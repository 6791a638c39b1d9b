import type { BrokerApi, RecordView } from '@weir/broker-core';
import { type ProduceBatchResponse, type ProduceResponse, produceBatchResponseSchema, produceResponseSchema } from '@weir/contracts';
import kafkajs from 'kafkajs';
import { BROKER } from '../../../apps/gateway/src/broker/broker.module.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { b64, call, type ErrorBody, parseLines } from './v3-client.js';

describe('REST v3 produce: records, streaming and records:batch', () => {
  let gw: TestGateway;
  let broker: BrokerApi;
  let base: string;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gw.baseUrl, method, path, body);

  beforeAll(async () => {
    gw = await startTestGateway();
    broker = gw.get<BrokerApi>(BROKER);
    base = `/v3/clusters/${broker.clusterId}`;
    for (const [topic_name, partitions_count] of [['events', 1], ['keyed', 6], ['stream', 1], ['batch', 2]] as const) {
      expect((await api('POST', `${base}/topics`, { topic_name, partitions_count })).status).toBe(201);
    }
  }, 60_000);

  afterAll(async () => {
    await gw.close();
  }, 30_000);

  async function readAll(topic: string, partition: number): Promise<readonly RecordView[]> {
    return (await broker.readRecords(topic, partition, { start: { offset: 0n }, maxRecords: 1000 })).records;
  }

  it('produces one record with key, value, headers and timestamp, and reads it back', async () => {
    const { status, body } = await api<ProduceResponse>('POST', `${base}/topics/events/records`, {
      partition_id: 0,
      headers: [
        { name: 'trace', value: b64('abc') },
        { name: 'empty', value: null },
      ],
      key: { type: 'STRING', data: 'user-1' },
      value: { type: 'JSON', data: { amount: 42, tags: ['a'] } },
      timestamp: '2026-01-02T03:04:05.678Z',
    });
    expect(status).toBe(200);
    expect(produceResponseSchema.parse(body)).toEqual({
      error_code: 200,
      cluster_id: broker.clusterId,
      topic_name: 'events',
      partition_id: 0,
      offset: 0,
      timestamp: '2026-01-02T03:04:05.678Z',
      key: { type: 'STRING', size: 6 },
      value: { type: 'JSON', size: Buffer.byteLength('{"amount":42,"tags":["a"]}') },
    });
    const [record] = await readAll('events', 0);
    expect(record!.key?.toString()).toBe('user-1');
    expect(JSON.parse(record!.value!.toString())).toEqual({ amount: 42, tags: ['a'] });
    expect(record!.timestamp).toBe(BigInt(Date.parse('2026-01-02T03:04:05.678Z')));
    expect(record!.headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual([
      ['trace', 'abc'],
      ['empty', null],
    ]);
  });

  it('produces BINARY data and null values (tombstones)', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const binary = await api<ProduceResponse>('POST', `${base}/topics/events/records`, { key: { type: 'BINARY', data: b64('k') }, value: { data: bytes.toString('base64') } });
    expect(binary.body).toMatchObject({ error_code: 200, offset: 1, key: { type: 'BINARY', size: 1 }, value: { type: 'BINARY', size: 5 } });
    const tombstone = await api<ProduceResponse>('POST', `${base}/topics/events/records`, { key: { type: 'STRING', data: 'gone' } });
    expect(tombstone.body).toMatchObject({ error_code: 200, offset: 2, value: null });
    const records = await readAll('events', 0);
    expect(records[1]!.value).toEqual(bytes);
    expect(records[2]!.value).toBeNull();
  });

  it('answers bad records with the Confluent error body', async () => {
    const badBase64 = await api<ErrorBody>('POST', `${base}/topics/events/records`, { value: { type: 'BINARY', data: 'not base64!' } });
    expect(badBase64.status).toBe(400);
    expect(badBase64.body).toEqual({ error_code: 400, message: expect.stringMatching(/not a base64 string/) });
    const badHeader = await api<ErrorBody>('POST', `${base}/topics/events/records`, { headers: [{ name: 'h', value: '***' }] });
    expect(badHeader.status).toBe(400);
    expect((await api<ErrorBody>('POST', `${base}/topics/events/records`, { value: { type: 'AVRO', data: {} } })).status).toBe(400);
    expect((await api<ErrorBody>('POST', `${base}/topics/events/records`, { value: { type: 'STRING', data: 5 } })).status).toBe(400);
    expect((await api<ErrorBody>('POST', `${base}/topics/events/records`, '{"value": ')).status).toBe(400);
    const missingPartition = await api<ErrorBody>('POST', `${base}/topics/events/records`, { partition_id: 3, value: null });
    expect(missingPartition.status).toBe(404);
    expect(missingPartition.body.error_code).toBe(40403);
    const empty = await fetch(`${gw.baseUrl}${base}/topics/events/records`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(422);
    const text = await fetch(`${gw.baseUrl}${base}/topics/events/records`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(text.status).toBe(415);
  });

  it('answers an oversized record 413', async () => {
    const huge = 'A'.repeat(3 * 1024 * 1024);
    const res = await api<ErrorBody>('POST', `${base}/topics/events/records`, { value: { type: 'BINARY', data: huge } });
    expect(res.status).toBe(413);
    expect(res.body.error_code).toBe(413);
  });

  it('routes keyed records to the partitions Kafka\'s default partitioner picks (murmur2)', async () => {
    const partitioner = kafkajs.Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1, 2, 3, 4, 5].map((partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));
    const keys = ['alpha', 'beta', 'gamma', 'delta', 'user-1', 'user-2', 'order-1000', '', 'ü-nicode', 'k'.repeat(100)];
    for (const key of keys) {
      const expected = partitioner({ topic: 'keyed', partitionMetadata, message: { key: Buffer.from(key), value: null } });
      const res = await api<ProduceResponse>('POST', `${base}/topics/keyed/records`, { key: { type: 'STRING', data: key }, value: { type: 'STRING', data: key } });
      expect({ key, partition: res.body.partition_id }).toEqual({ key, partition: expected });
    }
  });

  it('streams concatenated records with one report each, in order, a bad record in the middle', async () => {
    const records = [
      { value: { type: 'STRING', data: 'one' } },
      { value: { type: 'BINARY', data: '%%%' } },
      { value: { type: 'STRING', data: 'three' } },
    ];
    // Concatenated without separators, then garbage, then a record after it.
    const body = `${records.map((r) => JSON.stringify(r)).join('')}\n nonsense {"value":{"type":"JSON","data":[1,{"}":"{"}]}}`;
    const res = await fetch(`${gw.baseUrl}${base}/topics/stream/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunkedBody([body.slice(0, 7), body.slice(7, 50), body.slice(50)]),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    const reports = parseLines<ProduceResponse>(await res.text());
    expect(reports.map((r) => r.error_code)).toEqual([200, 400, 200, 400, 200]);
    expect(reports.map((r) => r.offset)).toEqual([0, undefined, 1, undefined, 2]);
    expect(reports[3]!.message).toMatch(/nonsense/);
    const stored = await readAll('stream', 0);
    expect(stored.map((r) => r.value?.toString())).toEqual(['one', 'three', '[1,{"}":"{"}]']);
  });

  it('answers each streamed record as it is produced (a client may wait for each report)', async () => {
    let push!: (text: string | null) => void;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => (text === null ? controller.close() : controller.enqueue(new TextEncoder().encode(text)));
      },
    });
    push('{"value":{"type":"STRING","data":"first"}}');
    const res = await fetch(`${gw.baseUrl}${base}/topics/stream/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    const nextReport = async (): Promise<ProduceResponse> => {
      while (!buffered.includes('\n')) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended early');
        buffered += decoder.decode(value, { stream: true });
      }
      const line = buffered.slice(0, buffered.indexOf('\n'));
      buffered = buffered.slice(buffered.indexOf('\n') + 1);
      return JSON.parse(line) as ProduceResponse;
    };
    expect(await nextReport()).toMatchObject({ error_code: 200, offset: 3 });
    push('{"value":{"type":"STRING","data":"second"}}');
    expect(await nextReport()).toMatchObject({ error_code: 200, offset: 4 });
    push(null);
    expect((await reader.read()).done).toBe(true);
  });

  it('streams many records in few broker calls, keeping every report in order', async () => {
    const count = 3000;
    const body = Array.from({ length: count }, (_, i) => JSON.stringify({ partition_id: 0, value: { type: 'STRING', data: `r${i}` } })).join('\n');
    const res = await fetch(`${gw.baseUrl}${base}/topics/stream/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const reports = parseLines<ProduceResponse>(await res.text());
    expect(reports).toHaveLength(count);
    const first = reports[0]!.offset!;
    expect(reports.every((r, i) => r.error_code === 200 && r.offset === first + i)).toBe(true);
  });

  it('records:batch answers 207 with successes and failures by entry id', async () => {
    const { status, body } = await api<ProduceBatchResponse>('POST', `${base}/topics/batch/records:batch`, {
      entries: [
        { id: 'a', partition_id: 1, value: { type: 'STRING', data: 'A' } },
        { id: 'b', value: { type: 'BINARY', data: '!!' } },
        { id: 'c', partition_id: 1, key: { type: 'JSON', data: { k: 1 } }, value: { type: 'STRING', data: 'C' } },
        { id: 'd', partition_id: 9, value: null },
      ],
    });
    expect(status).toBe(207);
    const parsed = produceBatchResponseSchema.parse(body);
    expect(parsed.successes.map((s) => [s.id, s.partition_id, s.offset])).toEqual([
      ['a', 1, 0],
      ['c', 1, 1],
    ]);
    expect(parsed.failures.map((f) => [f.id, f.error_code])).toEqual([
      ['b', 400],
      ['d', 40403],
    ]);
    expect((await readAll('batch', 1)).map((r) => r.value?.toString())).toEqual(['A', 'C']);
  });

  it('records:batch refuses empty batches and duplicate ids with 422 42208', async () => {
    for (const entries of [[], [{ id: 'x' }, { id: 'x' }]]) {
      const res = await api<ErrorBody>('POST', `${base}/topics/batch/records:batch`, { entries });
      expect(res.status).toBe(422);
      expect(res.body.error_code).toBe(42208);
    }
    expect((await api<ErrorBody>('POST', `${base}/topics/batch/records:batch`, { entries: [{ value: null }] })).status).toBe(400);
  });
});

/** A request body that fetch sends with Transfer-Encoding: chunked, one chunk per piece. */
function chunkedBody(pieces: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}
