import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Broker } from './broker.js';
import { BrokerHarness } from './testing/broker-harness.js';

async function fill(broker: Broker): Promise<void> {
  await broker.createTopic({ name: 'orders', partitions: 3, configs: { 'retention.ms': '86400000' } });
  await broker.createTopic({ name: 'audit' });
  for (let i = 0; i < 20; i++) {
    await broker.produce('orders', Array.from({ length: 50 }, (_, j) => ({ key: Buffer.from(`k${i * 50 + j}`), value: Buffer.from(`v${i * 50 + j}`) })));
  }
  await broker.produce('audit', [{ key: null, value: Buffer.from('one') }]);
  await broker.alterTopicConfigs('audit', [{ name: 'cleanup.policy', value: 'compact' }]);
}

async function contents(broker: Broker): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const topic of broker.listTopics()) {
    for (const p of topic.partitions) {
      const read = await broker.readRecords(topic.name, p.partition, { start: { position: 'oldest' }, maxRecords: 10_000 });
      out[`${topic.name}-${p.partition}`] = read.records.map((r) => `${r.offset}:${r.key?.toString() ?? ''}=${r.value!.toString()}`);
    }
  }
  return out;
}

describe('Broker restart', () => {
  let h: BrokerHarness;
  afterEach(async () => h.close());

  it('after a clean close: topics, ids, configs and records are intact (logs reopened from their clean-shutdown manifests)', async () => {
    h = await BrokerHarness.start();
    await fill(h.broker);
    const topics = h.broker.listTopics();
    const data = await contents(h.broker);
    await h.broker.close();
    expect(existsSync(join(h.dataDir, 'logs', 'orders-0', '.clean-shutdown'))).toBe(true);
    await h.restart();
    expect(h.broker.listTopics()).toEqual(topics);
    expect(await contents(h.broker)).toEqual(data);
    expect(Object.values(data).flat()).toHaveLength(1001);
    expect(h.broker.describeTopicConfigs('audit').find((c) => c.name === 'cleanup.policy')!.value).toBe('compact');
    expect(h.broker.describeTopicConfigs('orders').find((c) => c.name === 'retention.ms')).toMatchObject({ value: '86400000', isDefault: false });
    // Appends continue at the old log end offsets.
    // (A compacted topic refuses records without a key.)
    const [next] = await h.broker.produce('audit', [{ key: Buffer.from('k'), value: Buffer.from('two') }]);
    expect(next!.offset).toBe(1n);
  });

  it('after a crash (nothing closed): the next start recovers every acknowledged record', async () => {
    h = await BrokerHarness.start({ sessionTimeoutMs: 6000 });
    await fill(h.broker);
    const topics = h.broker.listTopics();
    const data = await contents(h.broker);
    await h.crashAndRestart();
    expect(h.broker.listTopics()).toEqual(topics);
    expect(await contents(h.broker)).toEqual(data);
    const [next] = await h.broker.produce('orders', [{ partition: 0, key: null, value: Buffer.from('after') }]);
    expect(next!.offset).toBe(topics[1]!.partitions[0]!.logEndOffset);
  });
});
