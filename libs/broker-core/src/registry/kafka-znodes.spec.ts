import {
  BrokerIdZNode, ClusterIdZNode, ConfigChangeZNode, ControllerEpochZNode, ControllerZNode, IsrChangeNotificationZNode,
  KafkaPaths, PartitionStateZNode, TopicConfigZNode, TopicZNode,
} from './kafka-znodes.js';
import { validatePath } from './path.js';

const json = (b: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(b));

describe("Kafka's znode layout", () => {
  it('builds Kafka paths', () => {
    expect(KafkaPaths.partitionState('orders', 3)).toBe('/brokers/topics/orders/partitions/3/state');
    expect(KafkaPaths.brokerId(1)).toBe('/brokers/ids/1');
    expect(KafkaPaths.topicConfig('orders')).toBe('/config/topics/orders');
    expect(KafkaPaths.deleteTopic('orders')).toBe('/admin/delete_topics/orders');
    for (const p of [KafkaPaths.clusterId, KafkaPaths.controller, KafkaPaths.controllerEpoch, KafkaPaths.isrChangeNotification]) validatePath(p);
  });

  it("writes Kafka's JSON shapes and versions", () => {
    expect(json(PartitionStateZNode.encode({ controllerEpoch: 2, leader: 1, leaderEpoch: 5, isr: [1, 2] }))).toEqual({ controller_epoch: 2, leader: 1, version: 1, leader_epoch: 5, isr: [1, 2] });
    expect(json(ControllerZNode.encode(3, 1234))).toEqual({ version: 1, brokerid: 3, timestamp: '1234' });
    expect(new TextDecoder().decode(ControllerEpochZNode.encode(7))).toBe('7');
    expect(json(ClusterIdZNode.encode('abc'))).toEqual({ version: '1', id: 'abc' });
    expect(json(TopicConfigZNode.encode({ 'cleanup.policy': 'compact' }))).toEqual({ version: 1, config: { 'cleanup.policy': 'compact' } });
    expect(json(ConfigChangeZNode.encode('topics/orders'))).toEqual({ version: 2, entity_path: 'topics/orders' });
    expect(json(IsrChangeNotificationZNode.encode([{ topic: 't', partition: 0 }]))).toEqual({ version: 1, partitions: [{ topic: 't', partition: 0 }] });
    expect(json(TopicZNode.encode({ partitions: new Map([[0, [1, 2]], [1, [2, 1]]]) }))).toEqual({
      version: 3, partitions: { 0: [1, 2], 1: [2, 1] }, adding_replicas: {}, removing_replicas: {},
    });
  });

  it('round-trips every codec and reads older broker registrations', () => {
    const reg = { host: 'h', port: 9092, endpoints: ['PLAINTEXT://h:9092'], listenerSecurityProtocolMap: { PLAINTEXT: 'PLAINTEXT' }, jmxPort: -1, timestampMs: 5, features: {} };
    expect(BrokerIdZNode.decode(BrokerIdZNode.encode(reg))).toEqual({ version: 5, ...reg });
    const v1 = new TextEncoder().encode('{"version":1,"host":"old","port":9092,"jmx_port":9999,"timestamp":"2233345666"}');
    expect(BrokerIdZNode.decode(v1).endpoints).toEqual(['PLAINTEXT://old:9092']);
    const topic = { partitions: new Map([[0, [1]]]), addingReplicas: new Map<number, number[]>(), removingReplicas: new Map<number, number[]>(), topicId: 'AAAAAAAAAAAAAAAAAAAAAA' };
    expect(TopicZNode.decode(TopicZNode.encode(topic))).toEqual({ version: 3, ...topic });
    expect(ControllerEpochZNode.decode(ControllerEpochZNode.encode(12))).toBe(12);
    expect(() => PartitionStateZNode.decode(new TextEncoder().encode('{"leader":"x"}'))).toThrow(/integer/);
  });
});
