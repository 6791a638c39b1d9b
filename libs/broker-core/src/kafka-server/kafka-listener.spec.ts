import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { BrokerHarness } from '../broker/testing/broker-harness.js';
import { API_KEYS } from '../protocol/api-keys.js';
import { decodeApiVersionsResponse } from '../protocol/apiVersions/index.js';
import { encodeRecordBatch } from '../log/batch/index.js';
import { decodeFetchResponse, encodeFetchRequest, makeFetchRequest, makeFetchRequestPartition, makeFetchRequestTopic } from '../protocol/fetch/index.js';
import { decodeProduceResponse, encodeProduceRequest, makeProduceRequest, makeProduceRequestPartitionProduceData, makeProduceRequestTopicProduceData } from '../protocol/produce/index.js';
import { KafkaListener } from './kafka-listener.js';
import { RawKafkaClient } from './testing/raw-client.js';

/** Polls a condition on the event loop (no fixed sleep); fails after 10 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('KafkaListener', () => {
  let h: BrokerHarness;
  let listener: KafkaListener;
  const clients: RawKafkaClient[] = [];
  const client = async (): Promise<RawKafkaClient> => {
    const c = await RawKafkaClient.connect(listener.port);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    h = await BrokerHarness.start();
    listener = await KafkaListener.bind({ port: 0, maxRequestBytes: 1 << 20, maxUnsentBytes: 64 * 1024 });
    listener.serve(h.broker);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await listener.close();
    await h.close();
  });

  it('answers ApiVersions in every version with the APIs it serves', async () => {
    const c = await client();
    for (const version of [0, 1, 2, 3]) {
      const body = await c.request(API_KEYS.ApiVersions, version, (w) => {
        if (version >= 3) w.compactString('weir-test').compactString('1.0').taggedFields();
      });
      const response = decodeApiVersionsResponse(body, version);
      expect(response.errorCode).toBe(0);
      expect(response.apiKeys).toContainEqual({ apiKey: API_KEYS.ApiVersions, minVersion: 0, maxVersion: 3 });
    }
  });

  it('lists Produce from v0 for librdkafka, yet refuses Produce v0-v2 by closing the connection', async () => {
    const c = await client();
    const response = decodeApiVersionsResponse(await c.request(API_KEYS.ApiVersions, 3, (w) => w.compactString('t').compactString('1').taggedFields()), 3);
    expect(response.apiKeys).toContainEqual(expect.objectContaining({ apiKey: API_KEYS.Produce, minVersion: 0, maxVersion: 10 }));
    const old = await client();
    void old.request(API_KEYS.Produce, 2, (w) => w.int16(1).int32(1000).int32(0)).catch(() => undefined);
    await old.closed;
  });

  it('answers a too-new ApiVersions with v0, UNSUPPORTED_VERSION and its own range (KIP-511)', async () => {
    const c = await client();
    const body = await c.request(API_KEYS.ApiVersions, 42, () => undefined);
    const response = decodeApiVersionsResponse(body, 0);
    expect(response.errorCode).toBe(35);
    expect(response.apiKeys).toEqual([{ apiKey: API_KEYS.ApiVersions, minVersion: 0, maxVersion: 3 }]);
    expect(c.isClosed).toBe(false);
  });

  it('answers pipelined requests in the order they were sent', async () => {
    const c = await client();
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => c.request(API_KEYS.ApiVersions, i % 4, (w) => {
        if (i % 4 === 3) w.compactString('x').compactString('y').taggedFields();
      }).then(() => order.push(i))),
    );
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it.each([
    ['an unknown api key', (c: RawKafkaClient) => void c.request(9999, 0, () => undefined).catch(() => undefined)],
    ['a size prefix above socket.request.max.bytes', (c: RawKafkaClient) => c.sendRaw(Buffer.from([0x7f, 0xff, 0xff, 0xff]))],
    ['a negative size prefix', (c: RawKafkaClient) => c.sendRaw(Buffer.from([0xff, 0xff, 0xff, 0xfe]))],
    ['a frame too short for a header', (c: RawKafkaClient) => c.sendFrame(Buffer.from([0, 18, 0]))],
    ['a truncated ApiVersions v3 body', (c: RawKafkaClient) => void c.request(API_KEYS.ApiVersions, 3, (w) => w.unsignedVarint(200)).catch(() => undefined)],
  ])('closes the connection on %s, and keeps serving others', async (_what, send) => {
    const bad = await client();
    const good = await client();
    send(bad);
    await bad.closed;
    const body = await good.request(API_KEYS.ApiVersions, 0, () => undefined);
    expect(decodeApiVersionsResponse(body, 0).errorCode).toBe(0);
  });

  it('stops reading from a client that does not read its responses, and carries on when it does', async () => {
    await h.broker.createTopic({ name: 'big', partitions: 1 });
    await h.broker.produce('big', Array.from({ length: 16 }, () => ({ partition: 0, key: null, value: Buffer.alloc(60_000, 1) })));
    const c = await client();
    c.setReading(false);
    const fetchAll = makeFetchRequest({
      maxWaitMs: 0,
      topics: [makeFetchRequestTopic({ topic: 'big', partitions: [makeFetchRequestPartition({ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 })] })],
    });
    // Each response carries ~1 MB: far more than the socket buffers and the 64 KiB allowance hold.
    const answered = Array.from({ length: 40 }, () => c.request(API_KEYS.Fetch, 4, (w) => encodeFetchRequest(w, fetchAll, 4)));
    await waitFor(() => listener.pausedConnectionCount === 1);
    c.setReading(true);
    const bodies = await Promise.all(answered);
    for (const body of bodies) expect(decodeFetchResponse(body, 4).responses[0]!.partitions[0]!.records!.length).toBeGreaterThan(900_000);
    expect(listener.pausedConnectionCount).toBe(0);
  });

  it('stores the bytes of pipelined large produce requests, whose frames reuse the memory of those answered', async () => {
    await h.broker.createTopic({ name: 'bulk', partitions: 1 });
    const c = await client();
    // 300 KiB requests arrive in several socket reads each, so they are joined in pooled memory.
    const batches = Array.from({ length: 12 }, (_, i) => encodeRecordBatch({
      records: Array.from({ length: 30 }, (_, r) => ({ key: null, value: Buffer.alloc(10_000, (i * 31 + r) & 0xff) })),
      defaultTimestamp: 1_700_000_000_000n,
    }));
    const answered = batches.map((records) => c.request(API_KEYS.Produce, 7, (w) => encodeProduceRequest(w, makeProduceRequest({
      acks: 1, timeoutMs: 5000,
      topicData: [makeProduceRequestTopicProduceData({ name: 'bulk', partitionData: [makeProduceRequestPartitionProduceData({ index: 0, records })] })],
    }), 7)));
    for (const body of await Promise.all(answered)) expect(decodeProduceResponse(body, 7).responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
    const stored: Buffer[] = [];
    for (let offset = 0n; offset < 12n * 30n; offset += 30n) {
      const [result] = await h.broker.fetch([{ topic: 'bulk', partition: 0, fetchOffset: offset, maxBytes: 1 }]);
      stored.push(result!.records);
    }
    // Offsets and leader epoch are stamped outside the CRC: compare from the CRC on (as
    // booleans: Jest's deep equality walks 3.6 MB byte by byte for seconds).
    expect(stored.map((b) => b.length)).toEqual(batches.map((b) => b.length));
    expect(stored.map((b, i) => b.subarray(17).equals(batches[i]!.subarray(17)))).toEqual(batches.map(() => true));
  });

  it('holds connections that arrive before the broker is served', async () => {
    const early = await KafkaListener.bind({ port: 0 });
    try {
      const c = await RawKafkaClient.connect(early.port);
      clients.push(c);
      const response = c.request(API_KEYS.ApiVersions, 0, () => undefined);
      await new Promise<void>((resolve) => {
        const probe = connect({ port: early.port, host: '127.0.0.1' }, () => {
          probe.destroy();
          resolve();
        });
      });
      early.serve(h.broker);
      expect(decodeApiVersionsResponse(await response, 0).errorCode).toBe(0);
    } finally {
      await early.close();
    }
  });
});
