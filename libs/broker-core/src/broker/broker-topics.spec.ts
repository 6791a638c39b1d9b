import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaPaths, PartitionStateZNode, TopicConfigZNode, TopicZNode } from '../registry/kafka-znodes.js';
import { BrokerHarness } from './testing/broker-harness.js';
import { expectKafkaError } from './testing/expect-error.js';

describe('Broker topics', () => {
  let h: BrokerHarness;
  beforeEach(async () => void (h = await BrokerHarness.start()));
  afterEach(async () => h.close());

  it('creates a topic in Kafka’s znode layout with logs for its partitions', async () => {
    const created = await h.broker.createTopic({ name: 'orders', partitions: 3, configs: { 'retention.ms': ' 60000 ' } });
    expect(created).toMatchObject({ name: 'orders', internal: false, replicationFactor: 1 });
    expect(created.topicId).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(created.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(created.partitions[0]).toEqual({
      partition: 0, leader: 1, leaderEpoch: 0, replicas: [1], isr: [1], logStartOffset: 0n, highWatermark: 0n, lastStableOffset: 0n, logEndOffset: 0n, sizeBytes: 0,
      offline: false, offlineReplicas: [], addingReplicas: [], removingReplicas: [],
    });

    const { registry } = h;
    const assignment = TopicZNode.decode(registry.getData(KafkaPaths.topic('orders')).data);
    expect(assignment.version).toBe(3);
    expect(assignment.topicId).toBe(created.topicId);
    expect([...assignment.partitions]).toEqual([[0, [1]], [1, [1]], [2, [1]]]);
    expect(PartitionStateZNode.decode(registry.getData(KafkaPaths.partitionState('orders', 2)).data)).toEqual({ controllerEpoch: 1, leader: 1, leaderEpoch: 0, isr: [1] });
    expect(TopicConfigZNode.decode(registry.getData(KafkaPaths.topicConfig('orders')).data)).toEqual({ 'retention.ms': '60000' });
    for (const p of [0, 1, 2]) expect(existsSync(join(h.dataDir, 'logs', `orders-${p}`))).toBe(true);

    expect(h.broker.describeTopic('orders')).toEqual(created);
    expect(h.broker.listTopics().map((t) => t.name)).toEqual(['orders']);
    const retention = h.broker.describeTopicConfigs('orders').find((c) => c.name === 'retention.ms');
    expect(retention).toMatchObject({ value: '60000', isDefault: false, source: 'DYNAMIC_TOPIC_CONFIG' });
  });

  it('uses num.partitions and default.replication.factor when the request names none', async () => {
    const created = await h.broker.createTopic({ name: 'defaults' });
    expect(created.partitions).toHaveLength(1);
    expect((await h.broker.createTopic({ name: 'minus-one', partitions: -1, replicationFactor: -1 })).partitions).toHaveLength(1);
  });

  it('hides internal topics unless asked', async () => {
    await h.broker.createTopic({ name: '__consumer_offsets', partitions: 2 });
    await h.broker.createTopic({ name: 'visible' });
    expect(h.broker.listTopics().map((t) => t.name)).toEqual(['visible']);
    expect(h.broker.listTopics({ includeInternal: true }).map((t) => [t.name, t.internal])).toEqual([['__consumer_offsets', true], ['visible', false]]);
  });

  it('rejects names Kafka rejects', async () => {
    for (const name of ['', '.', '..', 'a'.repeat(250), 'has space', 'ümlaut', 'a/b']) {
      await expectKafkaError(h.broker.createTopic({ name }), 'INVALID_TOPIC_EXCEPTION');
    }
    await h.broker.createTopic({ name: 'a'.repeat(249) });
    await h.broker.createTopic({ name: 'metrics.cpu' });
    const message = await expectKafkaError(h.broker.createTopic({ name: 'metrics_cpu' }), 'INVALID_TOPIC_EXCEPTION');
    expect(message).toContain('collides with existing topic: metrics.cpu');
  });

  it('rejects duplicates, bad partition counts, replication factors and configs', async () => {
    await h.broker.createTopic({ name: 't' });
    expect(await expectKafkaError(h.broker.createTopic({ name: 't' }), 'TOPIC_ALREADY_EXISTS')).toContain("Topic 't' already exists.");
    await expectKafkaError(h.broker.createTopic({ name: 'p0', partitions: 0 }), 'INVALID_PARTITIONS');
    await expectKafkaError(h.broker.createTopic({ name: 'p1', partitions: 1.5 }), 'INVALID_PARTITIONS');
    expect(await expectKafkaError(h.broker.createTopic({ name: 'rf', replicationFactor: 2 }), 'INVALID_REPLICATION_FACTOR'))
      .toContain('Replication factor: 2 larger than available brokers: 1.');
    await expectKafkaError(h.broker.createTopic({ name: 'rf0', replicationFactor: 0 }), 'INVALID_REPLICATION_FACTOR');
    expect(await expectKafkaError(h.broker.createTopic({ name: 'c', configs: { 'retention.ms': 'soon' } }), 'INVALID_CONFIG')).toContain('retention.ms');
    expect(await expectKafkaError(h.broker.createTopic({ name: 'c', configs: { 'no.such.config': '1' } }), 'INVALID_CONFIG')).toContain('no.such.config');
    expect(h.broker.listTopics().map((t) => t.name)).toEqual(['t']);
    expect(h.registry.exists(KafkaPaths.topic('c'))).toBeNull();
  });

  it('validates without creating when validateOnly', async () => {
    const preview = await h.broker.createTopic({ name: 'dry', partitions: 2 }, { validateOnly: true });
    expect(preview.partitions).toHaveLength(2);
    expect(h.broker.listTopics()).toEqual([]);
    expect(h.registry.exists(KafkaPaths.topic('dry'))).toBeNull();
    expect(existsSync(join(h.dataDir, 'logs', 'dry-0'))).toBe(false);
  });

  it('describes an unknown topic as UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await expectKafkaError(() => h.broker.describeTopic('nope'), 'UNKNOWN_TOPIC_OR_PARTITION');
    await expectKafkaError(() => h.broker.describeTopicConfigs('nope'), 'UNKNOWN_TOPIC_OR_PARTITION');
  });
});
