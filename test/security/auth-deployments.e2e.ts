import { existsSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { ClusterDatabase } from '../support/cluster-database.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certs.js';

/** Authentication where a gateway is not alone on a laptop: several processes on one PostgreSQL, REST over TLS. */
describe('first start of several gateways sharing one PostgreSQL', () => {
  let db: ClusterDatabase;
  const gateways: TestGateway[] = [];

  afterAll(async () => {
    for (const gateway of gateways.reverse()) await gateway.close();
    await db?.drop();
  }, 60_000);

  it('creates one admin and one key file, whichever process wins', async () => {
    db = await ClusterDatabase.create('auth_first_start');
    // The first process migrates the database (authentication off: it creates no admin).
    gateways.push(await startTestGateway({ env: { DATABASE_URL: db.url, WEIR_BROKER_ID: '1', WEIR_AUTH: 'off' } }));
    const started = await Promise.all(['2', '3'].map((id) => startTestGateway({ env: { DATABASE_URL: db.url, WEIR_BROKER_ID: id, WEIR_AUTH: 'on' } })));
    gateways.push(...started);
    const keyFiles = started.map((g) => join(g.dataDir, 'admin-api-key')).filter((f) => existsSync(f));
    expect(keyFiles).toHaveLength(1);
    const key = readFileSync(keyFiles[0]!, 'utf8').trim();
    // The key works on every process (one database), and there is one user.
    for (const gateway of started) {
      const users = await fetch(`${gateway.baseUrl}/v3/users`, { headers: { authorization: `Bearer ${key}` } });
      expect(users.status).toBe(200);
      expect(((await users.json()) as Array<{ name: string; role: string }>).map((u) => [u.name, u.role])).toEqual([['admin', 'admin']]);
    }
  }, 180_000);
});

describe('first start with the brokers\' own user (WEIR_INTER_BROKER_USERNAME)', () => {
  let gateway: TestGateway | undefined;
  afterAll(async () => gateway?.close());

  it('still creates the admin: the inter-broker user made at start does not count as a first user', async () => {
    gateway = await startTestGateway({
      env: { WEIR_AUTH: 'on', WEIR_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', WEIR_INTER_BROKER_USERNAME: 'weir-brokers', WEIR_INTER_BROKER_PASSWORD: 'a long inter-broker secret' },
    });
    const keyFile = join(gateway.dataDir, 'admin-api-key');
    expect(existsSync(keyFile)).toBe(true);
    const users = await fetch(`${gateway.baseUrl}/v3/users`, { headers: { authorization: `Bearer ${readFileSync(keyFile, 'utf8').trim()}` } });
    expect(users.status).toBe(200);
    const names = ((await users.json()) as Array<{ name: string; role: string }>).map((u) => u.name).sort();
    expect(names).toEqual(['admin', 'weir-brokers']);
  }, 120_000);
});

describe('REST over TLS (WEIR_REST_TLS=true)', () => {
  let certs: TestCertificates;
  let gateway: TestGateway;
  let port: number;

  beforeAll(async () => {
    certs = makeTestCertificates();
    gateway = await startTestGateway({ env: { WEIR_AUTH: 'on', WEIR_REST_TLS: 'true', WEIR_TLS_CERT_FILE: certs.certFile, WEIR_TLS_KEY_FILE: certs.keyFile } });
    port = Number(new URL(gateway.baseUrl).port);
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    certs?.remove();
  });

  function https(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port, path, method, ca: certs.ca, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (d: string) => (text += d));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  it('serves REST with the certificate, authenticates, and marks session cookies Secure', async () => {
    const key = readFileSync(join(gateway.dataDir, 'admin-api-key'), 'utf8').trim();
    expect((await https('GET', '/v3/clusters', {})).status).toBe(401);
    expect((await https('GET', '/v3/clusters', { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await https('POST', '/v3/users', { authorization: `Bearer ${key}` }, { name: 'tina', role: 'viewer', password: 'a long enough password' })).status).toBe(201);
    const login = await https('POST', '/v3/auth/login', {}, { username: 'tina', password: 'a long enough password' });
    expect(login.status).toBe(200);
    const cookies = login.headers['set-cookie'] as string[];
    expect(cookies).toHaveLength(2);
    for (const cookie of cookies) expect(cookie).toMatch(/; Secure/);
    // Plain HTTP on the same port is not served.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
