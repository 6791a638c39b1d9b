import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { REPO_ROOT } from '../support/ts-child.js';
import { captureStdout } from './support/capture-stdout.js';
import { basicHeader, bearerHeader, createTestUser, sessionOf, type TestUser } from './support/secure-gateway.js';

const json = { 'content-type': 'application/json' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely, field by field
type Loose = any;

async function call(gateway: TestGateway, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; body: Loose; response: Response }> {
  const response = await fetch(`${gateway.baseUrl}${path}`, { method, headers: body === undefined ? headers : { ...json, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text.length > 0 ? JSON.parse(text) : undefined, response };
}

describe('REST authentication (WEIR_AUTH=on)', () => {
  let gateway: TestGateway;
  let startOutput: string;
  let admin: Record<string, string>;
  let viewer: TestUser;

  beforeAll(async () => {
    const started = await captureStdout(() => startTestGateway({ env: { WEIR_AUTH: 'on', WEIR_LOG_LEVEL: 'log', WEIR_CONSOLE_URL: 'http://console.example:3000/' } }));
    gateway = started.result;
    startOutput = started.output;
    const { readFileSync } = await import('node:fs');
    admin = bearerHeader(readFileSync(join(gateway.dataDir, 'admin-api-key'), 'utf8').trim());
    viewer = await createTestUser(gateway.baseUrl, admin, 'vera', 'viewer');
  });
  afterAll(() => gateway?.close());

  it('first start writes the admin key owner-only and prints a one-time login link that works once', async () => {
    expect(statSync(join(gateway.dataDir, 'admin-api-key')).mode & 0o777).toBe(0o600);
    expect(startOutput).toContain(join(gateway.dataDir, 'admin-api-key'));
    const token = /http:\/\/console\.example:3000\/login\?token=([A-Za-z0-9_%-]+)/.exec(startOutput)?.[1];
    expect(token).toBeDefined();
    const first = await call(gateway, 'POST', '/v3/auth/login-link', {}, { token: decodeURIComponent(token!) });
    expect(first.status).toBe(200);
    expect(first.body.user).toEqual({ name: 'admin', role: 'admin' });
    const cookies = first.response.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('weir_session='))).toMatch(/HttpOnly/);
    expect(cookies.find((c) => c.startsWith('weir_session='))).toMatch(/SameSite=Strict/);
    expect(cookies.find((c) => c.startsWith('weir_csrf='))).not.toMatch(/HttpOnly/);
    const session = sessionOf(first.response, first.body.csrf_token);
    expect((await call(gateway, 'GET', '/v3/auth/me', session.read)).body).toEqual({ name: 'admin', role: 'admin', via: 'session', auth_enabled: true, csrf_token: first.body.csrf_token });
    expect((await call(gateway, 'POST', '/v3/auth/login-link', {}, { token: decodeURIComponent(token!) })).status).toBe(401);
    // A change through the session needs the CSRF token.
    const missing = await call(gateway, 'POST', '/v3/users', session.read, { name: 'csrf-test', role: 'viewer' });
    expect(missing.status).toBe(403);
    expect(missing.body.error_code).toBe(40301);
    expect((await call(gateway, 'POST', '/v3/users', { ...session.read, 'x-csrf-token': 'wrong' }, { name: 'csrf-test', role: 'viewer' })).status).toBe(403);
    expect((await call(gateway, 'POST', '/v3/users', session.write, { name: 'csrf-test', role: 'viewer' })).status).toBe(201);
    // Logout ends the session.
    expect((await call(gateway, 'POST', '/v3/auth/logout', session.write)).status).toBe(204);
    expect((await call(gateway, 'GET', '/v3/auth/me', session.read)).status).toBe(401);
  });

  it('refuses requests without credentials with 401, a challenge and a Confluent body; public routes stay open', async () => {
    const none = await call(gateway, 'GET', '/v3/clusters');
    expect(none.status).toBe(401);
    expect(none.body.error_code).toBe(40101);
    expect(none.response.headers.get('www-authenticate')).toBe('Basic realm="weir", Bearer');
    expect((await call(gateway, 'GET', '/healthz')).status).toBe(200);
    expect((await call(gateway, 'GET', '/readyz')).status).toBe(200);
    expect((await call(gateway, 'GET', '/openapi.json')).body.components.securitySchemes).toHaveProperty('bearer');
    expect((await call(gateway, 'GET', '/v3/clusters', { authorization: 'Bearer wk_0000000000000000.nope' })).status).toBe(401);
    expect((await call(gateway, 'GET', '/v3/clusters', { authorization: 'Digest x' })).status).toBe(401);
  });

  it('accepts Basic, Bearer and a password login, and holds a viewer to reads', async () => {
    expect((await call(gateway, 'GET', '/v3/clusters', viewer.basic)).status).toBe(200);
    expect((await call(gateway, 'GET', '/v3/clusters', viewer.bearer)).status).toBe(200);
    expect((await call(gateway, 'GET', '/v3/auth/me', viewer.bearer)).body).toMatchObject({ name: 'vera', role: 'viewer', via: 'api-key', csrf_token: null });
    const cluster = (await call(gateway, 'GET', '/v3/clusters', viewer.bearer)).body.data[0].cluster_id as string;
    const denied = await call(gateway, 'POST', `/v3/clusters/${cluster}/topics`, viewer.bearer, { topic_name: 'nope', partitions_count: 1 });
    expect(denied.status).toBe(403);
    expect(denied.body.error_code).toBe(40301);
    expect((await call(gateway, 'GET', '/v3/users', viewer.bearer)).status).toBe(403);
    expect((await call(gateway, 'GET', '/v3/clusters', basicHeader('vera', 'wrong password!'))).status).toBe(401);
    const login = await call(gateway, 'POST', '/v3/auth/login', {}, { username: 'vera', password: viewer.password });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual({ name: 'vera', role: 'viewer' });
    expect((await call(gateway, 'POST', '/v3/auth/login', {}, { username: 'vera', password: 'not the password' })).status).toBe(401);
    expect((await call(gateway, 'POST', '/v3/auth/login', {}, { username: 'nobody', password: 'not the password' })).status).toBe(401);
  });

  it('validates users and keeps passwords out of the user JSON', async () => {
    expect((await call(gateway, 'POST', '/v3/users', admin, { name: 'bad name', role: 'viewer' })).status).toBe(400);
    expect((await call(gateway, 'POST', '/v3/users', admin, { name: 'shorty', role: 'viewer', password: 'short' })).status).toBe(400);
    expect((await call(gateway, 'POST', '/v3/users', admin, { name: 'x', role: 'root' })).status).toBe(400);
    expect((await call(gateway, 'POST', '/v3/users', admin, { name: 'vera', role: 'viewer' })).status).toBe(409);
    const got = await call(gateway, 'GET', '/v3/users/vera', admin);
    expect(Object.keys(got.body).sort()).toEqual(['created_at', 'disabled', 'has_password', 'name', 'role', 'updated_at']);
    expect(got.body.has_password).toBe(true);
    // The only admin cannot be removed or demoted.
    expect((await call(gateway, 'DELETE', '/v3/users/admin', admin)).status).toBe(409);
  });

  it('a disabled user and a deleted key stop working at once, though both were just used', async () => {
    const dora = await createTestUser(gateway.baseUrl, admin, 'dora', 'operator');
    expect((await call(gateway, 'GET', '/v3/clusters', dora.basic)).status).toBe(200);
    expect((await call(gateway, 'GET', '/v3/clusters', dora.bearer)).status).toBe(200);
    expect((await call(gateway, 'PATCH', '/v3/users/dora', admin, { disabled: true })).status).toBe(200);
    expect((await call(gateway, 'GET', '/v3/clusters', dora.basic)).status).toBe(401);
    expect((await call(gateway, 'GET', '/v3/clusters', dora.bearer)).status).toBe(401);
    expect((await call(gateway, 'PATCH', '/v3/users/dora', admin, { disabled: false })).status).toBe(200);
    expect((await call(gateway, 'GET', '/v3/clusters', dora.bearer)).status).toBe(200);
    // Her own keys: she may list and delete them, not another user's.
    const keys = await call(gateway, 'GET', '/v3/users/dora/api-keys', dora.bearer);
    expect(keys.body.map((k: { id: string }) => k.id)).toEqual([dora.apiKeyId]);
    expect((await call(gateway, 'GET', '/v3/users/vera/api-keys', dora.bearer)).status).toBe(403);
    expect((await call(gateway, 'DELETE', `/v3/users/dora/api-keys/${dora.apiKeyId}`, dora.bearer)).status).toBe(204);
    expect((await call(gateway, 'GET', '/v3/clusters', dora.bearer)).status).toBe(401);
    // A deleted user's password stops working too.
    expect((await call(gateway, 'DELETE', '/v3/users/dora', admin)).status).toBe(204);
    expect((await call(gateway, 'GET', '/v3/clusters', dora.basic)).status).toBe(401);
  });

  it('limits failed logins per address and user name, whatever the password', async () => {
    const carl = await createTestUser(gateway.baseUrl, admin, 'carl', 'viewer');
    for (let i = 0; i < 10; i++) expect((await call(gateway, 'POST', '/v3/auth/login', {}, { username: 'carl', password: `guess number ${i}` })).status).toBe(401);
    const limited = await call(gateway, 'POST', '/v3/auth/login', {}, { username: 'carl', password: carl.password });
    expect(limited.status).toBe(429);
    expect(limited.body.error_code).toBe(42901);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // Basic is a password door too; another user is not affected.
    expect((await call(gateway, 'GET', '/v3/clusters', carl.basic)).status).toBe(429);
    expect((await call(gateway, 'POST', '/v3/auth/login', {}, { username: 'vera', password: viewer.password })).status).toBe(200);
  });

  it('answers a 1 GB Content-Length with 413 before reading it, and cuts off a chunked body past the limit', async () => {
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const declared = await sendLazily(gateway, 1024 ** 3, true);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error_code).toBe(41301);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(declared.sentBytes).toBeLessThan(256 * 1024 * 1024);
    const chunked = await sendLazily(gateway, 1024 ** 3, false);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error_code).toBe(41301);
    expect(chunked.sentBytes).toBeLessThan(512 * 1024 * 1024);
    // The gateway runs in this process: nothing near a gigabyte was kept.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  // The CI smoke runs the README walkthrough against `npm start` (authentication on) the same way.
  const hasTools = ['curl', 'kcat'].every((tool) => spawnSync(tool, [tool === 'kcat' ? '-V' : '--version'], { stdio: 'ignore' }).status === 0);
  (hasTools ? it : it.skip)('runs the README walkthrough with the key the first start wrote', async () => {
    const script = join(REPO_ROOT, 'scripts/readme-walkthrough.mjs');
    const run = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [script, gateway.baseUrl, '--kafka', gateway.bootstrap, '--data-dir', gateway.dataDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
    expect(run.output).toMatch(/README walkthrough: \d+ steps passed/);
    expect(run.code).toBe(0);
  });

  /** POSTs `total` bytes of a JSON string body, produced 64 KiB at a time as the socket drains, until the response comes. */
  function sendLazily(target: TestGateway, total: number, withLength: boolean): Promise<{ status: number; body: string; sentBytes: number }> {
    return new Promise((resolve, reject) => {
      const url = new URL(`${target.baseUrl}/v3/users`);
      const headers: Record<string, string | number> = { ...json, ...admin };
      if (withLength) headers['content-length'] = total;
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      let answered = false;
      const pump = () => {
        while (!answered && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      req.on('response', (response) => {
        answered = true;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (d: string) => (body += d));
        response.on('end', () => {
          req.destroy();
          resolve({ status: response.statusCode ?? 0, body, sentBytes: sent });
        });
      });
      req.on('error', (err) => (answered ? undefined : reject(err)));
      pump();
    });
  }
});

describe('WEIR_AUTH=off and the rate limit', () => {
  let gateway: TestGateway;
  let startOutput: string;

  beforeAll(async () => {
    const started = await captureStdout(() => startTestGateway({ env: { WEIR_AUTH: 'off', WEIR_LOG_LEVEL: 'warn', WEIR_RATE_LIMIT_PER_MINUTE: '20' } }));
    gateway = started.result;
    startOutput = started.output;
  });
  afterAll(() => gateway?.close());

  it('warns at start and lets anonymous callers act as admin', async () => {
    expect(startOutput).toMatch(/authentication is off .*anyone who can reach .* is admin/);
    const me = await call(gateway, 'GET', '/v3/auth/me');
    expect(me.body).toEqual({ name: 'anonymous', role: 'admin', via: 'none', auth_enabled: false, csrf_token: null });
    expect((await call(gateway, 'GET', '/v3/users')).status).toBe(200);
  });

  it('answers 429 with Retry-After once an address passes WEIR_RATE_LIMIT_PER_MINUTE', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 25 && limited === undefined; i++) {
      const result = await call(gateway, 'GET', '/v3/clusters');
      statuses.push(result.status);
      if (result.status === 429) limited = result;
    }
    expect(limited).toBeDefined();
    // The first two requests of the suite were counted too; never before the limit.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(17);
    expect(limited!.body.error_code).toBe(42901);
    expect(Number(limited!.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // Probes are not counted.
    expect((await call(gateway, 'GET', '/healthz')).status).toBe(200);
  });
});
