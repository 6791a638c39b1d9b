import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../../support/gateway.js';

export type Role = 'viewer' | 'operator' | 'admin';

/** One user of a secure test gateway, with every way it can authenticate. */
export interface TestUser {
  readonly name: string;
  readonly role: Role;
  /** At least 12 characters, as the gateway requires. */
  readonly password: string;
  /** `<id>.<secret>`, for `Authorization: Bearer`. */
  readonly apiKey: string;
  readonly apiKeyId: string;
  /** `{authorization: 'Bearer <apiKey>'}`: spread into fetch headers. */
  readonly bearer: Readonly<Record<string, string>>;
  /** `{authorization: 'Basic <base64 name:password>'}`. */
  readonly basic: Readonly<Record<string, string>>;
}

/** A gateway with WEIR_AUTH=on, its first-start admin key, and one user per role. */
export interface SecureGateway extends TestGateway {
  /** The key the first start wrote to `<data dir>/admin-api-key` (user `admin`, no password). */
  readonly adminKey: string;
  /** `{authorization: 'Bearer <adminKey>'}`. */
  readonly adminBearer: Readonly<Record<string, string>>;
  /** Created through `POST /v3/users` and `POST /v3/users/{name}/api-keys`: `t-admin`, `t-operator`, `t-viewer`. */
  readonly users: Readonly<Record<Role, TestUser>>;
  /** Creates another user (and an API key for it) through the REST API, as the first-start admin. */
  createUser(name: string, role: Role): Promise<TestUser>;
}

/**
 * Starts an in-process gateway with authentication on (plus `options.env`), reads the
 * admin key its first start wrote, and creates an admin, an operator and a viewer.
 */
export async function startSecureGateway(options: TestGatewayOptions = {}): Promise<SecureGateway> {
  const gateway = await startTestGateway({ ...options, env: { WEIR_AUTH: 'on', ...options.env } });
  try {
    const adminKey = readFileSync(join(gateway.dataDir, 'admin-api-key'), 'utf8').trim();
    const adminBearer = bearerHeader(adminKey);
    const createUser = (name: string, role: Role) => createTestUser(gateway.baseUrl, adminBearer, name, role);
    const users = {
      admin: await createUser('t-admin', 'admin'),
      operator: await createUser('t-operator', 'operator'),
      viewer: await createUser('t-viewer', 'viewer'),
    };
    return Object.assign(Object.create(gateway) as TestGateway, { adminKey, adminBearer, users, createUser }) as SecureGateway;
  } catch (err) {
    await gateway.close();
    throw err;
  }
}

export function bearerHeader(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}` };
}

export function basicHeader(name: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` };
}

/** Creates a user with a password and an API key through the REST API (`auth` must be an admin's headers). */
export async function createTestUser(baseUrl: string, auth: Readonly<Record<string, string>>, name: string, role: Role): Promise<TestUser> {
  const password = `pw-${name}-0123456789`;
  await expectJson(await fetch(`${baseUrl}/v3/users`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name, role, password }) }), 201);
  const key = (await expectJson(
    await fetch(`${baseUrl}/v3/users/${encodeURIComponent(name)}/api-keys`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'tests' }) }),
    201,
  )) as { id: string; key: string };
  return { name, role, password, apiKey: key.key, apiKeyId: key.id, bearer: bearerHeader(key.key), basic: basicHeader(name, password) };
}

/** A console-style session: the cookies a login set and the CSRF token for mutating requests. */
export interface TestSession {
  /** The `Cookie` header value (`weir_session=...; weir_csrf=...`). */
  readonly cookie: string;
  readonly csrfToken: string;
  /** Headers for a GET: just the cookie. */
  readonly read: Readonly<Record<string, string>>;
  /** Headers for a POST/PUT/PATCH/DELETE: the cookie and `x-csrf-token`. */
  readonly write: Readonly<Record<string, string>>;
}

/** Logs in through `POST /v3/auth/login` and returns the session's cookies and CSRF token. */
export async function loginSession(baseUrl: string, name: string, password: string): Promise<TestSession> {
  const response = await fetch(`${baseUrl}/v3/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name, password }) });
  const body = (await expectJson(response, 200)) as { csrf_token: string };
  return sessionOf(response, body.csrf_token);
}

/** The session a login (or login-link) response set. */
export function sessionOf(response: Response, csrfToken: string): TestSession {
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => c.startsWith('weir_'))
    .join('; ');
  return { cookie, csrfToken, read: { cookie }, write: { cookie, 'x-csrf-token': csrfToken } };
}

async function expectJson(response: Response, status: number): Promise<unknown> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`${response.url}: expected ${status}, got ${response.status}: ${text}`);
  return text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
}
