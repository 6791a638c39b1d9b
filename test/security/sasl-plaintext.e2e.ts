import type { SASLOptions } from 'kafkajs';
import { consumeJson, KCAT_TEST_MS, kcatMissing, runKcat } from '../support/kcat.js';
import { startSecureGateway, type SecureGateway, type TestUser } from './support/secure-gateway.js';
import { connectError, createTopic, produceAndConsume, RawConnection, requestFrame, secureKafka } from './sasl-clients.js';

/**
 * The Kafka listener with WEIR_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT, three brokers in
 * the one gateway: kafkajs and kcat authenticate with PLAIN, SCRAM-SHA-256 and
 * SCRAM-SHA-512 as the gateway's users and produce and consume (acks=all over three
 * replicas, so the brokers' own replication gets through the listener too); wrong
 * passwords and unknown users fail alike; nothing but ApiVersions and the SASL APIs is
 * served before authentication.
 */
const API = { Metadata: 3, SaslHandshake: 17, ApiVersions: 18 } as const;

function stringBody(text: string): Buffer {
  const b = Buffer.alloc(2 + Buffer.byteLength(text));
  b.writeInt16BE(Buffer.byteLength(text), 0);
  b.write(text, 2);
  return b;
}

/** Metadata v0 for no topics. */
const METADATA_V0 = requestFrame(API.Metadata, 0, 2, Buffer.from([0, 0, 0, 0]));

describe('SASL_PLAINTEXT Kafka listener', () => {
  let gw: SecureGateway;
  let user: TestUser;

  beforeAll(async () => {
    gw = await startSecureGateway({ env: { WEIR_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', WEIR_BROKERS: '3' } });
    user = gw.users.operator;
  });

  afterAll(async () => {
    await gw?.close();
  });

  const mechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

  it.each(mechanisms)('kafkajs produces and consumes with %s over three replicas', async (mechanism) => {
    const sasl = { mechanism, username: user.name, password: user.password } as SASLOptions;
    const topic = `kafkajs-${mechanism}`;
    expect(await produceAndConsume(secureKafka(gw.bootstrap, { sasl }), topic, ['one', 'two'], 3)).toEqual(['one', 'two']);
  });

  it.each(mechanisms)('kafkajs with %s: a wrong password and an unknown user fail alike', async (mechanism) => {
    const wrong = await connectError(secureKafka(gw.bootstrap, { retries: 0, sasl: { mechanism, username: user.name, password: 'not-the-password' } as SASLOptions }));
    const unknown = await connectError(secureKafka(gw.bootstrap, { retries: 0, sasl: { mechanism, username: 'nobody-here', password: 'not-the-password' } as SASLOptions }));
    expect(wrong.name).toBe('KafkaJSSASLAuthenticationError');
    expect(unknown.name).toBe('KafkaJSSASLAuthenticationError');
    expect(wrong.message).toMatch(/Authentication failed/);
    expect(unknown.message.replace('nobody-here', user.name)).toBe(wrong.message);
  });

  it('refuses a disabled user with the right password, and lets it in again once enabled', async () => {
    const extra = await gw.createUser('t-kafka-disabled', 'viewer');
    const patch = (disabled: boolean) => fetch(`${gw.baseUrl}/v3/users/${extra.name}`, {
      method: 'PATCH', headers: { ...gw.adminBearer, 'content-type': 'application/json' }, body: JSON.stringify({ disabled }),
    });
    const sasl = { mechanism: 'scram-sha-512', username: extra.name, password: extra.password } as SASLOptions;
    expect((await patch(true)).status).toBe(200);
    expect((await connectError(secureKafka(gw.bootstrap, { retries: 0, sasl }))).name).toBe('KafkaJSSASLAuthenticationError');
    expect((await patch(false)).status).toBe(200);
    const admin = secureKafka(gw.bootstrap, { sasl }).admin();
    await admin.connect();
    await expect(admin.listTopics()).resolves.toEqual(expect.any(Array));
    await admin.disconnect();
  });

  it('kafkajs without credentials cannot use the listener', async () => {
    const err = await connectError(secureKafka(gw.bootstrap, { retries: 0 }));
    // The broker closes the connection at kafkajs's first request after ApiVersions.
    expect(err.name).toMatch(/^KafkaJS/);
  });

  it('serves ApiVersions before authentication, and closes the connection on any other request', async () => {
    const conn = await RawConnection.open(gw.kafkaPort);
    conn.send(requestFrame(API.ApiVersions, 0, 1, Buffer.alloc(0)));
    const versions = await conn.frame(0);
    expect(versions.readInt32BE(0)).toBe(1);
    expect(versions.readInt16BE(4)).toBe(0);
    conn.send(METADATA_V0);
    await conn.closed;
    expect(conn.frames).toHaveLength(1);
  });

  it('answers an unknown mechanism with the enabled ones, then closes', async () => {
    const conn = await RawConnection.open(gw.kafkaPort);
    conn.send(requestFrame(API.SaslHandshake, 1, 7, stringBody('GSSAPI')));
    const response = await conn.frame(0);
    expect(response.readInt16BE(4)).toBe(33);
    expect(response.subarray(10).toString('latin1')).toContain('SCRAM-SHA-512');
    await conn.closed;
  });

  it('takes bare SASL tokens after a v0 handshake (PLAIN), then serves requests', async () => {
    const conn = await RawConnection.open(gw.kafkaPort);
    try {
      conn.send(requestFrame(API.SaslHandshake, 0, 1, stringBody('PLAIN')));
      expect((await conn.frame(0)).readInt16BE(4)).toBe(0);
      const token = Buffer.from(`\u0000${user.name}\u0000${user.password}`);
      const size = Buffer.alloc(4);
      size.writeInt32BE(token.length, 0);
      conn.send(Buffer.concat([size, token]));
      expect((await conn.frame(1)).length).toBe(0);
      conn.send(METADATA_V0);
      expect((await conn.frame(2)).readInt32BE(0)).toBe(2);
    } finally {
      conn.close();
    }
  });

  describe('kcat', () => {
    const missing = kcatMissing();
    const itKcat = missing === undefined ? it : it.skip;

    function saslArgs(mechanism: string, password = user.password): string[] {
      return ['-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${user.name}`, '-X', `sasl.password=${password}`];
    }

    itKcat.each(['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'])('produces and consumes with %s', async (mechanism) => {
      const topic = `kcat-${mechanism.toLowerCase()}`;
      await createTopic(secureKafka(gw.bootstrap, { sasl: { mechanism: 'scram-sha-512', username: user.name, password: user.password } }), topic);
      const produced = await runKcat(['-b', gw.bootstrap, '-P', '-t', topic, '-X', 'topic.request.required.acks=-1', ...saslArgs(mechanism)], { stdin: 'alpha\nbeta\n' });
      expect({ code: produced.code, stderr: produced.stderr }).toEqual({ code: 0, stderr: '' });
      const records = await consumeJson(gw.bootstrap, topic, { extra: saslArgs(mechanism) });
      expect(records.map((r) => r.value?.toString())).toEqual(['alpha', 'beta']);
    }, KCAT_TEST_MS);

    itKcat('fails with a wrong password', async () => {
      const run = await runKcat(['-b', gw.bootstrap, '-L', '-m', '5', ...saslArgs('SCRAM-SHA-512', 'not-the-password')]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/Authentication failed/i);
    }, KCAT_TEST_MS);
  });
});

describe('SASL_PLAINTEXT with ACLs required (allow.everyone.if.no.acl.found=false)', () => {
  let gw: SecureGateway;

  beforeAll(async () => {
    gw = await startSecureGateway({
      env: { WEIR_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', WEIR_BROKERS: '3', WEIR_ACL_ALLOW_IF_NO_ACL_FOUND: 'false', WEIR_SUPER_USERS: 'User:t-operator' },
    });
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('replicates between the brokers of the gateway (their own connections are super users)', async () => {
    const { name, password } = gw.users.operator;
    const kafka = secureKafka(gw.bootstrap, { sasl: { mechanism: 'scram-sha-512', username: name, password } });
    expect(await produceAndConsume(kafka, 'acl-replicated', ['r1', 'r2'], 3)).toEqual(['r1', 'r2']);
  });
});

