import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type AddressInfo } from 'node:net';
import { API_KEYS } from '../protocol/api-keys.js';
import { encodeFetchResponse, makeFetchRequest, makeFetchResponse, makeFetchResponseFetchableTopicResponse, makeFetchResponsePartitionData } from '../protocol/fetch/index.js';
import { encodeMetadataResponse, makeMetadataRequest, makeMetadataResponse } from '../protocol/metadata/index.js';
import { MockTime } from '../time.js';
import { MockTimer } from '../timer/mock-timer.js';
import { KafkaClientConnection } from './kafka-client-connection.js';
import { isKafkaClientError, type KafkaClientErrorReason } from './kafka-client-error.js';
import { rejection, turn, until } from './testing/wait.js';
import { rawFrame, ScriptedKafkaServer, type ScriptedHandler, type ScriptedReply, type ScriptedRequest } from './testing/scripted-server.js';

function expectClientError(err: unknown, reason: KafkaClientErrorReason): void {
  expect(isKafkaClientError(err, reason)).toBe(true);
}

/** A Metadata response in the version asked for. */
const metadataReply = ({ header }: ScriptedRequest): ScriptedReply => ({
  respond: (w) => encodeMetadataResponse(w, makeMetadataResponse({ clusterId: 'scripted' }), header.apiVersion),
});

/**
 * The cases a real broker will not produce on demand, against a scripted server:
 * silence (request timeouts on the mock timer), drops, oversized frames, unexpected
 * correlation ids, undecodable bodies, a response that arrives a byte at a time.
 */
describe('KafkaClientConnection failures', () => {
  const time = new MockTime();
  let timer: MockTimer;
  let server: ScriptedKafkaServer | undefined;

  afterEach(async () => {
    timer.close();
    await server?.close();
    server = undefined;
  });

  async function connect(handler: ScriptedHandler, maxResponseBytes = 4096): Promise<KafkaClientConnection> {
    timer = new MockTimer(time);
    server = await ScriptedKafkaServer.start(handler);
    return KafkaClientConnection.connect({
      host: '127.0.0.1', port: server.port, clientId: 'broker-7-fetcher', timer, connectTimeoutMs: 1000, requestTimeoutMs: 30_000, maxResponseBytes,
    });
  }

  it('sends header v2 for flexible versions and v1 before them, with the client id and increasing correlation ids', async () => {
    const conn = await connect(metadataReply);
    expect((await conn.metadata(12, makeMetadataRequest())).clusterId).toBe('scripted');
    expect((await conn.metadata(8, makeMetadataRequest())).clusterId).toBe('scripted');
    expect(server!.requests).toEqual([
      { apiKey: API_KEYS.Metadata, apiVersion: 12, correlationId: 0, clientId: 'broker-7-fetcher', headerVersion: 2 },
      { apiKey: API_KEYS.Metadata, apiVersion: 8, correlationId: 1, clientId: 'broker-7-fetcher', headerVersion: 1 },
    ]);
    conn.close();
  });

  it('times out a request the peer never answers on the timer, and the connection is then dead', async () => {
    const conn = await connect(() => ({ hang: true }));
    let settled = false;
    const first = conn.metadata(12, makeMetadataRequest()).finally(() => (settled = true));
    const second = conn.metadata(12, makeMetadataRequest());
    await until(() => server!.requests.length === 2, 'requests received');
    time.advance(29_999);
    await turn();
    expect(settled).toBe(false);
    time.advance(1);
    const err = await rejection(first);
    expectClientError(err, 'timeout');
    expect(String(err)).toMatch(/Metadata v12 \(correlation id 0\).*30000 ms/);
    expect(await rejection(second)).toBe(err);
    expect(conn.isClosed).toBe(true);
    expect(await conn.closed).toBe(err);
    expect(await rejection(conn.metadata(12, makeMetadataRequest()))).toBe(err);
    await until(() => server!.openConnections === 0, 'the socket closed at the server');
  });

  it('rejects every pending request with disconnected when the peer drops the connection', async () => {
    const conn = await connect(() => ({ hang: true }));
    const pending = [1, 2, 3].map(() => rejection(conn.metadata(12, makeMetadataRequest())));
    await until(() => server!.requests.length === 3, 'requests received');
    server!.dropConnections();
    for (const err of await Promise.all(pending)) expectClientError(err, 'disconnected');
    expect(conn.inFlightCount).toBe(0);
    expectClientError(await conn.closed, 'disconnected');
  });

  it('close() by the owner rejects pending requests with disconnected', async () => {
    const conn = await connect(() => ({ hang: true }));
    const pending = rejection(conn.metadata(12, makeMetadataRequest()));
    conn.close();
    const err = await pending;
    expectClientError(err, 'disconnected');
    expect(String(err)).toMatch(/closed by its owner/);
  });

  it('a frame above maxResponseBytes is a protocol error, seen from its size prefix alone', async () => {
    const prefixOnly = Buffer.alloc(8);
    prefixOnly.writeInt32BE(4097, 0);
    const conn = await connect(() => ({ raw: prefixOnly }), 4096);
    const err = await rejection(conn.metadata(12, makeMetadataRequest()));
    expectClientError(err, 'protocol');
    expect(String(err)).toMatch(/maxResponseBytes 4096/);
  });

  it.each<[string, (correlationId: number) => Buffer]>([
    ['a correlation id of no pending request', (id) => rawFrame(Buffer.from([0, 0, 0x70, id, 0]))],
    ['a frame too short for a correlation id', () => rawFrame(Buffer.from([0, 1]))],
    ['a body that does not decode', (id) => rawFrame(Buffer.from([0, 0, 0, id, 0, 0xff]))],
  ])('%s is a protocol error', async (_name, frame) => {
    const conn = await connect(({ header }) => ({ raw: frame(header.correlationId) }));
    expectClientError(await rejection(conn.metadata(12, makeMetadataRequest())), 'protocol');
    expect(conn.isClosed).toBe(true);
  });

  it('refuses an answer to a later request ahead of the oldest one (a broker answers in order)', async () => {
    const conn = await connect((request) => (request.header.correlationId === 0 ? { hang: true } : metadataReply(request)));
    const first = rejection(conn.metadata(12, makeMetadataRequest()));
    const second = rejection(conn.metadata(12, makeMetadataRequest()));
    const err = await first;
    expectClientError(err, 'protocol');
    expect(String(err)).toMatch(/correlation id 1 .*expected 0/);
    expect(await second).toBe(err);
  });

  it('reassembles a response that arrives a byte at a time; its records are views of the one frame', async () => {
    const records = [Buffer.alloc(300, 1), Buffer.alloc(200, 2)];
    const conn = await connect(() => ({
      pieceBytes: 1,
      respond: (w) => encodeFetchResponse(w, makeFetchResponse({
        responses: [makeFetchResponseFetchableTopicResponse({
          topic: 't', partitions: records.map((r, i) => makeFetchResponsePartitionData({ partitionIndex: i, highWatermark: 5n, records: r })),
        })],
      }), 12),
    }));
    const response = await conn.fetch(12, makeFetchRequest({ replicaId: 3 }));
    const got = response.responses[0]!.partitions.map((p) => p.records!);
    expect(got).toEqual(records);
    expect(got[0]!.buffer).toBe(got[1]!.buffer);
    conn.close();
  });

  it('a refused connection rejects with disconnected', async () => {
    timer = new MockTimer(time);
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await rejection(KafkaClientConnection.connect({ host: '127.0.0.1', port, clientId: 'x', timer, connectTimeoutMs: 1000, requestTimeoutMs: 1000, maxResponseBytes: 4096 }));
    expectClientError(err, 'disconnected');
  });
});
