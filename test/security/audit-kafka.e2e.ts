import kafkajs, { type Admin } from 'kafkajs';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { kafkaClient, noRetryClient } from '../support/kafkajs.js';
import { type AuditEntry, AuditLogReader } from './audit-log-reader.js';

/**
 * The Kafka door of the audit log: each admin request kafkajs sends leaves exactly one
 * entry per resource, actor ANONYMOUS (a PLAINTEXT listener), door kafka, with the state
 * before and after; validateOnly requests and offset commits leave none.
 */
describe('audit log: Kafka door', () => {
  let gateway: TestGateway;
  let admin: Admin;
  let log: AuditLogReader;

  async function onlyNewEntry(): Promise<AuditEntry> {
    const fresh = await log.waitForNew(1);
    expect(fresh.map((e) => `${e.action} ${e.resource} ${e.result}`)).toHaveLength(1);
    return fresh[0]!;
  }

  beforeAll(async () => {
    gateway = await startTestGateway();
    admin = kafkaClient(gateway.bootstrap).admin();
    await admin.connect();
    log = new AuditLogReader(gateway.baseUrl);
    await log.mark();
  });
  afterAll(async () => {
    await admin?.disconnect();
    await gateway?.close();
  });

  it('createTopics: the topic as created; validateOnly leaves no entry', async () => {
    // validateOnly creates nothing, so kafkajs must not wait for the topic's leaders.
    await admin.createTopics({ topics: [{ topic: 'k-audited', numPartitions: 1 }], validateOnly: true, waitForLeaders: false });
    expect(await log.takeNew()).toEqual([]);
    await admin.createTopics({ topics: [{ topic: 'k-audited', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    const e = await onlyNewEntry();
    expect(e).toMatchObject({
      actor: 'ANONYMOUS', door: 'kafka', source: '127.0.0.1', action: 'topic.create', resource: 'topic:k-audited', result: 'success', error: null,
      after: { partitions: 1, replication_factor: 1, configs: { 'retention.ms': '3600000' } },
    });
  });

  it('a failure (the topic exists) is one entry with result failure and the Kafka error name', async () => {
    const once = noRetryClient(gateway.bootstrap).admin();
    await once.connect();
    try {
      await once.createTopics({ topics: [{ topic: 'k-audited', numPartitions: 1 }] }).catch(() => undefined);
    } finally {
      await once.disconnect();
    }
    expect(await onlyNewEntry()).toMatchObject({ action: 'topic.create', resource: 'topic:k-audited', result: 'failure', error: 'TOPIC_ALREADY_EXISTS', after: null });
  });

  it('alterConfigs: the values before and after', async () => {
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'k-audited', configEntries: [{ name: 'retention.ms', value: '7200000' }] }] });
    expect(await onlyNewEntry()).toMatchObject({
      action: 'topic.configs.alter', resource: 'topic:k-audited', before: { 'retention.ms': '3600000' }, after: { 'retention.ms': '7200000' },
    });
    await admin.alterConfigs({ validateOnly: true, resources: [{ type: 2, name: 'k-audited', configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
    expect(await log.takeNew()).toEqual([]);
  });

  it('createPartitions: the count before and after', async () => {
    await admin.createPartitions({ topicPartitions: [{ topic: 'k-audited', count: 2 }] });
    expect(await onlyNewEntry()).toMatchObject({ action: 'topic.partitions.create', resource: 'topic:k-audited', before: { partitions: 1 }, after: { partitions: 2 } });
  });

  it('deleteTopicRecords: the low watermark before and after', async () => {
    const producer = kafkaClient(gateway.bootstrap).producer();
    await producer.connect();
    await producer.send({ topic: 'k-audited', messages: [0, 1, 2].map((i) => ({ partition: 0, value: `v${i}` })) });
    await producer.disconnect();
    expect(await log.takeNew()).toEqual([]);
    await admin.deleteTopicRecords({ topic: 'k-audited', partitions: [{ partition: 0, offset: '2' }] });
    expect(await onlyNewEntry()).toMatchObject({ action: 'records.delete', resource: 'topic:k-audited', before: { low_watermarks: { 0: '0' } }, after: { low_watermarks: { 0: '2' } } });
  });

  it('offset commits are data, not administration; deleteGroups leaves one entry per group', async () => {
    await admin.setOffsets({ groupId: 'k-billing', topic: 'k-audited', partitions: [{ partition: 0, offset: '2' }] });
    expect(await log.takeNew()).toEqual([]);
    await admin.deleteGroups(['k-billing']);
    expect(await onlyNewEntry()).toMatchObject({ action: 'group.delete', resource: 'group:k-billing', result: 'success' });
  });

  it('createAcls and deleteAcls: the binding, in Confluent\'s spelling', async () => {
    const acl = {
      resourceType: kafkajs.AclResourceTypes.TOPIC, resourceName: 'k-acl-only', resourcePatternType: kafkajs.ResourcePatternTypes.LITERAL,
      principal: 'User:alice', host: '*', operation: kafkajs.AclOperationTypes.READ, permissionType: kafkajs.AclPermissionTypes.ALLOW,
    };
    // Another topic than the suite's: an ACL on it would leave ANONYMOUS without access to it.
    const binding = { resource_type: 'TOPIC', resource_name: 'k-acl-only', pattern_type: 'LITERAL', principal: 'User:alice', host: '*', operation: 'READ', permission: 'ALLOW' };
    await admin.createAcls({ acl: [acl] });
    expect(await onlyNewEntry()).toMatchObject({ action: 'acl.create', resource: 'topic:k-acl-only', after: binding, result: 'success' });
    await admin.deleteAcls({ filters: [acl] });
    expect(await onlyNewEntry()).toMatchObject({ action: 'acl.delete', resource: 'topic:k-acl-only', before: [binding], result: 'success' });
  });

  it('deleteTopics: the topic\'s shape before', async () => {
    await admin.deleteTopics({ topics: ['k-audited'] });
    expect(await onlyNewEntry()).toMatchObject({ action: 'topic.delete', resource: 'topic:k-audited', before: { partitions: 2, replication_factor: 1 }, result: 'success' });
  });
});
