import kafkajs, { type Admin, type Kafka, type SASLOptions } from 'kafkajs';
import { kafkaErrors } from '../support/kafkajs.js';
import { createTopic, secureKafka } from './sasl-clients.js';
import { startSecureGateway, type SecureGateway } from './support/secure-gateway.js';

/**
 * ACLs on both doors, one store: kafkajs's CreateAcls/DescribeAcls/DeleteAcls round
 * trip; a DENY on a topic refuses a kafkajs producer (TOPIC_AUTHORIZATION_FAILED) while
 * another topic still takes records, and a DENY on a group stops a consumer
 * (GROUP_AUTHORIZATION_FAILED); an ACL made through REST is what kafkajs describes and
 * what the Kafka door enforces; REST produce by a denied user is 403 40301. The PLAINTEXT
 * listener's clients are User:ANONYMOUS; on a SASL listener the principal is the SASL user.
 */
const { AclResourceTypes, ResourcePatternTypes, AclOperationTypes, AclPermissionTypes } = kafkajs;

async function withAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

async function produceError(kafka: Kafka, topic: string): Promise<string[]> {
  const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ value: 'x' }] });
    return [];
  } catch (err) {
    return kafkaErrors(err).map((e) => e.type ?? e.name);
  } finally {
    await producer.disconnect();
  }
}

const denyWrite = (topic: string, principal: string) => ({
  resourceType: AclResourceTypes.TOPIC, resourceName: topic, resourcePatternType: ResourcePatternTypes.LITERAL, principal, host: '*',
  operation: AclOperationTypes.WRITE, permissionType: AclPermissionTypes.DENY,
});

describe('ACLs on a PLAINTEXT listener and REST', () => {
  let gw: SecureGateway;
  let kafka: Kafka;
  let aclsUrl: string;

  beforeAll(async () => {
    gw = await startSecureGateway();
    kafka = secureKafka(gw.bootstrap, { retries: 0 });
    const clusters = await (await fetch(`${gw.baseUrl}/v3/clusters`, { headers: gw.adminBearer })).json() as { data: { cluster_id: string }[] };
    aclsUrl = `${gw.baseUrl}/v3/clusters/${clusters.data[0]!.cluster_id}/acls`;
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('round-trips kafkajs createAcls, describeAcls and deleteAcls', async () => {
    await withAdmin(kafka, async (admin) => {
      await admin.createAcls({
        acl: [{
          resourceType: AclResourceTypes.GROUP, resourceName: 'audit-', resourcePatternType: ResourcePatternTypes.PREFIXED, principal: 'User:alice',
          host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.ALLOW,
        }],
      });
      const described = await admin.describeAcls({
        resourceType: AclResourceTypes.GROUP, resourceName: 'audit-', resourcePatternType: ResourcePatternTypes.PREFIXED,
        operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY,
      });
      expect(described.resources).toEqual([{
        resourceType: AclResourceTypes.GROUP, resourceName: 'audit-', resourcePatternType: ResourcePatternTypes.PREFIXED,
        acls: [{ principal: 'User:alice', host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.ALLOW }],
      }]);
      const deleted = await admin.deleteAcls({
        filters: [{ resourceType: AclResourceTypes.GROUP, resourceName: 'audit-reports', resourcePatternType: ResourcePatternTypes.MATCH,
          operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY }],
      });
      expect(deleted.filterResponses[0]!.matchingAcls.map((a) => a.resourceName)).toEqual(['audit-']);
      const after = await admin.describeAcls({
        resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY,
      });
      expect(after.resources.filter((r) => r.resourceName === 'audit-')).toEqual([]);
    });
  });

  it('a DENY WRITE refuses a kafkajs producer on that topic only', async () => {
    await createTopic(kafka, 'acl-closed');
    await createTopic(kafka, 'acl-open');
    await withAdmin(kafka, (admin) => admin.createAcls({ acl: [denyWrite('acl-closed', 'User:ANONYMOUS')] }));
    expect(await produceError(kafka, 'acl-closed')).toContain('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceError(kafka, 'acl-open')).toEqual([]);
  });

  it('a DENY on a group stops a kafkajs consumer with GROUP_AUTHORIZATION_FAILED', async () => {
    await createTopic(kafka, 'acl-group-topic');
    // DESCRIBE stays allowed, so FindCoordinator answers (kafkajs hides a refusal there as "coordinator not found"); JoinGroup needs READ.
    const groupAcl = {
      resourceType: AclResourceTypes.GROUP, resourceName: 'acl-denied-group', resourcePatternType: ResourcePatternTypes.LITERAL, principal: 'User:*', host: '*',
    };
    await withAdmin(kafka, (admin) => admin.createAcls({
      acl: [
        { ...groupAcl, operation: AclOperationTypes.DESCRIBE, permissionType: AclPermissionTypes.ALLOW },
        { ...groupAcl, operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.DENY },
      ],
    }));
    const consumer = kafka.consumer({ groupId: 'acl-denied-group', retry: { retries: 0 } });
    const crashed = new Promise<unknown>((resolve) => consumer.on(consumer.events.CRASH, (e) => resolve(e.payload.error)));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: 'acl-group-topic', fromBeginning: true });
      const started = consumer.run({ eachMessage: () => Promise.resolve() }).then(() => undefined, (err: unknown) => err);
      const error = await Promise.race([crashed, started.then((e) => e ?? crashed)]);
      expect(kafkaErrors(error).map((e) => e.type)).toContain('GROUP_AUTHORIZATION_FAILED');
    } finally {
      await consumer.disconnect();
    }
  });

  it('an ACL made through REST is the one kafkajs describes and the Kafka door enforces; REST produce by a denied user is 403 40301', async () => {
    await createTopic(kafka, 'acl-rest');
    const acl = { resource_type: 'TOPIC', resource_name: 'acl-rest', pattern_type: 'LITERAL', host: '*', operation: 'WRITE', permission: 'DENY' };
    for (const principal of ['User:ANONYMOUS', `User:${gw.users.operator.name}`]) {
      const created = await fetch(aclsUrl, { method: 'POST', headers: { ...gw.adminBearer, 'content-type': 'application/json' }, body: JSON.stringify({ ...acl, principal }) });
      expect(created.status).toBe(201);
    }
    const described = await withAdmin(kafka, (admin) => admin.describeAcls({
      resourceType: AclResourceTypes.TOPIC, resourceName: 'acl-rest', resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY,
    }));
    expect(described.resources[0]!.acls.map((a) => a.principal).sort()).toEqual(['User:ANONYMOUS', `User:${gw.users.operator.name}`]);
    expect(await produceError(kafka, 'acl-rest')).toContain('TOPIC_AUTHORIZATION_FAILED');

    const produce = (headers: Record<string, string>) => fetch(`${aclsUrl.replace(/\/acls$/, '')}/topics/acl-rest/records`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ value: { type: 'STRING', data: 'hi' } }),
    });
    const denied = await produce(gw.users.operator.bearer);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ error_code: 40301, message: `User:${gw.users.operator.name} is not authorized to WRITE topic 'acl-rest'` });
    // Admins administer the ACLs: they are super users on the REST door.
    expect((await produce(gw.users.admin.bearer)).status).toBe(200);

    const listed = await (await fetch(`${aclsUrl}?resource_name=acl-rest`, { headers: gw.adminBearer })).json() as { kind: string; data: { principal: string; operation: string }[] };
    expect(listed.kind).toBe('KafkaAclDataList');
    expect(listed.data.map((a) => `${a.principal} ${a.operation}`).sort()).toEqual(['User:ANONYMOUS WRITE', `User:${gw.users.operator.name} WRITE`]);
    const badEnum = await fetch(aclsUrl, { method: 'POST', headers: { ...gw.adminBearer, 'content-type': 'application/json' }, body: JSON.stringify({ ...acl, principal: 'User:x', operation: 'FLY' }) });
    expect(badEnum.status).toBe(400);
    expect(((await badEnum.json()) as { error_code: number }).error_code).toBe(40002);

    // With no ACL left on the topic, the no-ACL default (allow) applies again.
    const removed = await fetch(`${aclsUrl}?resource_name=acl-rest`, { method: 'DELETE', headers: gw.adminBearer });
    expect(((await removed.json()) as { data: unknown[] }).data).toHaveLength(2);
    expect(await produceError(kafka, 'acl-rest')).toEqual([]);
  });
});

describe('ACLs on a SASL_PLAINTEXT listener', () => {
  let gw: SecureGateway;

  beforeAll(async () => {
    gw = await startSecureGateway({ env: { WEIR_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT' } });
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('the principal is the SASL user: an ALLOW for everyone with a DENY for one user refuses only that user', async () => {
    const as = (name: string, password: string) => secureKafka(gw.bootstrap, { retries: 0, sasl: { mechanism: 'scram-sha-256', username: name, password } as SASLOptions });
    const operator = as(gw.users.operator.name, gw.users.operator.password);
    const viewer = as(gw.users.viewer.name, gw.users.viewer.password);
    await createTopic(operator, 'acl-sasl');
    // Once an ACL names the topic, only ALLOWs open it (Kafka's rule): everyone may write, the operator may not.
    await withAdmin(operator, (admin) => admin.createAcls({
      acl: [denyWrite('acl-sasl', `User:${gw.users.operator.name}`), { ...denyWrite('acl-sasl', 'User:*'), permissionType: AclPermissionTypes.ALLOW }],
    }));
    expect(await produceError(operator, 'acl-sasl')).toContain('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceError(viewer, 'acl-sasl')).toEqual([]);
  });
});
