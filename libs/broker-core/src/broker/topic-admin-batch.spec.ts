import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { KafkaPaths } from '../registry/kafka-znodes.js';
import { BrokerHarness } from './testing/broker-harness.js';
import { expectKafkaError } from './testing/expect-error.js';

describe('TopicAdmin batched creation', () => {
  let h: BrokerHarness;
  beforeEach(async () => void (h = await BrokerHarness.start()));
  afterEach(async () => h.close());

  const czxid = (topic: string): number => h.registry.getData(KafkaPaths.topic(topic)).stat.czxid;

  it('commits creations that wait together in one registry transaction', async () => {
    await h.broker.createTopic({ name: 'first', partitions: 1 });
    const names = ['a', 'b', 'c', 'd', 'e'];
    const created = await Promise.all(names.map((name) => h.broker.createTopic({ name, partitions: 2 })));
    expect(created.map((t) => t.partitions.length)).toEqual([2, 2, 2, 2, 2]);
    expect(new Set(names.map(czxid)).size).toBe(1);
    expect(czxid('a')).toBeGreaterThan(czxid('first'));
    expect(h.broker.listTopics().map((t) => t.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'first']);
  });

  it('fails the bad creations of a batch alone', async () => {
    const outcomes = await Promise.allSettled([
      h.broker.createTopic({ name: 'good.one' }),
      h.broker.createTopic({ name: 'bad name' }),
      h.broker.createTopic({ name: 'good_one' }),
      h.broker.createTopic({ name: 'good.one' }),
      h.broker.createTopic({ name: 'good-two', partitions: 3 }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    await expectKafkaError(Promise.reject((outcomes[1] as PromiseRejectedResult).reason), 'INVALID_TOPIC_EXCEPTION');
    await expectKafkaError(Promise.reject((outcomes[2] as PromiseRejectedResult).reason), 'INVALID_TOPIC_EXCEPTION');
    await expectKafkaError(Promise.reject((outcomes[3] as PromiseRejectedResult).reason), 'TOPIC_ALREADY_EXISTS');
    expect(h.broker.listTopics().map((t) => t.name)).toEqual(['good-two', 'good.one']);
  });

  it('keeps the order of a creation queued after a deletion of the same name', async () => {
    await h.broker.createTopic({ name: 'again', partitions: 1 });
    const [first, , recreated] = await Promise.all([
      h.broker.createTopic({ name: 'other' }),
      h.broker.deleteTopic('again'),
      h.broker.createTopic({ name: 'again', partitions: 4 }),
    ]);
    expect(first.name).toBe('other');
    expect(recreated.partitions).toHaveLength(4);
    expect(h.broker.describeTopic('again').partitions).toHaveLength(4);
  });
});
