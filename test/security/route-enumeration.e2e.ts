import { createRequire } from 'node:module';
import { request as httpRequest } from 'node:http';
import { type Role, type SecureGateway, startSecureGateway } from './support/secure-gateway.js';

/**
 * Every route in /openapi.json, three times: without credentials (401), with the role
 * just below the route's (403), and with the route's role (neither; 2xx where the suite
 * gives real parameters and a valid body). The expected roles are the policy written out
 * here, independently of the gateway's route table: reads are viewer, changes operator,
 * and admin for users, ACLs, the audit log, the registry's raw contents, stopping or
 * starting a broker and electing leaders cluster-wide. Own API keys: any user.
 */
type Access = 'public' | 'own' | Role;

function expectedAccess(method: string, path: string): Access {
  if (['/healthz', '/readyz'].includes(path) || ['/v3/auth/login', '/v3/auth/login-link'].includes(path)) return 'public';
  if (path.startsWith('/v3/auth/')) return 'viewer';
  if (path.startsWith('/v3/users/{name}/api-keys')) return 'own';
  if (path.startsWith('/v3/users') || path.startsWith('/v3/audit-log')) return 'admin';
  if (/^\/v3\/clusters\/\{cluster_id\}\/(acls|registry)/.test(path)) return 'admin';
  if (/\/brokers\/\{broker_id\}\/(stop|start|controlled-shutdown)$/.test(path)) return 'admin';
  if (path === '/v3/clusters/{cluster_id}/topics/-/partitions/-/leader-election') return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'viewer' : 'operator';
}

const BELOW: Record<Role, Role | undefined> = { viewer: undefined, operator: 'viewer', admin: 'operator' };

const TOPIC = 'enum-topic';
const GROUP = 'enum-group';
const V2_GROUP = 'enum-v2';
const V2_INSTANCE = 'enum-inst';
const V2 = 'application/vnd.kafka.v2+json';

interface Expectation {
  readonly body?: unknown;
  /** The route answers 2xx with these parameters and body. */
  readonly succeeds?: boolean;
  /** Later ones run later: changes that remove what other routes use go last. */
  readonly order?: number;
  readonly accept?: string;
}

/** Bodies (and whether 2xx is certain) for the right-role request, by `METHOD path`. */
const EXPECTATIONS: Record<string, Expectation> = {
  'POST /v3/auth/logout': { succeeds: true },
  'POST /v3/users': { body: { name: 'enum-new', role: 'viewer' }, succeeds: true },
  'PATCH /v3/users/{name}': { body: { role: 'operator' }, succeeds: true },
  'DELETE /v3/users/{name}': { succeeds: true, order: 5 },
  'POST /v3/users/{name}/api-keys': { body: { name: 'enum' }, succeeds: true },
  'DELETE /v3/users/{name}/api-keys/{key_id}': { succeeds: true, order: 1 },
  'POST /v3/clusters/{cluster_id}/topics': { body: { topic_name: 'enum-created', partitions_count: 1 }, succeeds: true },
  'PATCH /v3/clusters/{cluster_id}/topics/{topic_name}': { body: { partitions_count: 2 }, succeeds: true, order: 2 },
  'DELETE /v3/clusters/{cluster_id}/topics/{topic_name}': { succeeds: true, order: 9 },
  'POST /v3/clusters/{cluster_id}/topics/{topic_name}/configs:alter': { body: { data: [{ name: 'retention.ms', value: '100000' }] }, succeeds: true },
  'PUT /v3/clusters/{cluster_id}/topics/{topic_name}/configs/{name}': { body: { value: '3600000' }, succeeds: true },
  'DELETE /v3/clusters/{cluster_id}/topics/{topic_name}/configs/{name}': { succeeds: true, order: 1 },
  'POST /v3/clusters/{cluster_id}/topics/{topic_name}/records': { body: { value: { type: 'JSON', data: 1 } }, succeeds: true },
  'POST /v3/clusters/{cluster_id}/topics/{topic_name}/records:batch': { body: { entries: [{ id: 'a', value: { type: 'JSON', data: 1 } }] }, succeeds: true },
  'POST /v3/clusters/{cluster_id}/consumer-groups/{consumer_group_id}/offsets:reset': { body: { mode: 'earliest', topic_name: TOPIC }, succeeds: true },
  'DELETE /v3/clusters/{cluster_id}/consumer-groups/{consumer_group_id}': { succeeds: true, order: 3 },
  'POST /v3/clusters/{cluster_id}/brokers/{broker_id}/stop': { order: 10 },
  'POST /v3/clusters/{cluster_id}/brokers/{broker_id}/start': { order: 11 },
  'POST /v3/clusters/{cluster_id}/brokers/{broker_id}/controlled-shutdown': { order: 12 },
  'POST /v3/clusters/{cluster_id}/transactions/{transactional_id}:abort': {},
  'POST /v2/consumers/{group}': { body: { name: V2_INSTANCE, format: 'binary' }, succeeds: true, order: -1 },
  'POST /v2/consumers/{group}/instances/{instance}/assignments': { body: { partitions: [{ topic: TOPIC, partition: 0 }] }, succeeds: true },
  'POST /v2/consumers/{group}/instances/{instance}/positions': { body: { offsets: [{ topic: TOPIC, partition: 0, offset: 0 }] }, succeeds: true, order: 0.1 },
  'POST /v2/consumers/{group}/instances/{instance}/positions/beginning': { body: { partitions: [{ topic: TOPIC, partition: 0 }] }, succeeds: true, order: 0.1 },
  'POST /v2/consumers/{group}/instances/{instance}/positions/end': { body: { partitions: [{ topic: TOPIC, partition: 0 }] }, succeeds: true, order: 0.1 },
  'GET /v2/consumers/{group}/instances/{instance}/records': { accept: 'application/vnd.kafka.binary.v2+json', succeeds: true, order: 0.2 },
  'POST /v2/consumers/{group}/instances/{instance}/subscription': { body: { topics: [TOPIC] } },
  'POST /v2/consumers/{group}/instances/{instance}/offsets': { order: 0.3 },
  'DELETE /v2/consumers/{group}/instances/{instance}': { succeeds: true, order: 4 },
};

/** GETs that answer 2xx with the seeded resources (the rest may be 404: e.g. a group member that is not there). */
const GETS_NOT_SUCCEEDING = new Set([
  '/v3/clusters/{cluster_id}/consumer-groups/{consumer_group_id}/consumers/{consumer_id}',
  '/v3/clusters/{cluster_id}/consumer-groups/{consumer_group_id}/consumers/{consumer_id}/assignments',
  '/v3/clusters/{cluster_id}/transactions/{transactional_id}',
  '/v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}/reassignment',
  '/v3/clusters/{cluster_id}/topics/{topic_name}/partitions/-/reassignment',
  '/v2/consumers/{group}/instances/{instance}/offsets',
]);

interface Row {
  route: string;
  access: Access;
  none: number;
  below: number | '-';
  right: number;
  problem: string;
}

describe('every REST route and the /live socket with WEIR_AUTH=on', () => {
  let gateway: SecureGateway;
  let params: Record<string, string>;
  let ownKeyId: string;

  beforeAll(async () => {
    gateway = await startSecureGateway();
    const admin = gateway.adminBearer;
    const clusters = (await (await fetch(`${gateway.baseUrl}/v3/clusters`, { headers: admin })).json()) as { data: Array<{ cluster_id: string }> };
    const cluster = clusters.data[0]!.cluster_id;
    const post = async (path: string, body: unknown, contentType = 'application/json') => {
      const response = await fetch(`${gateway.baseUrl}${path}`, { method: 'POST', headers: { ...admin, 'content-type': contentType }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`seeding ${path}: ${response.status} ${await response.text()}`);
      const text = await response.text();
      return text.length === 0 ? undefined : (JSON.parse(text) as Record<string, unknown>);
    };
    await post(`/v3/clusters/${cluster}/topics`, { topic_name: TOPIC, partitions_count: 1 });
    await post(`/v3/clusters/${cluster}/topics/${TOPIC}/records`, { value: { type: 'JSON', data: 'seed' } });
    // A group with committed offsets and no members: a v2 consumer that commits and leaves.
    await post(`/v2/consumers/${GROUP}`, { name: 'seed', format: 'binary' }, V2);
    await post(`/v2/consumers/${GROUP}/instances/seed/assignments`, { partitions: [{ topic: TOPIC, partition: 0 }] }, V2);
    await post(`/v2/consumers/${GROUP}/instances/seed/offsets`, { offsets: [{ topic: TOPIC, partition: 0, offset: 1 }] }, V2);
    await fetch(`${gateway.baseUrl}/v2/consumers/${GROUP}/instances/seed`, { method: 'DELETE', headers: { ...admin, 'content-type': V2 } });
    await post('/v3/users', { name: 'enum-user', role: 'viewer' });
    // The viewer's second key, for the key-delete route (its first authenticates the suite).
    ownKeyId = (await post(`/v3/users/${gateway.users.viewer.name}/api-keys`, { name: 'doomed' }))!.id as string;
    params = { cluster_id: cluster, topic_name: TOPIC, partition_id: '0', broker_id: '1', consumer_group_id: GROUP, consumer_id: 'nobody', transactional_id: 'enum-txn', group: V2_GROUP, instance: V2_INSTANCE };
  }, 120_000);
  afterAll(() => gateway?.close());

  // Before the walk below, which ends with the broker's controlled shutdown.
  it('refuses a subscription the user may not read with an error frame, and serves the rest', async () => {
    // A records tail reads the topic: a viewer denied READ on it gets the socket's 403, an error frame.
    const v3 = `${gateway.baseUrl}/v3/clusters/${params.cluster_id}`;
    const admin = { ...gateway.adminBearer, 'content-type': 'application/json' };
    for (const topic of ['live-denied', 'live-open']) {
      const created = await fetch(`${v3}/topics`, { method: 'POST', headers: admin, body: JSON.stringify({ topic_name: topic, partitions_count: 1 }) });
      expect([created.status, created.status === 201 ? '' : await created.text()]).toEqual([201, '']);
    }
    const deny = { resource_type: 'TOPIC', resource_name: 'live-denied', pattern_type: 'LITERAL', principal: `User:${gateway.users.viewer.name}`, host: '*', operation: 'READ', permission: 'DENY' };
    expect((await fetch(`${v3}/acls`, { method: 'POST', headers: admin, body: JSON.stringify(deny) })).status).toBe(201);
    const socket = await openLive(`${gateway.baseUrl.replace(/^http/, 'ws')}/live`, gateway.users.viewer.bearer);
    try {
      socket.send(JSON.stringify({ op: 'subscribe', channel: 'records:live-denied:0' }));
      await socket.frame((f) => f.type === 'error' && f.channel === 'records:live-denied:0');
      socket.send(JSON.stringify({ op: 'subscribe', channel: 'records:live-open:0' }));
      await socket.frame((f) => f.type === 'subscribed' && f.channel === 'records:live-open:0');
    } finally {
      socket.close();
    }
  });

  function concretePath(method: string, path: string, role: Role): string {
    return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      if (name === 'name') {
        if (path.startsWith('/v3/users/{name}/api-keys')) return role === 'admin' ? gateway.users.viewer.name : gateway.users[role].name;
        if (path.startsWith('/v3/users/')) return 'enum-user';
        return 'retention.ms';
      }
      if (name === 'key_id') return ownKeyId;
      const value = params[name];
      if (value === undefined) throw new Error(`no value for path parameter ${name} of ${method} ${path}: add one to the suite`);
      return encodeURIComponent(value);
    });
  }

  async function send(method: string, path: string, headers: Record<string, string>, expectation: Expectation | undefined): Promise<{ status: number; text: string }> {
    const contentType = path.startsWith('/v2/') ? V2 : 'application/json';
    const body = expectation?.body === undefined ? undefined : JSON.stringify(expectation.body);
    const response = await fetch(`${gateway.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined || (method !== 'GET' && path.startsWith('/v2/')) ? { 'content-type': contentType } : {}), ...(expectation?.accept !== undefined ? { accept: expectation.accept } : {}) },
      body,
    });
    return { status: response.status, text: await response.text() };
  }

  it('answers 401 without credentials, 403 below the route role, and serves the route role', async () => {
    const document = (await (await fetch(`${gateway.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path })))
      .map((r) => ({ ...r, key: `${r.method} ${r.path}`, order: EXPECTATIONS[`${r.method} ${r.path}`]?.order ?? 0 }))
      .sort((a, b) => a.order - b.order);
    expect(routes.length).toBeGreaterThan(60);
    const rows: Row[] = [];
    for (const route of routes) {
      const access = expectedAccess(route.method, route.path);
      const expectation = EXPECTATIONS[route.key];
      const roleNeeded: Role = access === 'own' || access === 'public' ? 'viewer' : access;
      const none = await send(route.method, concretePath(route.method, route.path, roleNeeded), {}, expectation);
      const row: Row = { route: route.key, access, none: none.status, below: '-', right: 0, problem: '' };
      if (access !== 'public' && (none.status !== 401 || !none.text.includes('40101'))) row.problem += `no credentials: ${none.status}; `;
      if (access === 'public' && none.status === 401) row.problem += 'public route wants credentials; ';
      const below = access === 'own' ? 'viewer' : access === 'public' ? undefined : BELOW[access];
      if (below !== undefined) {
        // Own keys: a viewer asking for another user's.
        const path = access === 'own' ? concretePath(route.method, route.path, 'admin').replace(`/users/${gateway.users.viewer.name}/`, `/users/${gateway.users.operator.name}/`) : concretePath(route.method, route.path, below);
        const result = await send(route.method, path, gateway.users[below].bearer, expectation);
        row.below = result.status;
        if (result.status !== 403) row.problem += `role ${below}: ${result.status}; `;
      }
      if (access !== 'public') {
        const result = await send(route.method, concretePath(route.method, route.path, roleNeeded), gateway.users[roleNeeded].bearer, expectation);
        row.right = result.status;
        const mustSucceed = expectation?.succeeds ?? (route.method === 'GET' && !GETS_NOT_SUCCEEDING.has(route.path));
        if (result.status === 401 || result.status === 403) row.problem += `role ${roleNeeded}: ${result.status} ${result.text.slice(0, 120)}; `;
        else if (mustSucceed && (result.status < 200 || result.status > 299)) row.problem += `role ${roleNeeded}: ${result.status} ${result.text.slice(0, 120)}; `;
      }
      rows.push(row);
    }
    const failures = rows.filter((r) => r.problem !== '');
    if (failures.length > 0) {
      const table = rows.map((r) => `${r.problem === '' ? '  ' : '✗ '}${r.route.padEnd(90)} ${r.access.padEnd(8)} none=${r.none} below=${r.below} right=${r.right} ${r.problem}`).join('\n');
      throw new Error(`${failures.length} of ${rows.length} routes misbehave:\n${table}`);
    }
  }, 240_000);

  it('refuses an unauthenticated /live upgrade with HTTP 401 and lets a viewer subscribe', async () => {
    expect(await upgradeStatus(gateway.baseUrl, {})).toBe(401);
    expect(await upgradeStatus(gateway.baseUrl, { authorization: 'Bearer wk_0000000000000000.wrong' })).toBe(401);
    expect(await upgradeStatus(gateway.baseUrl, {}, '?access_token=wk_0000000000000000.wrong')).toBe(401);
    // A browser's way: the key in the query string.
    const socket = await openLive(`${gateway.baseUrl.replace(/^http/, 'ws')}/live?access_token=${encodeURIComponent(gateway.users.viewer.apiKey)}`);
    try {
      socket.send(JSON.stringify({ op: 'subscribe', channel: 'cluster' }));
      await socket.frame((f) => f.type === 'subscribed' && f.channel === 'cluster');
    } finally {
      socket.close();
    }
    // Basic credentials in the upgrade's headers work as for REST.
    const withHeader = await openLive(`${gateway.baseUrl.replace(/^http/, 'ws')}/live`, gateway.users.viewer.basic);
    withHeader.close();
  });

});

/** The status of a WebSocket upgrade request: 101 when accepted, else the HTTP answer. */
function upgradeStatus(baseUrl: string, headers: Record<string, string>, query = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${baseUrl}/live${query}`);
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      headers: { ...headers, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

interface WsClient {
  on(event: 'message', listener: (data: Buffer) => void): void;
  once(event: 'open', listener: () => void): void;
  once(event: 'error', listener: (err: Error) => void): void;
  send(data: string): void;
  close(): void;
}
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string, options?: { headers?: Record<string, string> }) => WsClient;

async function openLive(url: string, headers?: Readonly<Record<string, string>>): Promise<{ send(data: string): void; close(): void; frame(match: (f: { type: string; channel?: string }) => boolean): Promise<void> }> {
  const socket = new WebSocket(url, headers === undefined ? undefined : { headers: { ...headers } });
  const frames: Array<{ type: string; channel?: string }> = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(data.toString('utf8')) as { type: string; channel?: string });
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return {
    send: (data) => socket.send(data),
    close: () => socket.close(),
    frame: (match) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame; got ${JSON.stringify(frames)}`)), 8000);
        const check = () => {
          if (!frames.some(match)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}
