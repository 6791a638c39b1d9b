import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openRegistry } from '@weir/registry-prisma';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from '../registry/registry.js';
import { SystemTimer } from '../timer/system-timer.js';
import { Broker } from './broker.js';

/**
 * The whole broker on the registry it runs on in production (PGlite in the data dir):
 * everything it knows must come back from the database after a full restart of both.
 */
describe('Broker on a PGlite registry', () => {
  let dataDir: string;
  let timer: SystemTimer;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'weir-broker-pglite-'));
    timer = new SystemTimer();
  });
  afterAll(() => {
    timer.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (): Promise<{ broker: Broker; registry: Registry }> => {
    const registry = await openRegistry({ dataDir: join(dataDir, 'registry'), scheduler: timer });
    const broker = await Broker.start({ brokerId: 7, dataDir, registry, timer, advertisedHost: '127.0.0.1', advertisedPort: 19092, rack: 'r1' });
    return { broker, registry };
  };

  it('keeps the cluster id, topics, configs and records across a restart of broker and registry', async () => {
    const first = await start();
    await first.broker.createTopic({ name: 'durable', partitions: 2, configs: { 'retention.bytes': '1048576' } });
    await first.broker.alterTopicConfigs('durable', [{ name: 'max.message.bytes', value: '65536' }]);
    await first.broker.createTopic({ name: 'doomed' });
    await first.broker.deleteTopic('doomed');
    const produced = await first.broker.produce('durable', Array.from({ length: 500 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`) })));
    expect(produced.every((r) => r.errorCode === 0)).toBe(true);
    const clusterId = first.broker.clusterId;
    const topics = first.broker.listTopics();
    expect(first.broker.describeCluster().brokers).toEqual([{ brokerId: 7, host: '127.0.0.1', port: 19092, rack: 'r1' }]);
    await first.broker.close();
    await first.registry.close();

    const second = await start();
    try {
      expect(second.broker.clusterId).toBe(clusterId);
      expect(second.broker.listTopics()).toEqual(topics);
      const configs = second.broker.describeTopicConfigs('durable').filter((c) => !c.isDefault).map((c) => [c.name, c.value]);
      expect(configs).toEqual([['max.message.bytes', '65536'], ['retention.bytes', '1048576']]);
      let count = 0;
      for (const p of [0, 1]) {
        const read = await second.broker.readRecords('durable', p, { start: { position: 'oldest' }, maxRecords: 1000 });
        for (const r of read.records) expect(r.value!.toString()).toBe(`v${r.key!.toString().slice(1)}`);
        count += read.records.length;
      }
      expect(count).toBe(500);
      expect(second.broker.describeCluster().controllerId).toBe(7);
    } finally {
      await second.broker.close();
      await second.registry.close();
    }
  }, 60_000);
});
