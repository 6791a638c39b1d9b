import { AuditLogReader, type AuditEntry } from './audit-log-reader.js';
import { loginSession, type SecureGateway, startSecureGateway } from './support/secure-gateway.js';

const json = { 'content-type': 'application/json' };

/**
 * The REST door of the audit log with WEIR_AUTH=on: every mutating operation leaves exactly
 * one entry with the acting user, door rest, the action, the resource and the state before
 * and after; dry runs, refused requests and the data plane leave none.
 */
describe('audit log: REST door', () => {
  let gateway: SecureGateway;
  let log: AuditLogReader;
  let topics: string;
  let operator: Record<string, string>;
  let admin: Record<string, string>;

  async function call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${gateway.baseUrl}${path}`, { method, headers: body === undefined ? headers : { ...json, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined };
  }

  async function expectStatus(status: number, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
    const r = await call(method, path, headers, body);
    if (r.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** The one entry the last operation wrote. */
  async function onlyNewEntry(): Promise<AuditEntry> {
    const fresh = await log.takeNew();
    expect(fresh.map((e) => `${e.action} ${e.resource}`)).toHaveLength(1);
    return fresh[0]!;
  }

  beforeAll(async () => {
    gateway = await startSecureGateway();
    operator = gateway.users.operator.bearer;
    admin = gateway.users.admin.bearer;
    log = new AuditLogReader(gateway.baseUrl, admin);
    const clusters = (await expectStatus(200, 'GET', '/v3/clusters', admin)) as { data: { cluster_id: string }[] };
    topics = `/v3/clusters/${clusters.data[0]!.cluster_id}/topics`;
  }, 180_000); // a gateway and three users with scrypt-hashed passwords, on a loaded machine
  afterAll(() => gateway?.close());

  it('records the users the setup created, without passwords or key secrets', async () => {
    const setup = await log.takeNew();
    const created = setup.filter((e) => e.action === 'user.create').map((e) => [e.resource, e.actor, e.after]);
    expect(created).toEqual([
      ['user:t-admin', 'admin', { role: 'admin', has_password: true }],
      ['user:t-operator', 'admin', { role: 'operator', has_password: true }],
      ['user:t-viewer', 'admin', { role: 'viewer', has_password: true }],
    ]);
    const keys = setup.filter((e) => e.action === 'api-key.create');
    expect(keys).toHaveLength(3);
    expect(JSON.stringify(setup)).not.toContain(gateway.users.operator.apiKey.split('.')[1]!);
    expect(JSON.stringify(setup)).not.toContain(gateway.users.operator.password);
  });

  it('topic create: one entry with the actor, door and the topic as created; validate_only leaves none', async () => {
    await log.mark();
    await expectStatus(200, 'POST', topics, operator, { topic_name: 'audited', partitions_count: 1, validate_only: true });
    expect(await log.takeNew()).toEqual([]);
    await expectStatus(201, 'POST', topics, operator, { topic_name: 'audited', partitions_count: 1, configs: [{ name: 'retention.ms', value: '3600000' }] });
    const e = await onlyNewEntry();
    expect(e).toMatchObject({
      actor: 't-operator', door: 'rest', action: 'topic.create', resource: 'topic:audited', result: 'success', error: null, before: null,
      after: { partitions: 1, replication_factor: 1, configs: [{ name: 'retention.ms', value: '3600000' }] },
    });
    expect(e.source).toMatch(/127\.0\.0\.1/);
  });

  it('a failure (the topic exists) is one entry with result failure and the error', async () => {
    await expectStatus(400, 'POST', topics, operator, { topic_name: 'audited', partitions_count: 1 });
    expect(await onlyNewEntry()).toMatchObject({ action: 'topic.create', resource: 'topic:audited', result: 'failure', error: expect.stringContaining('already exists') });
  });

  it('a request refused by the role check changes nothing and leaves no entry', async () => {
    await expectStatus(403, 'POST', topics, gateway.users.viewer.bearer, { topic_name: 'refused', partitions_count: 1 });
    expect(await log.takeNew()).toEqual([]);
  });

  it('config updates: the values before and after', async () => {
    await expectStatus(204, 'PUT', `${topics}/audited/configs/retention.ms`, operator, { value: '7200000' });
    expect(await onlyNewEntry()).toMatchObject({
      action: 'topic.configs.alter', resource: 'topic:audited', before: { 'retention.ms': '3600000' }, after: { 'retention.ms': '7200000' },
    });
    await expectStatus(204, 'POST', `${topics}/audited/configs:alter`, operator, { data: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', operation: 'DELETE' }] });
    expect(await onlyNewEntry()).toMatchObject({
      action: 'topic.configs.alter', before: { 'cleanup.policy': 'delete', 'retention.ms': '7200000' }, after: { 'cleanup.policy': 'compact', 'retention.ms': '604800000' },
    });
    await expectStatus(204, 'POST', `${topics}/audited/configs:alter`, operator, { data: [{ name: 'cleanup.policy', value: 'delete' }], validate_only: true });
    expect(await log.takeNew()).toEqual([]);
  });

  it('partitions create: the count before and after', async () => {
    await expectStatus(200, 'PATCH', `${topics}/audited`, operator, { partitions_count: 3 });
    expect(await onlyNewEntry()).toMatchObject({ action: 'topic.partitions.create', resource: 'topic:audited', before: { partitions: 1 }, after: { partitions: 3 } });
  });

  it('group offsets reset: each partition\'s committed offset before and after; the data plane and dry runs leave none', async () => {
    for (let i = 0; i < 3; i++) {
      await expectStatus(200, 'POST', `${topics}/audited/records`, operator, { partition_id: 0, key: { type: 'STRING', data: 'k' }, value: { type: 'STRING', data: `v${i}` } });
    }
    const v2 = { 'content-type': 'application/vnd.kafka.v2+json', ...operator };
    const instance = '/v2/consumers/billing/instances/c1';
    await expectStatus(200, 'POST', '/v2/consumers/billing', v2, { name: 'c1', format: 'binary' });
    await expectStatus(204, 'POST', `${instance}/assignments`, v2, { partitions: [{ topic: 'audited', partition: 0 }] });
    await expectStatus(200, 'POST', `${instance}/offsets`, v2, { offsets: [{ topic: 'audited', partition: 0, offset: 1 }] });
    await expectStatus(204, 'DELETE', instance, v2);
    expect(await log.takeNew()).toEqual([]);

    const reset = `${topics.replace('/topics', '/consumer-groups')}/billing/offsets:reset`;
    await expectStatus(200, 'POST', reset, operator, { mode: 'earliest', topic_name: 'audited' });
    expect(await log.takeNew()).toEqual([]);
    await expectStatus(200, 'POST', reset, operator, { mode: 'earliest', topic_name: 'audited', partitions: [{ topic_name: 'audited', partition_id: 0 }], dry_run: false });
    expect(await onlyNewEntry()).toMatchObject({
      actor: 't-operator', action: 'group.offsets.reset', resource: 'group:billing',
      after: { offsets: [{ topic: 'audited', partition: 0, before: 2, after: 0 }] },
    });
  });

  it('a console session is door console', async () => {
    const session = await loginSession(gateway.baseUrl, gateway.users.operator.name, gateway.users.operator.password);
    expect(await onlyNewEntry()).toMatchObject({ actor: 't-operator', action: 'auth.login', result: 'success' });
    await expectStatus(204, 'PUT', `${topics}/audited/configs/retention.ms`, session.write, { value: '3600000' });
    expect(await onlyNewEntry()).toMatchObject({ actor: 't-operator', door: 'console', action: 'topic.configs.alter', after: { 'retention.ms': '3600000' } });
  });

  it('topic delete: the topic\'s shape before', async () => {
    await expectStatus(204, 'DELETE', `${topics}/audited`, admin);
    expect(await onlyNewEntry()).toMatchObject({ actor: 't-admin', action: 'topic.delete', resource: 'topic:audited', before: { partitions: 3, replication_factor: 1 }, result: 'success' });
  });

  it('ACL create and delete (admin): the binding after, the deleted bindings before', async () => {
    const acls = topics.replace('/topics', '/acls');
    const binding = { resource_type: 'TOPIC', resource_name: 'audited-acl', pattern_type: 'LITERAL', principal: 'User:bob', host: '*', operation: 'READ', permission: 'ALLOW' };
    await expectStatus(201, 'POST', acls, admin, binding);
    expect(await onlyNewEntry()).toMatchObject({ actor: 't-admin', action: 'acl.create', resource: 'topic:audited-acl', after: binding, result: 'success' });
    await expectStatus(200, 'DELETE', `${acls}?resource_type=TOPIC&resource_name=audited-acl`, admin);
    expect(await onlyNewEntry()).toMatchObject({ action: 'acl.delete', resource: 'topic:audited-acl', before: [binding], result: 'success' });
  });

  it('user update and delete: role and disabled before and after; logins succeed and fail by the name tried', async () => {
    await gateway.createUser('temp', 'viewer');
    await log.mark();
    await expectStatus(200, 'PATCH', '/v3/users/temp', gateway.adminBearer, { role: 'operator', disabled: true });
    expect(await onlyNewEntry()).toMatchObject({ actor: 'admin', action: 'user.update', resource: 'user:temp', before: { role: 'viewer', disabled: false }, after: { role: 'operator', disabled: true } });
    await expectStatus(204, 'DELETE', '/v3/users/temp', gateway.adminBearer);
    expect(await onlyNewEntry()).toMatchObject({ action: 'user.delete', resource: 'user:temp', before: { role: 'operator', disabled: true } });

    await expectStatus(401, 'POST', '/v3/auth/login', {}, { username: 't-viewer', password: 'wrong-password-123' });
    expect(await onlyNewEntry()).toMatchObject({ actor: 't-viewer', action: 'auth.login', result: 'failure' });
    await expectStatus(200, 'POST', '/v3/auth/login', {}, { username: 't-viewer', password: gateway.users.viewer.password });
    expect(await onlyNewEntry()).toMatchObject({ actor: 't-viewer', action: 'auth.login', result: 'success' });
  });
});
