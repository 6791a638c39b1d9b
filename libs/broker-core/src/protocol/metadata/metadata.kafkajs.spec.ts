import { Writer } from '../primitives/writer.js';
import { kafkajsProtocol, kafkajsRequestBody } from '../testing/kafkajs.js';
import { decodeMetadataRequest, makeMetadataRequest, makeMetadataRequestTopic } from './request.js';
import { encodeMetadataResponse, makeMetadataResponse, makeMetadataResponseBroker, makeMetadataResponsePartition, makeMetadataResponseTopic } from './response.js';

/**
 * Metadata v0 (the oldest), v1 (null topic list), v4 (auto-creation flag) and v6
 * (kafkajs 2.2.4's newest) against kafkajs: its requests decode with our codec, our
 * responses with its decoders.
 */
describe('kafkajs Metadata requests', () => {
  const topics = (names: string[]) => names.map((name) => makeMetadataRequestTopic({ name }));

  it.each([
    [0, { topics: ['orders', 'audit'] }, makeMetadataRequest({ topics: topics(['orders', 'audit']) })],
    // kafkajs sends an empty list as null (all topics) from v1 on.
    [1, { topics: [] }, makeMetadataRequest({ topics: null })],
    [4, { topics: ['orders'], allowAutoTopicCreation: false }, makeMetadataRequest({ topics: topics(['orders']), allowAutoTopicCreation: false })],
    [6, { topics: ['orders'] }, makeMetadataRequest({ topics: topics(['orders']), allowAutoTopicCreation: true })],
  ])('v%i decodes with our codec', async (version, args, expected) => {
    const { request } = kafkajsProtocol('metadata', version, args);
    const { header, body } = await kafkajsRequestBody(request);
    expect(header).toMatchObject({ apiKey: 3, apiVersion: version, headerVersion: 1 });
    expect(decodeMetadataRequest(body, version)).toEqual(expected);
    expect(body.remaining).toBe(0);
  });
});

describe.each([0, 6])('kafkajs Metadata v%i response', (version) => {
  const ours = makeMetadataResponse({
    throttleTimeMs: 4,
    brokers: [makeMetadataResponseBroker({ nodeId: 1, host: 'localhost', port: 9092, rack: 'r1' }), makeMetadataResponseBroker({ nodeId: 2, host: 'h2', port: 9093 })],
    clusterId: 'weir-cluster',
    controllerId: 1,
    topics: [
      makeMetadataResponseTopic({
        name: 'orders',
        partitions: [
          makeMetadataResponsePartition({ partitionIndex: 0, leaderId: 1, leaderEpoch: 3, replicaNodes: [1, 2], isrNodes: [1], offlineReplicas: [2] }),
          makeMetadataResponsePartition({ partitionIndex: 1, leaderId: 2, replicaNodes: [2], isrNodes: [2] }),
        ],
      }),
    ],
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('metadata', version, { topics: [] });
    const decoded = await response.decode(encodeMetadataResponse(new Writer(), ours, version).toBuffer());
    const partitions = [
      { partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1, 2], isr: [1] },
      { partitionErrorCode: 0, partitionId: 1, leader: 2, replicas: [2], isr: [2] },
    ];
    if (version === 0) {
      expect(decoded).toEqual({
        brokers: [
          { nodeId: 1, host: 'localhost', port: 9092 },
          { nodeId: 2, host: 'h2', port: 9093 },
        ],
        topicMetadata: [{ topicErrorCode: 0, topic: 'orders', partitionMetadata: partitions }],
      });
    } else {
      expect(decoded).toEqual({
        throttleTime: 0,
        clientSideThrottleTime: 4,
        brokers: [
          { nodeId: 1, host: 'localhost', port: 9092, rack: 'r1' },
          { nodeId: 2, host: 'h2', port: 9093, rack: null },
        ],
        clusterId: 'weir-cluster',
        controllerId: 1,
        topicMetadata: [
          {
            topicErrorCode: 0,
            topic: 'orders',
            isInternal: false,
            partitionMetadata: [
              { ...partitions[0], offlineReplicas: [2] },
              { ...partitions[1], offlineReplicas: [] },
            ],
          },
        ],
      });
    }
    await expect(response.parse(decoded)).resolves.toBeDefined();
  });

  it('raises a topic error code of our response', async () => {
    const { response } = kafkajsProtocol('metadata', version, { topics: [] });
    const failed = makeMetadataResponse({ topics: [makeMetadataResponseTopic({ name: 'nope', errorCode: 3 })] });
    const decoded = await response.decode(encodeMetadataResponse(new Writer(), failed, version).toBuffer());
    await expect(response.parse(decoded)).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});
