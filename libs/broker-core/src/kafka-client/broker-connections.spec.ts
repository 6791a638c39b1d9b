import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeMetadataResponse, makeMetadataRequest, makeMetadataResponse } from '../protocol/metadata/index.js';
import { MockTime } from '../time.js';
import { MockTimer } from '../timer/mock-timer.js';
import { BrokerConnections, type BrokerEndpoint } from './broker-connections.js';
import { isKafkaClientError } from './kafka-client-error.js';
import { track, turn, until } from './testing/wait.js';
import { ScriptedKafkaServer, type ScriptedRequest } from './testing/scripted-server.js';

/** Each server names itself in Metadata's cluster id, so a test sees which one answered. */
const named = (name: string) => ({ header }: ScriptedRequest) => ({
  respond: (w: Parameters<typeof encodeMetadataResponse>[0]) => encodeMetadataResponse(w, makeMetadataResponse({ clusterId: name }), header.apiVersion),
});

describe('BrokerConnections', () => {
  const time = new MockTime();
  let timer: MockTimer;
  let servers: ScriptedKafkaServer[];
  let endpoints: Map<number, BrokerEndpoint>;
  let pool: BrokerConnections;
  let lookups = 0;

  beforeEach(async () => {
    timer = new MockTimer(time);
    servers = [await ScriptedKafkaServer.start(named('one')), await ScriptedKafkaServer.start(named('two'))];
    endpoints = new Map([[1, { host: '127.0.0.1', port: servers[0]!.port }]]);
    pool = new BrokerConnections({
      clientId: 'pool-test', timer, connectTimeoutMs: 1000, requestTimeoutMs: 5000, maxResponseBytes: 1 << 16,
      resolveBroker: (id) => {
        lookups++;
        return endpoints.get(id);
      },
      reconnectBackoffMs: 100, reconnectBackoffMaxMs: 400,
    });
  });
  afterEach(async () => {
    pool.close();
    timer.close();
    for (const server of servers) await server.close();
  });

  const clusterIdVia = async (brokerId: number): Promise<string | null> => (await (await pool.get(brokerId)).metadata(12, makeMetadataRequest())).clusterId;

  it('connects on first use and shares one connection per broker', async () => {
    expect(servers[0]!.accepted).toBe(0);
    const [a, b] = await Promise.all([pool.get(1), pool.get(1)]);
    expect(a).toBe(b);
    expect(await pool.get(1)).toBe(a);
    expect(servers[0]!.accepted).toBe(1);
    expect(await clusterIdVia(1)).toBe('one');
  });

  it('after the connection dies, waits out the backoff on the timer, then reconnects to where the lookup says the broker is now', async () => {
    const first = await pool.get(1);
    servers[0]!.dropConnections();
    await first.closed;
    endpoints.set(1, { host: '127.0.0.1', port: servers[1]!.port });
    const next = track(pool.get(1));
    await turn();
    time.advance(99);
    await turn();
    expect(next.settled()).toBe(false);
    expect(servers[1]!.accepted).toBe(0);
    time.advance(1);
    expect(await next.promise).not.toBe(first);
    expect(await clusterIdVia(1)).toBe('two');
  });

  it('doubles the backoff per failed attempt up to the maximum, and resets it after a success', async () => {
    endpoints.set(2, { host: '127.0.0.1', port: servers[1]!.port });
    await servers[1]!.close();
    const failing = await pool.get(2).catch((e: unknown) => e);
    expect(isKafkaClientError(failing, 'disconnected')).toBe(true);
    // Each attempt resolves the endpoint first: lookups count attempts.
    for (const backoffMs of [100, 200, 400, 400]) {
      const attemptsBefore = lookups;
      const next = track(pool.get(2));
      time.advance(backoffMs - 1);
      await turn();
      expect(lookups).toBe(attemptsBefore);
      time.advance(1);
      expect(isKafkaClientError(await next.promise.catch((e: unknown) => e), 'disconnected')).toBe(true);
      expect(lookups).toBe(attemptsBefore + 1);
    }
    servers[1] = await ScriptedKafkaServer.start(named('two again'));
    endpoints.set(2, { host: '127.0.0.1', port: servers[1].port });
    time.advance(400);
    expect(await clusterIdVia(2)).toBe('two again');
    servers[1].dropConnections();
    await until(() => pool.peek(2) === undefined, 'connection seen dead');
    const again = track(pool.get(2));
    time.advance(99);
    await turn();
    expect(again.settled()).toBe(false);
    time.advance(1);
    await again.promise;
  });

  it('a broker with no known endpoint fails the get() and is retried after a backoff', async () => {
    const err = await pool.get(9).catch((e: unknown) => e);
    expect(isKafkaClientError(err, 'disconnected')).toBe(true);
    expect(String(err)).toMatch(/broker 9 has no known endpoint/);
    endpoints.set(9, { host: '127.0.0.1', port: servers[1]!.port });
    const next = track(pool.get(9));
    time.advance(100);
    await next.promise;
    expect(await clusterIdVia(9)).toBe('two');
  });

  it('disconnect() closes one broker without a backoff; close() fails waiting and later get()s', async () => {
    const conn = await pool.get(1);
    pool.disconnect(1);
    expect(conn.isClosed).toBe(true);
    expect(await pool.get(1)).not.toBe(conn);
    servers[0]!.dropConnections();
    await until(() => pool.peek(1) === undefined, 'connection seen dead');
    const waiting = track(pool.get(1));
    pool.close();
    expect(isKafkaClientError(await waiting.promise.catch((e: unknown) => e), 'disconnected')).toBe(true);
    expect(isKafkaClientError(await pool.get(1).catch((e: unknown) => e), 'disconnected')).toBe(true);
  });
});
