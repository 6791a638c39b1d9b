import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import { BrokerHarness } from '../broker/testing/broker-harness.js';
import { API_KEYS } from '../protocol/api-keys.js';
import { decodeApiVersionsResponse } from '../protocol/apiVersions/index.js';
import { decodeFetchResponse, encodeFetchRequest, makeFetchRequest, makeFetchRequestPartition, makeFetchRequestTopic } from '../protocol/fetch/index.js';
import { FrameDecoder } from '../protocol/frame-decoder.js';
import { encodeRequestHeader } from '../protocol/header.js';
import { Writer } from '../protocol/primitives/writer.js';
import { DEFAULT_MAX_UNSENT_BYTES, MAX_IN_FLIGHT } from './connection.js';
import { FETCH_MAX_BYTES } from './handlers/fetch.js';
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

/** `count` size-prefixed request frames laid end to end, correlation ids 0..count-1. */
function frames(count: number, apiKey: number, apiVersion: number, body: (w: Writer) => void): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const w = new Writer();
    encodeRequestHeader(w, { apiKey, apiVersion, correlationId: i, clientId: 'limits' });
    body(w);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(w.length, 0);
    parts.push(prefix, Buffer.from(w.toBuffer()));
  }
  return Buffer.concat(parts);
}

/** A connection that records the correlation id of every response frame, in order. */
async function recorder(port: number): Promise<{ socket: Socket; ids: number[] }> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(s));
    s.once('error', reject);
  });
  const ids: number[] = [];
  const decoder = new FrameDecoder(1 << 30);
  socket.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) ids.push(frame.readInt32BE(0));
  });
  return { socket, ids };
}

describe('KafkaListener limits', () => {
  let h: BrokerHarness;
  let listener: KafkaListener;
  const clients: RawKafkaClient[] = [];
  const sockets: Socket[] = [];

  beforeEach(async () => {
    h = await BrokerHarness.start();
    listener = await KafkaListener.bind({ port: 0 });
    listener.serve(h.broker);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of sockets.splice(0)) s.destroy();
    await listener.close();
    await h.close();
  });

  const client = async (): Promise<RawKafkaClient> => {
    const c = await RawKafkaClient.connect(listener.port);
    clients.push(c);
    return c;
  };

  it(`starts at most ${MAX_IN_FLIGHT} requests of a connection, however many one write carries, and answers all in order`, async () => {
    await h.broker.createTopic({ name: 'quiet', partitions: 1 });
    const { socket, ids } = await recorder(listener.port);
    sockets.push(socket);
    // Long-polls that wait on the mock clock: each stays in flight until the clock moves.
    const longPoll = makeFetchRequest({
      maxWaitMs: 1000,
      minBytes: 1,
      topics: [makeFetchRequestTopic({ topic: 'quiet', partitions: [makeFetchRequestPartition({ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1024 })] })],
    });
    socket.write(frames(400, API_KEYS.Fetch, 4, (w) => encodeFetchRequest(w, longPoll, 4)));
    await waitFor(() => listener.inFlightRequestCount === MAX_IN_FLIGHT);
    expect(listener.pausedConnectionCount).toBe(1);
    // Each second of the clock answers one batch, and the next batch starts.
    for (let answered = 0; answered < 400;) {
      h.time.advance(1000);
      answered = Math.min(answered + MAX_IN_FLIGHT, 400);
      await waitFor(() => ids.length === answered);
      await waitFor(() => listener.inFlightRequestCount === Math.min(MAX_IN_FLIGHT, 400 - answered));
    }
    expect(ids).toEqual(Array.from({ length: 400 }, (_, i) => i));
    await waitFor(() => listener.pausedConnectionCount === 0);
  });

  it('holds a bounded number of response bytes for a client that sends many fetches and never reads', async () => {
    await h.broker.createTopic({ name: 'wide', partitions: 1 });
    await h.broker.produce('wide', Array.from({ length: 16 }, () => ({ partition: 0, key: null, value: Buffer.alloc(16_000, 1) })));
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ port: listener.port, host: '127.0.0.1' }, () => resolve(s));
      s.once('error', reject);
    });
    sockets.push(socket);
    // No 'data' listener: the socket stays paused, so after its small buffer the kernel's fill and the broker's writes back up.
    const requests = 2000;
    const fetchAll = makeFetchRequest({
      maxWaitMs: 0,
      topics: [makeFetchRequestTopic({ topic: 'wide', partitions: [makeFetchRequestPartition({ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 })] })],
    });
    socket.write(frames(requests, API_KEYS.Fetch, 4, (w) => encodeFetchRequest(w, fetchAll, 4)));
    const responseBytes = 16 * 16_000;
    // Unbounded, the broker would hold every response: ~500 MB. Poll until the held bytes stop moving.
    let last = -1;
    let still = 0;
    await waitFor(() => {
      const now = listener.unsentBytes;
      still = now === last && listener.pausedConnectionCount === 1 ? still + 1 : 0;
      last = now;
      return still >= 20;
    });
    expect(listener.unsentBytes).toBeGreaterThan(0);
    expect(listener.unsentBytes).toBeLessThanOrEqual(DEFAULT_MAX_UNSENT_BYTES + MAX_IN_FLIGHT * responseBytes);
    expect(listener.unsentBytes).toBeLessThan((requests * responseBytes) / 10);
    expect(listener.inFlightRequestCount).toBeLessThanOrEqual(MAX_IN_FLIGHT);
  });

  it('answers thousands of pipelined requests answered synchronously, in order, without deep recursion', async () => {
    const { socket, ids } = await recorder(listener.port);
    sockets.push(socket);
    socket.write(frames(5000, API_KEYS.ApiVersions, 0, () => undefined));
    await waitFor(() => ids.length === 5000);
    expect(ids).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    const c = await client();
    expect(decodeApiVersionsResponse(await c.request(API_KEYS.ApiVersions, 0, () => undefined), 0).errorCode).toBe(0);
  });

  it('closes the connection, as for any malformed request, on a topic name that is not UTF-8', async () => {
    const errors: string[] = [];
    const logged = await KafkaListener.bind({ port: 0, logger: { info: () => undefined, warn: () => undefined, error: (message) => void errors.push(message) } });
    logged.serve(h.broker);
    try {
      const bad = await RawKafkaClient.connect(logged.port);
      clients.push(bad);
      // Found by the wire fuzzer: a Fetch v6 whose topic name is 20,000 bytes that are not
      // UTF-8 decoded to 54,607 bytes of U+FFFD, which the response could not echo.
      const name = Buffer.alloc(20_000, 0xff);
      void bad.request(API_KEYS.Fetch, 6, (w) => {
        w.int32(-1).int32(0).int32(1).int32(1 << 20).int8(0);
        w.int32(1).int16(name.length).raw(name);
        w.int32(1).int32(0).int64(0n).int64(-1n).int32(1 << 20);
      }).catch(() => undefined);
      await bad.closed;
      expect(errors).toEqual([]);
      const good = await RawKafkaClient.connect(logged.port);
      clients.push(good);
      expect(decodeApiVersionsResponse(await good.request(API_KEYS.ApiVersions, 0, () => undefined), 0).errorCode).toBe(0);
    } finally {
      await logged.close();
    }
  });

  it(`keeps a fetch response within fetch.max.bytes (${FETCH_MAX_BYTES} bytes) whatever max_bytes asks`, async () => {
    await h.broker.createTopic({ name: 'big', partitions: 1 });
    await h.broker.produce('big', Array.from({ length: 16 }, () => ({ partition: 0, key: null, value: Buffer.alloc(60_000, 1) })));
    const c = await client();
    // A 16 KiB request naming the same megabyte a thousand times.
    const greedy = makeFetchRequest({
      maxWaitMs: 0,
      maxBytes: 0x7fffffff,
      topics: [makeFetchRequestTopic({ topic: 'big', partitions: Array.from({ length: 1000 }, () => makeFetchRequestPartition({ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 })) })],
    });
    const body = await c.request(API_KEYS.Fetch, 4, (w) => encodeFetchRequest(w, greedy, 4));
    expect(body.remaining).toBeLessThan(FETCH_MAX_BYTES + (1 << 20));
    const partitions = decodeFetchResponse(body, 4).responses[0]!.partitions;
    expect(partitions).toHaveLength(1000);
    const served = partitions.reduce((n, p) => n + (p.records?.length ?? 0), 0);
    expect(served).toBeGreaterThan(FETCH_MAX_BYTES - (1 << 20));
    expect(served).toBeLessThanOrEqual(FETCH_MAX_BYTES + (1 << 20));
  });
});
