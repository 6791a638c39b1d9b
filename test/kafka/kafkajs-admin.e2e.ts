import type { BrokerApi } from '@weir/broker-core';
import type { ReadRecordsResponse } from '@weir/contracts';
import kafkajs, { type Admin } from 'kafkajs';
import { BROKER } from '../../apps/gateway/src/broker/broker.module.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { kafkaClient, noRetryClient, rejectionTypes } from '../support/kafkajs.js';
import { call } from '../rest/v3/v3-client.js';

const { TOPIC, BROKER: BROKER_RESOURCE } = kafkajs.ConfigResourceTypes;
const T0 = 1_700_000_000_000;

type TopicBody = { topic_name: string; partitions_count: number; replication_factor: number };
type ConfigBody = { name: string; value: string | null; is_default: boolean };

describe('kafkajs admin over the Kafka protocol', () => {
  let gw: TestGateway;
  let broker: BrokerApi;
  let admin: Admin;
  /** Gives up at the first error, so error cases do not wait out retries. */
  let strict: Admin;
  let base: string;
  const rest = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gw.baseUrl, method, `${base}${path}`, body);
  const restConfig = async (topic: string, name: string) => (await rest<ConfigBody>('GET', `/topics/${topic}/configs/${name}`)).body;

  beforeAll(async () => {
    gw = await startTestGateway();
    broker = gw.get<BrokerApi>(BROKER);
    base = `/v3/clusters/${broker.clusterId}`;
    admin = kafkaClient(gw.bootstrap).admin();
    strict = noRetryClient(gw.bootstrap).admin();
    await admin.connect();
    await strict.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.disconnect();
    await strict?.disconnect();
    await gw?.close();
  }, 30_000);

  describe('createTopics', () => {
    it('creates topics with partitions and config entries, which REST v3 then shows', async () => {
      const created = await admin.createTopics({
        topics: [
          { topic: 'orders', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '86400000' }, { name: 'cleanup.policy', value: 'compact' }] },
          { topic: 'plain' },
        ],
      });
      expect(created).toBe(true);
      const orders = await rest<TopicBody>('GET', '/topics/orders');
      expect(orders.status).toBe(200);
      expect(orders.body).toMatchObject({ topic_name: 'orders', partitions_count: 3, replication_factor: 1 });
      // No count given: the broker's num.partitions (1).
      expect((await rest<TopicBody>('GET', '/topics/plain')).body).toMatchObject({ partitions_count: 1 });
      expect(await restConfig('orders', 'retention.ms')).toMatchObject({ value: '86400000', is_default: false });
      expect(await restConfig('orders', 'cleanup.policy')).toMatchObject({ value: 'compact', is_default: false });
    });

    it('validateOnly checks the request and creates nothing', async () => {
      expect(await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: 'dry-run', numPartitions: 4 }] })).toBe(true);
      expect((await rest('GET', '/topics/dry-run')).status).toBe(404);
      expect(await admin.listTopics()).not.toContain('dry-run');
      // ...and still refuses what a real create would refuse.
      expect(await rejectionTypes(strict.createTopics({ validateOnly: true, topics: [{ topic: 'dry-bad', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: 'soon' }] }] }))).toEqual(['INVALID_CONFIG']);
    });

    it('answers TOPIC_ALREADY_EXISTS for an existing topic (kafkajs reports false)', async () => {
      expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] })).toBe(false);
      // Next to another failure kafkajs throws, showing each topic's error.
      expect(await rejectionTypes(strict.createTopics({ topics: [{ topic: 'orders' }, { topic: 'zero', numPartitions: 0 }] }))).toEqual(
        expect.arrayContaining(['TOPIC_ALREADY_EXISTS', 'INVALID_PARTITIONS']),
      );
      expect((await rest('GET', '/topics/zero')).status).toBe(404);
    });

    it('refuses bad partition counts, replication factors, configs and names with Kafka\'s errors', async () => {
      const cases: [string, Parameters<Admin['createTopics']>[0]['topics'][number], string][] = [
        ['negative partitions', { topic: 'neg', numPartitions: -5 }, 'INVALID_PARTITIONS'],
        ['replication factor above the live brokers', { topic: 'rf3', numPartitions: 1, replicationFactor: 3 }, 'INVALID_REPLICATION_FACTOR'],
        ['a bad config value', { topic: 'badcfg', configEntries: [{ name: 'retention.ms', value: 'forever' }] }, 'INVALID_CONFIG'],
        ['an unknown config', { topic: 'unknowncfg', configEntries: [{ name: 'no.such.config', value: '1' }] }, 'INVALID_CONFIG'],
        ['an illegal name', { topic: 'bad name!' }, 'INVALID_TOPIC_EXCEPTION'],
      ];
      for (const [what, topic, type] of cases) {
        expect({ what, types: await rejectionTypes(strict.createTopics({ topics: [topic] })) }).toEqual({ what, types: [type] });
      }
      const names = cases.map(([, topic]) => topic.topic);
      expect((await admin.listTopics()).filter((t) => names.includes(t))).toEqual([]);
    });
  });

  describe('metadata', () => {
    it('listTopics lists the topics, not internal or never-created ones', async () => {
      const topics = await admin.listTopics();
      expect(topics).toEqual(expect.arrayContaining(['orders', 'plain']));
      expect(topics).not.toContain('dry-run');
    });

    it('fetchTopicMetadata gives every partition with its leader, replicas and ISR', async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] });
      expect(topics).toHaveLength(1);
      expect(topics[0]!.name).toBe('orders');
      const partitions = [...topics[0]!.partitions].sort((a, b) => a.partitionId - b.partitionId);
      expect(partitions).toEqual(
        [0, 1, 2].map((partitionId) =>
          expect.objectContaining({ partitionErrorCode: 0, partitionId, leader: broker.brokerId, replicas: [broker.brokerId], isr: [broker.brokerId] }),
        ),
      );
    });

    it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing topic and does not create it (auto-creation is off)', async () => {
      expect(await rejectionTypes(strict.fetchTopicMetadata({ topics: ['missing'] }))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
      expect((await rest('GET', '/topics/missing')).status).toBe(404);
    });

    it('describeCluster names this broker at its advertised address, as controller', async () => {
      const cluster = await admin.describeCluster();
      expect(cluster).toEqual({
        clusterId: broker.clusterId,
        controller: broker.brokerId,
        brokers: [{ nodeId: broker.brokerId, host: '127.0.0.1', port: gw.kafkaPort }],
      });
    });
  });

  describe('deleteTopics', () => {
    it('deletes topics: gone from listTopics and from REST', async () => {
      await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 2 }] });
      expect(await admin.listTopics()).toContain('doomed');
      await admin.deleteTopics({ topics: ['doomed'] });
      expect(await admin.listTopics()).not.toContain('doomed');
      expect((await rest('GET', '/topics/doomed')).status).toBe(404);
    });

    it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing topic', async () => {
      expect(await rejectionTypes(strict.deleteTopics({ topics: ['never-was'] }))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
    });
  });

  describe('createPartitions', () => {
    it('raises the partition count (validateOnly changes nothing)', async () => {
      await admin.createTopics({ topics: [{ topic: 'growing', numPartitions: 2 }] });
      await admin.createPartitions({ validateOnly: true, topicPartitions: [{ topic: 'growing', count: 6 }] });
      expect((await rest<TopicBody>('GET', '/topics/growing')).body.partitions_count).toBe(2);
      await admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 5 }] });
      expect((await rest<TopicBody>('GET', '/topics/growing')).body.partitions_count).toBe(5);
      const { topics } = await admin.fetchTopicMetadata({ topics: ['growing'] });
      expect(topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3, 4]);
    });

    it('refuses lowering or keeping the count (INVALID_PARTITIONS) and unknown topics', async () => {
      expect(await rejectionTypes(strict.createPartitions({ topicPartitions: [{ topic: 'growing', count: 3 }] }))).toEqual(['INVALID_PARTITIONS']);
      expect(await rejectionTypes(strict.createPartitions({ topicPartitions: [{ topic: 'growing', count: 5 }] }))).toEqual(['INVALID_PARTITIONS']);
      expect(await rejectionTypes(strict.createPartitions({ topicPartitions: [{ topic: 'never-was', count: 5 }] }))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
      expect((await rest<TopicBody>('GET', '/topics/growing')).body.partitions_count).toBe(5);
    });
  });

  describe('configs', () => {
    it('describeConfigs for a topic: overrides as topic configs, the rest as defaults', async () => {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC, name: 'orders' }] });
      expect(resources).toHaveLength(1);
      expect(resources[0]).toMatchObject({ errorCode: 0, resourceType: TOPIC, resourceName: 'orders' });
      const entries = new Map(resources[0]!.configEntries.map((e) => [e.configName, e]));
      expect(entries.get('retention.ms')).toMatchObject({ configValue: '86400000', isDefault: false, readOnly: false, isSensitive: false, configSource: kafkajs.ConfigSource.TOPIC_CONFIG });
      expect(entries.get('cleanup.policy')).toMatchObject({ configValue: 'compact', isDefault: false });
      expect(entries.get('segment.bytes')).toMatchObject({ configValue: '1073741824', isDefault: true, configSource: kafkajs.ConfigSource.DEFAULT_CONFIG });
      // The whole set is what REST v3 lists.
      const restList = (await rest<{ data: ConfigBody[] }>('GET', '/topics/orders/configs')).body.data;
      expect([...entries.keys()].sort()).toEqual(restList.map((c) => c.name).sort());
      for (const c of restList) expect({ name: c.name, value: entries.get(c.name)?.configValue ?? null }).toEqual({ name: c.name, value: c.value });
    });

    it('describeConfigs with config names returns only those', async () => {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC, name: 'orders', configNames: ['retention.ms', 'max.message.bytes'] }] });
      expect(resources[0]!.configEntries.map((e) => e.configName).sort()).toEqual(['max.message.bytes', 'retention.ms']);
    });

    it('describeConfigs for the broker resource: its static settings, read-only', async () => {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: BROKER_RESOURCE, name: String(broker.brokerId) }] });
      expect(resources[0]).toMatchObject({ errorCode: 0, resourceType: BROKER_RESOURCE, resourceName: String(broker.brokerId) });
      const entries = new Map(resources[0]!.configEntries.map((e) => [e.configName, e]));
      expect(entries.get('broker.id')).toMatchObject({ configValue: String(broker.brokerId), readOnly: true, configSource: kafkajs.ConfigSource.STATIC_BROKER_CONFIG });
      expect(entries.get('auto.create.topics.enable')?.configValue).toBe('false');
      expect(entries.get('num.partitions')?.configValue).toBe('1');
    });

    it('describeConfigs of a missing topic answers UNKNOWN_TOPIC_OR_PARTITION', async () => {
      expect(await rejectionTypes(strict.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC, name: 'never-was' }] }))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
    });

    it('alterConfigs replaces the topic\'s overrides (AlterConfigs semantics), and REST v3 sees it', async () => {
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: 'orders', configEntries: [{ name: 'retention.ms', value: '3600000' }, { name: 'max.message.bytes', value: '500000' }] }] });
      expect(await restConfig('orders', 'retention.ms')).toMatchObject({ value: '3600000', is_default: false });
      expect(await restConfig('orders', 'max.message.bytes')).toMatchObject({ value: '500000', is_default: false });
      // Not named in the request: back to its default, as Kafka's (non-incremental) AlterConfigs does.
      expect(await restConfig('orders', 'cleanup.policy')).toMatchObject({ value: 'delete', is_default: true });
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC, name: 'orders', configNames: ['retention.ms'] }] });
      expect(resources[0]!.configEntries[0]).toMatchObject({ configName: 'retention.ms', configValue: '3600000' });
    });

    it('alterConfigs validateOnly changes nothing', async () => {
      await admin.alterConfigs({ validateOnly: true, resources: [{ type: TOPIC, name: 'orders', configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
      expect(await restConfig('orders', 'retention.ms')).toMatchObject({ value: '3600000' });
    });

    it('alterConfigs refuses bad values and unknown configs (INVALID_CONFIG), unknown topics, and changes nothing', async () => {
      const alter = (name: string, configEntries: { name: string; value: string }[]) => strict.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name, configEntries }] });
      expect(await rejectionTypes(alter('orders', [{ name: 'retention.ms', value: 'abc' }]))).toEqual(['INVALID_CONFIG']);
      expect(await rejectionTypes(alter('orders', [{ name: 'cleanup.policy', value: 'shred' }]))).toEqual(['INVALID_CONFIG']);
      expect(await rejectionTypes(alter('orders', [{ name: 'retention.ms', value: '1' }, { name: 'no.such.config', value: '1' }]))).toEqual(['INVALID_CONFIG']);
      expect(await rejectionTypes(alter('never-was', [{ name: 'retention.ms', value: '1' }]))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
      expect(await restConfig('orders', 'retention.ms')).toMatchObject({ value: '3600000' });
    });
  });

  describe('offsets and records', () => {
    beforeAll(async () => {
      await admin.createTopics({ topics: [{ topic: 'timeline', numPartitions: 2 }] });
      // Partition 0: 10 records one second apart from T0; partition 1: 3 records.
      await broker.produce('timeline', Array.from({ length: 10 }, (_, i) => ({ partition: 0, key: null, value: Buffer.from(`r${i}`), timestamp: T0 + i * 1000 })));
      await broker.produce('timeline', Array.from({ length: 3 }, (_, i) => ({ partition: 1, key: null, value: Buffer.from(`s${i}`), timestamp: T0 + i * 1000 })));
    });

    async function restPartition(partition: number): Promise<ReadRecordsResponse> {
      const res = await rest<ReadRecordsResponse>('GET', `/topics/timeline/partitions/${partition}/records?from=oldest`);
      expect(res.status).toBe(200);
      return res.body;
    }

    it('fetchTopicOffsets gives the low and high watermark of every partition', async () => {
      const offsets = await admin.fetchTopicOffsets('timeline');
      expect([...offsets].sort((a, b) => a.partition - b.partition)).toEqual([
        { partition: 0, offset: '10', high: '10', low: '0' },
        { partition: 1, offset: '3', high: '3', low: '0' },
      ]);
    });

    it('fetchTopicOffsetsByTimestamp finds the first offset at or after a timestamp (past the end: the high watermark)', async () => {
      const at = async (timestamp: number) =>
        (await admin.fetchTopicOffsetsByTimestamp('timeline', timestamp)).sort((a, b) => a.partition - b.partition).map((p) => p.offset);
      expect(await at(T0)).toEqual(['0', '0']);
      expect(await at(T0 + 2500)).toEqual(['3', '3']);
      expect(await at(T0 + 2000)).toEqual(['2', '2']);
      expect(await at(T0 + 9000)).toEqual(['9', '3']);
      expect(await at(T0 + 60_000)).toEqual(['10', '3']);
    });

    it('fetchTopicOffsets of a missing topic answers UNKNOWN_TOPIC_OR_PARTITION', async () => {
      expect(await rejectionTypes(strict.fetchTopicOffsets('never-was'))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
    });

    it('deleteTopicRecords moves the log start offset; ListOffsets and REST agree', async () => {
      await admin.deleteTopicRecords({ topic: 'timeline', partitions: [{ partition: 0, offset: '4' }] });
      const offsets = await admin.fetchTopicOffsets('timeline');
      expect(offsets.find((p) => p.partition === 0)).toEqual({ partition: 0, offset: '10', high: '10', low: '4' });
      const page = await restPartition(0);
      expect(page.log_start_offset).toBe(4);
      expect(page.records[0]?.offset).toBe(4);
      expect(page.records.map((r) => r.value?.data)).toEqual(['r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
      // Offset -1: everything up to the high watermark.
      await admin.deleteTopicRecords({ topic: 'timeline', partitions: [{ partition: 1, offset: '-1' }] });
      expect((await admin.fetchTopicOffsets('timeline')).find((p) => p.partition === 1)).toEqual({ partition: 1, offset: '3', high: '3', low: '3' });
      const emptied = await restPartition(1);
      expect({ logStart: emptied.log_start_offset, records: emptied.records.length }).toEqual({ logStart: 3, records: 0 });
    });

    it('deleteTopicRecords beyond the high watermark answers OFFSET_OUT_OF_RANGE and moves nothing', async () => {
      expect(await rejectionTypes(strict.deleteTopicRecords({ topic: 'timeline', partitions: [{ partition: 0, offset: '11' }] }))).toEqual(['OFFSET_OUT_OF_RANGE']);
      expect((await restPartition(0)).log_start_offset).toBe(4);
    });
  });
});
