import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { makeTestCertificates, type TestCertificates } from '../../../../test/support/tls-certs.js';
import { startStandaloneBroker, type StandaloneBroker } from '../kafka-server/testing/standalone-broker.js';
import { makeMetadataRequest } from '../protocol/metadata/index.js';
import { deriveScramCredential, type SaslCredentialStore, type SaslMechanism } from '../security/sasl-credentials.js';
import { SystemTimer } from '../timer/system-timer.js';
import type { ClientSecurity } from './client-security.js';
import { KafkaClientConnection } from './kafka-client-connection.js';
import { KafkaClientError } from './kafka-client-error.js';

const USERS: Record<string, string> = { broker: 'broker-secret' };
const credentials: SaslCredentialStore = {
  verifyPlain: (name, password) => Promise.resolve(USERS[name] === password),
  scramCredential: (mechanism, name) => Promise.resolve(USERS[name] === undefined ? undefined : deriveScramCredential(mechanism, USERS[name])),
};

/**
 * A TCP relay in front of the listener: the client then reaches the listener as another
 * process's broker would (its connection is not one the listener knows as this process's
 * own, and the relay's port is no listener of this process), so TLS and SASL apply.
 */
async function relayTo(port: number, address = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = netConnect({ host: '127.0.0.1', port });
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined).on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<KafkaClientError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(KafkaClientError);
    return err as KafkaClientError;
  }
  throw new Error('expected the connection to fail');
}

describe('KafkaClientConnection with inter-broker security, against a SASL_SSL listener', () => {
  let certs: TestCertificates;
  let otherCa: TestCertificates;
  let broker: StandaloneBroker;
  let relay: { port: number; close(): Promise<void> };
  let timer: SystemTimer;

  beforeAll(async () => {
    certs = makeTestCertificates();
    otherCa = makeTestCertificates();
    broker = await startStandaloneBroker({
      security: { protocol: 'SASL_SSL', tls: { cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile) }, credentials },
    });
    relay = await relayTo(broker.listener.port);
    timer = new SystemTimer();
  });
  afterAll(async () => {
    timer?.close();
    await relay?.close();
    await broker?.close();
    certs?.remove();
    otherCa?.remove();
  });

  const connect = (security: ClientSecurity, port = relay.port): Promise<KafkaClientConnection> =>
    KafkaClientConnection.connect({ host: '127.0.0.1', port, clientId: 'broker-2-test', timer, connectTimeoutMs: 10_000, requestTimeoutMs: 10_000, maxResponseBytes: 1 << 20, security });
  const sasl = (mechanism: SaslMechanism, password = USERS.broker!) => ({ mechanism, username: 'broker', password });

  const principals = async (expected: string): Promise<string[]> => {
    const deadline = Date.now() + 10_000;
    while (!broker.listener.connectedPrincipals().includes(expected) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return broker.listener.connectedPrincipals();
  };

  it.each(['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'] as const)('authenticates with %s over TLS verified against the CA, then serves requests', async (mechanism) => {
    const conn = await connect({ protocol: 'SASL_SSL', tls: { ca: certs.ca }, sasl: sasl(mechanism) });
    const metadata = await conn.metadata(12, makeMetadataRequest({ topics: [], allowAutoTopicCreation: false }));
    expect(metadata.brokers.map((b) => b.nodeId)).toEqual([1]);
    expect(await principals('User:broker')).toContain('User:broker');
    conn.close();
  });

  it.each(['SCRAM-SHA-512', 'PLAIN'] as const)('refuses a wrong password with the server\'s message (%s)', async (mechanism) => {
    const err = await failure(connect({ protocol: 'SASL_SSL', tls: { ca: certs.ca }, sasl: sasl(mechanism, 'not-the-password') }));
    expect(err.reason).toBe('authentication');
    expect(err.message).toMatch(new RegExp(`SASL ${mechanism} as broker to 127\\.0\\.0\\.1:\\d+ failed: Authentication failed`));
  });

  it('fails the TLS handshake when the listener\'s certificate does not chain to the trusted CA', async () => {
    const err = await failure(connect({ protocol: 'SASL_SSL', tls: { ca: otherCa.ca }, sasl: sasl('SCRAM-SHA-512') }));
    expect(err.reason).toBe('authentication');
    expect(err.message).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed: .*(self[- ]signed|unable to verify|local issuer)/i);
  });

  it('fails when the certificate does not name the host connected to (127.0.0.2 is not in its subjectAltName)', async () => {
    const elsewhere = await relayTo(broker.listener.port, '127.0.0.2');
    try {
      const err = await failure(KafkaClientConnection.connect({
        host: '127.0.0.2', port: elsewhere.port, clientId: 'broker-2-test', timer, connectTimeoutMs: 10_000, requestTimeoutMs: 10_000, maxResponseBytes: 1 << 20,
        security: { protocol: 'SASL_SSL', tls: { ca: certs.ca }, sasl: sasl('SCRAM-SHA-512') },
      }));
      expect(err.reason).toBe('authentication');
      expect(err.message).toMatch(/TLS handshake with 127\.0\.0\.2:\d+ failed: .*(IP: 127\.0\.0\.2 is not in the cert's list)/);
    } finally {
      await elsewhere.close();
    }
  });

  it('never falls back to plaintext: a SASL_SSL client fails against a PLAINTEXT listener', async () => {
    const plain = await startStandaloneBroker();
    const plainRelay = await relayTo(plain.listener.port);
    try {
      const err = await failure(connect({ protocol: 'SASL_SSL', tls: { ca: certs.ca }, sasl: sasl('SCRAM-SHA-512') }, plainRelay.port));
      expect(err.reason).toBe('authentication');
      expect(plain.listener.stats.requests.size).toBe(0);
    } finally {
      await plainRelay.close();
      await plain.close();
    }
  });

  it('fails without credentials on a SASL protocol, rather than connecting unauthenticated', async () => {
    const err = await failure(connect({ protocol: 'SASL_SSL', tls: { ca: certs.ca } }));
    expect(err.reason).toBe('authentication');
    expect(err.message).toMatch(/needs SASL credentials, and none are configured/);
  });

  it('shows its certificate when the listener requires one (mutual TLS): the principal is its subject', async () => {
    const mutual = await startStandaloneBroker({
      security: { protocol: 'SSL', tls: { cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile), ca: certs.ca, clientAuth: 'required' } },
    });
    const mutualRelay = await relayTo(mutual.listener.port);
    try {
      const withoutCert = await failure(connect({ protocol: 'SSL', tls: { ca: certs.ca } }, mutualRelay.port)
        .then((conn) => conn.metadata(12, makeMetadataRequest({ topics: [], allowAutoTopicCreation: false }))));
      expect(['authentication', 'disconnected']).toContain(withoutCert.reason);
      const conn = await connect({ protocol: 'SSL', tls: { ca: certs.ca, cert: readFileSync(certs.clientCertFile), key: readFileSync(certs.clientKeyFile) } }, mutualRelay.port);
      await conn.metadata(12, makeMetadataRequest({ topics: [], allowAutoTopicCreation: false }));
      expect(mutual.listener.connectedPrincipals()).toContain('User:CN=client,O=Weir Tests');
      conn.close();
    } finally {
      await mutualRelay.close();
      await mutual.close();
    }
  });

  it('reaches a listener of this process plainly, as the listener expects its own brokers', async () => {
    const conn = await connect({ protocol: 'SASL_SSL', tls: { ca: otherCa.ca }, sasl: sasl('SCRAM-SHA-512', 'wrong') }, broker.listener.port);
    await conn.metadata(12, makeMetadataRequest({ topics: [], allowAutoTopicCreation: false }));
    expect(await principals('User:weir/broker')).toContain('User:weir/broker');
    conn.close();
  });
});
