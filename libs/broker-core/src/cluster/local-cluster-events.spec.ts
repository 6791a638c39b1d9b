import { describe, expect, it } from '@jest/globals';
import type { BrokerChange } from '../broker/broker-api.js';
import { SILENT_STORAGE_LOGGER } from '../log/logger.js';
import { ClusterEventMerger } from './local-cluster-events.js';

/** A broker as the merger sees an event's source: which partitions it leads. */
const source = (...led: string[]) => ({ leads: (topic: string, partition: number) => led.includes(`${topic}-${partition}`) });

function setup() {
  const state = { configs: new Map<string, string>(), brokers: 'b1' };
  const merger = new ClusterEventMerger(SILENT_STORAGE_LOGGER, {
    configSignature: (topic) => state.configs.get(topic),
    brokersSignature: () => state.brokers,
  });
  const seen: BrokerChange[] = [];
  merger.onChange((e) => seen.push(e));
  return { merger, seen, state };
}

describe('ClusterEventMerger', () => {
  it('announces each topic once however many brokers report it, and a topic made again after deletion', () => {
    const { merger, seen } = setup();
    merger.seed([{ name: 'old', topicId: 'x', internal: false, replicationFactor: 1, partitions: [] }]);
    const [a, b] = [source(), source()];
    merger.accept(a, { type: 'topic-created', topic: 'old' });
    merger.accept(a, { type: 'topic-created', topic: 'orders' });
    merger.accept(b, { type: 'topic-created', topic: 'orders' });
    merger.accept(a, { type: 'partitions-created', topic: 'orders', partitions: 4 });
    merger.accept(b, { type: 'partitions-created', topic: 'orders', partitions: 4 });
    merger.accept(a, { type: 'topic-deleted', topic: 'orders' });
    merger.accept(b, { type: 'topic-deleted', topic: 'orders' });
    merger.accept(b, { type: 'topic-created', topic: 'orders' });
    expect(seen).toEqual([
      { type: 'topic-created', topic: 'orders' },
      { type: 'partitions-created', topic: 'orders', partitions: 4 },
      { type: 'topic-deleted', topic: 'orders' },
      { type: 'topic-created', topic: 'orders' },
    ]);
  });

  it('passes log moves only from the leader', () => {
    const { merger, seen } = setup();
    const leader = source('orders-0');
    const follower = source();
    merger.accept(follower, { type: 'records-appended', topic: 'orders', partition: 0, highWatermark: 3n });
    merger.accept(leader, { type: 'records-appended', topic: 'orders', partition: 0, highWatermark: 5n });
    merger.accept(follower, { type: 'log-start-moved', topic: 'orders', partition: 0, logStartOffset: 1n });
    merger.accept(leader, { type: 'log-start-moved', topic: 'orders', partition: 0, logStartOffset: 2n });
    expect(seen.map((e) => e.type === 'records-appended' ? e.highWatermark : e.type === 'log-start-moved' ? e.logStartOffset : null)).toEqual([5n, 2n]);
  });

  it('passes config and partition state changes when they differ from the last ones passed', () => {
    const { merger, seen, state } = setup();
    const [a, b] = [source(), source()];
    state.configs.set('orders', 'retention.ms=1');
    merger.accept(a, { type: 'configs-changed', topic: 'orders' });
    merger.accept(b, { type: 'configs-changed', topic: 'orders' });
    state.configs.set('orders', '');
    merger.accept(a, { type: 'configs-changed', topic: 'orders' });
    // Unreadable configs: passed on rather than guessed.
    merger.accept(a, { type: 'configs-changed', topic: 'gone' });
    const change = { type: 'partition-changed', topic: 'orders', partition: 0, leader: 1, isr: [1, 2] } as const;
    merger.accept(a, change);
    merger.accept(b, { ...change, isr: [1, 2] });
    merger.accept(b, { ...change, isr: [1] });
    merger.accept(a, { type: 'topic-deleted', topic: 'orders' });
    expect(seen.map((e) => e.type)).toEqual(['configs-changed', 'configs-changed', 'configs-changed', 'partition-changed', 'partition-changed']);
  });

  it('passes broker changes when the brokers look different, from brokers or from the cluster itself', () => {
    const { merger, seen, state } = setup();
    merger.seed([]);
    merger.accept(source(), { type: 'brokers-changed' });
    merger.brokersMaybeChanged();
    state.brokers = 'b1,b2';
    merger.brokersMaybeChanged();
    merger.accept(source(), { type: 'brokers-changed' });
    expect(seen).toEqual([{ type: 'brokers-changed' }]);
  });
});
