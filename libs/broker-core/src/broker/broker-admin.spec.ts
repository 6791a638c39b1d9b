import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigChangeZNode, KafkaPaths, TopicConfigZNode, TopicZNode } from '../registry/kafka-znodes.js';
import type { BrokerChange } from './broker-api.js';
import { BrokerHarness } from './testing/broker-harness.js';
import { expectCode, expectKafkaError } from './testing/expect-error.js';

const b = (s: string): Buffer => Buffer.from(s);

describe('Broker topic administration', () => {
  let h: BrokerHarness;
  let events: BrokerChange[];
  beforeEach(async () => {
    h = await BrokerHarness.start();
    events = [];
    h.broker.onChange((e) => events.push(e));
  });
  afterEach(async () => h.close());

  const logDirs = (): string[] => readdirSync(join(h.dataDir, 'logs')).sort();

  it('deletes a topic: marker, logs, znodes, then the marker, and the name can be reused', async () => {
    await h.broker.createTopic({ name: 'gone', partitions: 2, configs: { 'retention.ms': '1000' } });
    await h.broker.produce('gone', [{ partition: 0, key: null, value: b('x') }]);
    const seen: string[] = [];
    h.registry.exists(KafkaPaths.deleteTopic('gone'), (e) => seen.push(e.type));
    await h.broker.deleteTopic('gone');
    expect(seen).toEqual(['NodeCreated']); // the marker was written first
    expect(h.registry.exists(KafkaPaths.deleteTopic('gone'))).toBeNull();
    expect(h.registry.exists(KafkaPaths.topic('gone'))).toBeNull();
    expect(h.registry.exists(KafkaPaths.topicConfig('gone'))).toBeNull();
    expect(logDirs()).toEqual([]);
    expect(h.broker.listTopics()).toEqual([]);
    expect(h.broker.topicCounters().has('gone')).toBe(false);
    expect(events.map((e) => e.type).filter((t) => t !== 'partition-changed')).toEqual(['topic-created', 'records-appended', 'topic-deleted']);
    await expectKafkaError(() => h.broker.describeTopic('gone'), 'UNKNOWN_TOPIC_OR_PARTITION');
    const [after] = await h.broker.appendRecords([{ topic: 'gone', partition: 0, records: Buffer.alloc(0) }], { acks: 1, timeoutMs: 1 });
    expectCode(after!, 'UNKNOWN_TOPIC_OR_PARTITION');

    const again = await h.broker.createTopic({ name: 'gone', partitions: 1 });
    expect(again.partitions[0]!.logEndOffset).toBe(0n);
    expect(TopicConfigZNode.decode(h.registry.getData(KafkaPaths.topicConfig('gone')).data)).toEqual({});
    await expectKafkaError(h.broker.deleteTopic('never'), 'UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('finishes a deletion that a crash interrupted, at the next start', async () => {
    await h.broker.createTopic({ name: 'half', partitions: 2 });
    await h.broker.createTopic({ name: 'kept' });
    await h.registry.create(KafkaPaths.deleteTopic('half')); // as if the broker died right after marking it
    await h.crashAndRestart();
    expect(h.broker.listTopics().map((t) => t.name)).toEqual(['kept']);
    expect(h.registry.exists(KafkaPaths.topic('half'))).toBeNull();
    expect(h.registry.exists(KafkaPaths.deleteTopic('half'))).toBeNull();
    expect(logDirs()).toEqual(['kept-0']);
  });

  it('refuses to create a topic still marked for deletion', async () => {
    await h.registry.create(KafkaPaths.deleteTopic('pending'));
    expect(await expectKafkaError(h.broker.createTopic({ name: 'pending' }), 'TOPIC_ALREADY_EXISTS')).toContain('marked for deletion');
  });

  it('adds partitions, rewriting the assignment and opening the new logs', async () => {
    await h.broker.createTopic({ name: 'grow', partitions: 2 });
    const grown = await h.broker.createPartitions('grow', 5);
    expect(grown.partitions.map((p) => [p.partition, p.leader, p.isr])).toEqual([[0, 1, [1]], [1, 1, [1]], [2, 1, [1]], [3, 1, [1]], [4, 1, [1]]]);
    expect([...TopicZNode.decode(h.registry.getData(KafkaPaths.topic('grow')).data).partitions.keys()]).toEqual([0, 1, 2, 3, 4]);
    expect(h.registry.exists(KafkaPaths.partitionState('grow', 4))).not.toBeNull();
    expect(logDirs()).toEqual(['grow-0', 'grow-1', 'grow-2', 'grow-3', 'grow-4']);
    expect(events).toContainEqual({ type: 'partitions-created', topic: 'grow', partitions: 5 });
    const [r] = await h.broker.produce('grow', [{ partition: 4, key: null, value: b('x') }]);
    expectCode(r!, 'NONE');

    expect(await expectKafkaError(h.broker.createPartitions('grow', 3), 'INVALID_PARTITIONS')).toContain('Topic currently has 5 partitions, which is higher than the requested 3.');
    expect(await expectKafkaError(h.broker.createPartitions('grow', 5), 'INVALID_PARTITIONS')).toContain('Topic already has 5 partitions.');
    await expectKafkaError(h.broker.createPartitions('nope', 5), 'UNKNOWN_TOPIC_OR_PARTITION');
    const preview = await h.broker.createPartitions('grow', 7, { validateOnly: true });
    expect(preview.partitions).toHaveLength(7);
    expect(h.broker.describeTopic('grow').partitions).toHaveLength(5);
  });

  it('alters and reverts configs: validated as a whole, persisted, applied to the logs, announced', async () => {
    await h.broker.createTopic({ name: 'cfg', configs: { 'cleanup.policy': 'delete' } });
    const entries = await h.broker.alterTopicConfigs('cfg', [
      { name: 'retention.ms', value: '1234' },
      { name: 'max.message.bytes', value: '200' },
      { name: 'cleanup.policy', value: null },
    ]);
    expect(entries.find((e) => e.name === 'retention.ms')).toMatchObject({ value: '1234', isDefault: false });
    expect(entries.find((e) => e.name === 'cleanup.policy')).toMatchObject({ value: 'delete', isDefault: true, source: 'DEFAULT_CONFIG' });
    expect(TopicConfigZNode.decode(h.registry.getData(KafkaPaths.topicConfig('cfg')).data)).toEqual({ 'retention.ms': '1234', 'max.message.bytes': '200' });
    const changes = h.registry.getChildren(KafkaPaths.configChanges);
    expect(changes).toEqual(['config_change_0000000000']);
    expect(ConfigChangeZNode.decode(h.registry.getData(`${KafkaPaths.configChanges}/${changes[0]}`).data)).toBe('topics/cfg');
    expect(events).toContainEqual({ type: 'configs-changed', topic: 'cfg' });

    // The open log enforces the new max.message.bytes at once.
    const [tooBig] = await h.broker.produce('cfg', [{ key: null, value: Buffer.alloc(500) }]);
    expectCode(tooBig!, 'MESSAGE_TOO_LARGE');

    // One bad change rejects all of them.
    expect(await expectKafkaError(h.broker.alterTopicConfigs('cfg', [{ name: 'retention.ms', value: '1' }, { name: 'segment.bytes', value: 'x' }]), 'INVALID_CONFIG')).toContain('segment.bytes');
    expect(h.broker.describeTopicConfigs('cfg').find((e) => e.name === 'retention.ms')!.value).toBe('1234');
    await h.broker.alterTopicConfigs('cfg', [{ name: 'retention.ms', value: '99' }], { validateOnly: true });
    expect(h.broker.describeTopicConfigs('cfg').find((e) => e.name === 'retention.ms')!.value).toBe('1234');
    await expectKafkaError(h.broker.alterTopicConfigs('nope', []), 'UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('lists its own settings read-only under Kafka\'s names, the group and transaction coordinators\' included', () => {
    const entries = new Map(h.broker.describeBrokerConfigs().map((e) => [e.name, e]));
    expect(entries.get('transaction.max.timeout.ms')).toMatchObject({ value: '900000', readOnly: true, source: 'STATIC_BROKER_CONFIG' });
    expect(entries.get('producer.id.expiration.ms')?.value).toBe('86400000');
    expect(entries.get('offsets.topic.num.partitions')?.value).toBe(String(h.broker.defaults.offsetsTopicNumPartitions));
    expect([...entries.values()].every((e) => e.readOnly)).toBe(true);
  });

  it('purges config change notifications after they expire', async () => {
    await h.close();
    h = await BrokerHarness.start({ configChangeExpirationMs: 60_000 });
    await h.broker.createTopic({ name: 'cfg' });
    await h.broker.alterTopicConfigs('cfg', [{ name: 'retention.ms', value: '1234' }]);
    expect(h.registry.getChildren(KafkaPaths.configChanges)).toHaveLength(1);
    for (let i = 0; i < 3 && h.registry.getChildren(KafkaPaths.configChanges).length > 0; i++) {
      h.time.advance(60_000);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(h.registry.getChildren(KafkaPaths.configChanges)).toEqual([]);
    expect(existsSync(join(h.dataDir, 'logs', 'cfg-0'))).toBe(true);
  });
});
