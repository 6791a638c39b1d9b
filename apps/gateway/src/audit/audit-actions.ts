import type { BrokerApi } from '@weir/broker-core';
import type { PrismaClient } from '@weir/registry-prisma';

/** What an action's functions see of one REST request: the raw params, body and query, and where to read state. */
export interface AuditRouteContext {
  readonly broker: BrokerApi;
  readonly prisma: PrismaClient;
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body as sent (before validation), or undefined. */
  readonly body: Readonly<Record<string, unknown>> | undefined;
  /** The query string's parameters (a REST ACL delete's filter). */
  readonly query: Readonly<Record<string, unknown>>;
}

/**
 * How one mutating route is audited. `before` runs before the handler and `after` once it
 * succeeded (with what it answered); both return the state the operation changed, never
 * secrets. `skip` marks requests that change nothing (validate_only, dry runs). `actor`
 * names who acted when no user is signed in yet (a login: the name tried).
 */
export interface AuditAction {
  readonly action: string;
  readonly resource: (c: AuditRouteContext) => string;
  readonly skip?: (c: AuditRouteContext) => boolean;
  readonly actor?: (c: AuditRouteContext, response: unknown) => string | undefined;
  readonly before?: (c: AuditRouteContext) => unknown;
  /** For a delete that answers what it removed (a REST ACL delete by filter): the state before, read from its answer. */
  readonly removed?: (c: AuditRouteContext, response: unknown) => unknown;
  readonly after?: (c: AuditRouteContext, response: unknown) => unknown;
}

const V3 = '/v3/clusters/:cluster_id';
const TOPIC = `${V3}/topics/:topic_name`;
const v2Instance = '/v2/consumers/:group/instances/:instance';

const topicOf = (c: AuditRouteContext): string => `topic:${c.params.topic_name ?? ''}`;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const userName = (c: AuditRouteContext): string | undefined => c.params.name ?? c.params.user_name;

function topicShape(broker: BrokerApi, name: string | undefined): unknown {
  const d = broker.describeTopic(name ?? '');
  return { partitions: d.partitions.length, replication_factor: d.replicationFactor };
}

/** The current values of some of a topic's configs (sensitive ones masked). */
function topicConfigs(broker: BrokerApi, topic: string | undefined, names: readonly string[]): Record<string, string | null> {
  const entries = new Map(broker.describeTopicConfigs(topic ?? '').map((e) => [e.name, e]));
  return Object.fromEntries(names.map((n) => {
    const e = entries.get(n);
    return [n, e === undefined ? null : e.sensitive ? '[hidden]' : e.value];
  }));
}

function alteredConfigNames(c: AuditRouteContext): string[] {
  if (c.params.name !== undefined) return [c.params.name];
  const data = Array.isArray(c.body?.['data']) ? (c.body['data'] as unknown[]) : [];
  return data.map((d) => str((d as Record<string, unknown> | null)?.['name'])).filter((n): n is string => n !== undefined);
}

const topicConfigsAlter: AuditAction = {
  action: 'topic.configs.alter',
  resource: topicOf,
  skip: (c) => c.body?.['validate_only'] === true,
  before: (c) => topicConfigs(c.broker, c.params.topic_name, alteredConfigNames(c)),
  after: (c) => topicConfigs(c.broker, c.params.topic_name, alteredConfigNames(c)),
};

function partitionLeaders(broker: BrokerApi, topic: string | undefined, partition: string | undefined): Record<string, number> {
  const all = broker.describeTopic(topic ?? '').partitions;
  const chosen = partition === undefined ? all : all.filter((p) => String(p.partition) === partition);
  return Object.fromEntries(chosen.map((p) => [String(p.partition), p.leader]));
}

const electLeaders: AuditAction = {
  action: 'leader.elect',
  resource: topicOf,
  before: (c) => ({ leaders: partitionLeaders(c.broker, c.params.topic_name, c.params.partition_id), election_type: c.body?.['election_type'] ?? 'PREFERRED' }),
  after: (c) => ({ leaders: partitionLeaders(c.broker, c.params.topic_name, c.params.partition_id) }),
};

function replicasOf(broker: BrokerApi, topic: string | undefined, partition?: string): Record<string, readonly number[]> {
  const all = broker.describeTopic(topic ?? '').partitions;
  return Object.fromEntries(all.filter((p) => partition === undefined || String(p.partition) === partition).map((p) => [String(p.partition), p.replicas]));
}

const reassign = (cancel: boolean): AuditAction => ({
  action: 'partition.reassign',
  resource: topicOf,
  before: (c) => ({ replicas: replicasOf(c.broker, c.params.topic_name, c.params.partition_id) }),
  after: (c) => (cancel ? { cancelled: Number(c.params.partition_id) } : { requested: c.body?.['partitions'] ?? { [c.params.partition_id ?? '']: c.body?.['replicas'] } }),
});

function brokerState(broker: BrokerApi, id: string | undefined): unknown {
  return { status: broker.describeBrokers().find((b) => String(b.brokerId) === id)?.status ?? 'unknown' };
}

const brokerAction = (action: string, how: string): AuditAction => ({
  action,
  resource: (c) => `broker:${c.params.broker_id ?? ''}`,
  before: (c) => brokerState(c.broker, c.params.broker_id),
  after: (c) => ({ ...(brokerState(c.broker, c.params.broker_id) as object), how }),
});

async function userState(prisma: PrismaClient, name: string | undefined): Promise<unknown> {
  const u = await prisma.securityUser.findUnique({ where: { name: name ?? '' }, select: { role: true, disabled: true } });
  return u ?? undefined;
}

function aclOf(body: Readonly<Record<string, unknown>> | undefined): unknown {
  const keys = ['resource_type', 'resource_name', 'pattern_type', 'principal', 'host', 'operation', 'permission'];
  return Object.fromEntries(keys.map((k) => [k, body?.[k] ?? null]));
}

const login: AuditAction = {
  action: 'auth.login',
  resource: () => 'session',
  actor: (c, response) => str(c.body?.['username']) ?? str((response as { user?: { name?: unknown } } | undefined)?.user?.name),
};

/** Every mutating REST route that changes the cluster or its security, by `METHOD fastify-route-pattern`. */
export const AUDIT_ACTIONS: ReadonlyMap<string, AuditAction> = new Map<string, AuditAction>([
  [`POST ${V3}/topics`, {
    action: 'topic.create',
    resource: (c) => `topic:${str(c.body?.['topic_name']) ?? ''}`,
    skip: (c) => c.body?.['validate_only'] === true,
    after: (c) => ({ ...(topicShape(c.broker, str(c.body?.['topic_name'])) as object), configs: c.body?.['configs'] ?? [] }),
  }],
  [`PATCH ${TOPIC}`, {
    action: 'topic.partitions.create',
    resource: topicOf,
    before: (c) => ({ partitions: c.broker.describeTopic(c.params.topic_name ?? '').partitions.length }),
    after: (c) => ({ partitions: c.broker.describeTopic(c.params.topic_name ?? '').partitions.length }),
  }],
  [`DELETE ${TOPIC}`, { action: 'topic.delete', resource: topicOf, before: (c) => topicShape(c.broker, c.params.topic_name) }],
  [`POST ${TOPIC}/configs::alter`, topicConfigsAlter],
  [`PUT ${TOPIC}/configs/:name`, topicConfigsAlter],
  [`DELETE ${TOPIC}/configs/:name`, topicConfigsAlter],
  [`POST ${V3}/consumer-groups/:consumer_group_id/offsets::reset`, {
    action: 'group.offsets.reset',
    resource: (c) => `group:${c.params.consumer_group_id ?? ''}`,
    // dry_run defaults to true: only an explicit false changes anything.
    skip: (c) => c.body?.['dry_run'] !== false,
    before: (c) => ({ mode: c.body?.['mode'] }),
    // The broker reports each partition's committed offset before and after the reset.
    after: (_c, response) => ({
      offsets: ((response as { data?: { topic_name: string; partition_id: number; current_offset: number | null; new_offset: number }[] } | undefined)?.data ?? [])
        .map((p) => ({ topic: p.topic_name, partition: p.partition_id, before: p.current_offset, after: p.new_offset })),
    }),
  }],
  [`DELETE ${V3}/consumer-groups/:consumer_group_id`, {
    action: 'group.delete',
    resource: (c) => `group:${c.params.consumer_group_id ?? ''}`,
    before: async (c) => ({ offsets: await c.broker.fetchConsumerGroupOffsets(c.params.consumer_group_id ?? '') }),
  }],
  [`POST ${V3}/brokers/:broker_id/controlled-shutdown`, brokerAction('broker.stop', 'controlled-shutdown')],
  [`POST ${V3}/brokers/:broker_id/stop`, brokerAction('broker.stop', 'stop')],
  [`POST ${V3}/brokers/:broker_id/start`, brokerAction('broker.start', 'start')],
  [`POST ${V3}/topics/-/partitions/-/leader-election`, { ...electLeaders, resource: () => 'cluster', before: (c) => ({ election_type: c.body?.['election_type'] ?? 'PREFERRED' }), after: (_c, response) => response }],
  [`POST ${TOPIC}/partitions/-/leader-election`, electLeaders],
  [`POST ${TOPIC}/partitions/:partition_id/leader-election`, electLeaders],
  [`POST ${TOPIC}/partitions/-/reassignment`, reassign(false)],
  [`PUT ${TOPIC}/partitions/:partition_id/reassignment`, reassign(false)],
  [`DELETE ${TOPIC}/partitions/:partition_id/reassignment`, reassign(true)],
  [`POST ${V3}/transactions/:transactional_id(^.+)::abort`, {
    action: 'transaction.abort',
    resource: (c) => `transactional-id:${c.params.transactional_id ?? ''}`,
    before: async (c) => {
      const t = await c.broker.describeTransaction(c.params.transactional_id ?? '');
      return { state: t.state, producer_id: t.producerId, producer_epoch: t.producerEpoch };
    },
    after: (_c, response) => ({ state: (response as { state?: unknown } | undefined)?.state }),
  }],
  [`POST ${V3}/acls`, { action: 'acl.create', resource: (c) => aclResource(c.body), after: (c) => aclOf(c.body) }],
  [`DELETE ${V3}/acls`, {
    action: 'acl.delete',
    resource: (c) => (c.query['resource_type'] === undefined || c.query['resource_type'] === 'ANY' ? 'acls' : aclResource(c.query)),
    removed: (_c, response) => ((response as { data?: Record<string, unknown>[] } | undefined)?.data ?? []).map((a) => aclOf(a)),
  }],
  ['POST /v3/auth/login', login],
  ['POST /v3/auth/login-link', login],
  ['POST /v3/auth/logout', { action: 'auth.logout', resource: () => 'session' }],
  ['POST /v3/users', {
    action: 'user.create',
    resource: (c) => `user:${str(c.body?.['name']) ?? ''}`,
    after: (c) => ({ role: c.body?.['role'] ?? null, has_password: typeof c.body?.['password'] === 'string' }),
  }],
  ['PATCH /v3/users/:name', {
    action: 'user.update',
    resource: (c) => `user:${userName(c) ?? ''}`,
    before: (c) => userState(c.prisma, userName(c)),
    after: async (c) => ({ ...((await userState(c.prisma, userName(c))) as object), password_changed: typeof c.body?.['password'] === 'string' }),
  }],
  ['DELETE /v3/users/:name', { action: 'user.delete', resource: (c) => `user:${userName(c) ?? ''}`, before: (c) => userState(c.prisma, userName(c)) }],
  ['POST /v3/users/:name/api-keys', {
    action: 'api-key.create',
    resource: (c) => `user:${userName(c) ?? ''}`,
    // The key's id and name only: the secret is shown once to its owner and never stored in clear.
    after: (_c, response) => {
      const r = response as { id?: unknown; name?: unknown; expires_at?: unknown } | undefined;
      return { id: r?.id, name: r?.name, expires_at: r?.expires_at ?? null };
    },
  }],
  ['DELETE /v3/users/:name/api-keys/:key_id', { action: 'api-key.delete', resource: (c) => `user:${userName(c) ?? ''}`, before: (c) => ({ id: c.params.key_id }) }],
]);

function aclResource(body: Readonly<Record<string, unknown>> | undefined): string {
  const type = str(body?.['resource_type']);
  if (type === 'CLUSTER') return 'cluster';
  return `${(type ?? 'unknown').toLowerCase().replace(/_/g, '-')}:${str(body?.['resource_name']) ?? ''}`;
}

/**
 * Mutating routes deliberately not audited, and why: they are the data plane (a client
 * producing, or a v2 consumer instance reading and committing), not administration, as
 * produce, fetch and offset commits are not audited at the Kafka door either. Auditing them
 * would put a row per record batch in a table meant for who changed what.
 */
export const NOT_AUDITED: ReadonlyMap<string, string> = new Map([
  [`POST ${TOPIC}/records`, 'produce (data plane)'],
  [`POST ${TOPIC}/records::batch`, 'produce (data plane)'],
  ['POST /v2/consumers/:group', 'v2 consumer instance create (data plane)'],
  [`DELETE ${v2Instance}`, 'v2 consumer instance close (data plane)'],
  [`POST ${v2Instance}/assignments`, 'v2 consumer assignment (data plane)'],
  [`POST ${v2Instance}/positions`, 'v2 consumer seek (data plane)'],
  [`POST ${v2Instance}/positions/beginning`, 'v2 consumer seek (data plane)'],
  [`POST ${v2Instance}/positions/end`, 'v2 consumer seek (data plane)'],
  [`POST ${v2Instance}/subscription`, 'v2 consumer subscribe (data plane)'],
  [`DELETE ${v2Instance}/subscription`, 'v2 consumer unsubscribe (data plane)'],
  [`POST ${v2Instance}/offsets`, 'v2 consumer offset commit (data plane, as OffsetCommit)'],
]);

/** The table's key of a request: method and the route pattern fastify matched. */
export function auditRouteKey(method: string, routePattern: string): string {
  return `${method.toUpperCase()} ${routePattern}`;
}
