import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect as tlsConnect } from 'node:tls';
import kafkajs from 'kafkajs';
import { makeTestCertificates, type TestCertificates } from '../../../../../test/support/tls-certs.js';
import type { ListenerSecurity } from '../../security/listener-security.js';
import { deriveScramCredential, type SaslCredentialStore } from '../../security/sasl-credentials.js';
import { startStandaloneBroker, type StandaloneBroker } from '../testing/standalone-broker.js';
import { readFileSync } from 'node:fs';

const USERS: Record<string, string> = { alice: 'alice-secret' };

const credentials: SaslCredentialStore = {
  verifyPlain: (name, password) => Promise.resolve(USERS[name] === password),
  scramCredential: (mechanism, name) => Promise.resolve(USERS[name] === undefined ? undefined : deriveScramCredential(mechanism, USERS[name])),
};

function client(bootstrap: string, extra: Partial<kafkajs.KafkaConfig>): kafkajs.Kafka {
  return new kafkajs.Kafka({ clientId: 'secure-listener-spec', brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 5000, ...extra });
}

/** Produces one record with kafkajs and reads the partition's end offset back. */
async function produceOne(kafka: kafkajs.Kafka, topic: string): Promise<string> {
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'v' }] });
    const [offsets] = await admin.fetchTopicOffsets(topic);
    return offsets!.high;
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}

describe('Kafka listener over TLS', () => {
  let certs: TestCertificates;
  const brokers: StandaloneBroker[] = [];
  const start = async (security: ListenerSecurity): Promise<StandaloneBroker> => {
    const b = await startStandaloneBroker({ security });
    brokers.push(b);
    return b;
  };

  beforeAll(() => {
    certs = makeTestCertificates();
  });
  afterAll(async () => {
    for (const b of brokers.splice(0)) await b.close();
    certs?.remove();
  });

  const tls = () => ({ cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile), ca: certs.ca });

  it('SASL_SSL: kafkajs with SCRAM-SHA-512 and the CA produces; a wrong password is refused', async () => {
    const b = await start({ protocol: 'SASL_SSL', tls: tls(), credentials });
    const ssl = { ca: [certs.ca] };
    expect(await produceOne(client(b.bootstrap, { ssl, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' } }), 'sasl-ssl')).toBe('1');
    const bad = client(b.bootstrap, { ssl, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'nope' } }).admin();
    await expect(bad.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await bad.disconnect();
  });

  it('SSL with client auth required: a client certificate is needed, and its subject is the principal', async () => {
    const b = await start({ protocol: 'SSL', tls: { ...tls(), clientAuth: 'required' } });
    const ssl = { ca: [certs.ca], cert: readFileSync(certs.clientCertFile), key: readFileSync(certs.clientKeyFile) };
    expect(await produceOne(client(b.bootstrap, { ssl }), 'ssl-client-auth')).toBe('1');
    const anonymous = client(b.bootstrap, { ssl: { ca: [certs.ca] } }).admin();
    await expect(anonymous.connect()).rejects.toThrow();
    await anonymous.disconnect();
  });

  it('refuses a plaintext client on a TLS listener without serving it', async () => {
    const b = await start({ protocol: 'SSL', tls: tls() });
    const plain = client(b.bootstrap, {}).admin();
    await expect(plain.connect()).rejects.toThrow();
    await plain.disconnect();
    expect(b.listener.stats.requests.size).toBe(0);
  });

  it('takes the subject of a verified client certificate as the principal, in RFC 2253 order', async () => {
    const b = await start({ protocol: 'SSL', tls: { ...tls(), clientAuth: 'requested' } });
    const socket = tlsConnect({ host: '127.0.0.1', port: b.listener.port, ca: [certs.ca], cert: readFileSync(certs.clientCertFile), key: readFileSync(certs.clientKeyFile) });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    const deadline = Date.now() + 10_000;
    while (b.listener.connectedPrincipals().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(b.listener.connectedPrincipals()).toEqual(['User:CN=client,O=Weir Tests']);
    socket.destroy();
  });
});
