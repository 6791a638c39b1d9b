import { decodeAlterConfigsRequest, encodeAlterConfigsResponse, makeAlterConfigsResponse } from './alterConfigs/index.js';
import {
  decodeCreatePartitionsRequest,
  encodeCreatePartitionsResponse,
  makeCreatePartitionsRequest,
  makeCreatePartitionsResponse,
} from './createPartitions/index.js';
import {
  decodeCreateTopicsRequest,
  encodeCreateTopicsResponse,
  makeCreateTopicsRequestCreatableTopic,
  makeCreateTopicsResponse,
  makeCreateTopicsResponseCreatableTopicResult,
} from './createTopics/index.js';
import { decodeDeleteRecordsRequest, encodeDeleteRecordsResponse, makeDeleteRecordsResponse } from './deleteRecords/index.js';
import { decodeDeleteTopicsRequest, encodeDeleteTopicsResponse, makeDeleteTopicsResponse, makeDeleteTopicsResponseDeletableTopicResult } from './deleteTopics/index.js';
import {
  decodeDescribeConfigsRequest,
  encodeDescribeConfigsResponse,
  makeDescribeConfigsResponse,
  makeDescribeConfigsResponseResourceResult,
  makeDescribeConfigsResponseResult,
} from './describeConfigs/index.js';
import { Writer } from './primitives/writer.js';
import { decodeWithKafkajs, kafkajsProtocol, kafkajsRequestBody, throttleOf } from './testing/kafkajs.js';

/**
 * The admin APIs kafkajs 2.2.4 has (CreateTopics v0-v3, DeleteTopics v0-v1,
 * CreatePartitions v0-v1, DescribeConfigs v0-v2, AlterConfigs v0-v1, DeleteRecords v0-v1)
 * against kafkajs: its requests decode with our codecs, our responses with its decoders.
 */

describe.each([0, 1, 2, 3])('kafkajs CreateTopics v%i', (version) => {
  const args = {
    topics: [
      {
        topic: 'orders',
        numPartitions: 3,
        replicationFactor: 1,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
      { topic: 'placed', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] },
    ],
    validateOnly: true,
    timeout: 3000,
  };

  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('createTopics', version, args).request);
    const decoded = decodeCreateTopicsRequest(body, version);
    expect(body.remaining).toBe(0);
    expect(decoded).toEqual({
      topics: [
        makeCreateTopicsRequestCreatableTopic({ name: 'orders', numPartitions: 3, replicationFactor: 1, configs: [{ name: 'cleanup.policy', value: 'compact' }] }),
        makeCreateTopicsRequestCreatableTopic({ name: 'placed', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }] }),
      ],
      timeoutMs: 3000,
      // v0 has no validate_only: the default (false) stands.
      validateOnly: version >= 1,
    });
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('createTopics', version, args);
    const ours = makeCreateTopicsResponse({
      throttleTimeMs: 8,
      topics: [makeCreateTopicsResponseCreatableTopicResult({ name: 'orders', errorMessage: null }), makeCreateTopicsResponseCreatableTopicResult({ name: 'audit' })],
    });
    const decoded = await decodeWithKafkajs(response, encodeCreateTopicsResponse(new Writer(), ours, version));
    // kafkajs sorts the results by name.
    const topics = version === 0 ? [{ topic: 'audit' }, { topic: 'orders' }] : [{ topic: 'audit', errorMessage: '' }, { topic: 'orders', errorMessage: null }];
    expect(decoded.topicErrors).toEqual(topics.map((t) => ({ ...t, errorCode: 0 })));
    if (version >= 2) expect(throttleOf(decoded, 3, version)).toBe(8);
  });

  it('raises the error code of our response', async () => {
    const { response } = kafkajsProtocol('createTopics', version, args);
    const failed = makeCreateTopicsResponse({ topics: [makeCreateTopicsResponseCreatableTopicResult({ name: 'orders', errorCode: 36, errorMessage: 'exists' })] });
    const decoded = await response.decode(encodeCreateTopicsResponse(new Writer(), failed, version).toBuffer());
    await expect(response.parse(decoded)).rejects.toThrow(/Topic creation errors/);
  });
});

describe.each([0, 1])('kafkajs DeleteTopics v%i', (version) => {
  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('deleteTopics', version, { topics: ['orders', 'audit'], timeout: 2000 }).request);
    expect(decodeDeleteTopicsRequest(body, version)).toEqual({ topics: [], topicNames: ['orders', 'audit'], timeoutMs: 2000 });
    expect(body.remaining).toBe(0);
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('deleteTopics', version, { topics: ['orders'] });
    const ours = makeDeleteTopicsResponse({ throttleTimeMs: 2, responses: [makeDeleteTopicsResponseDeletableTopicResult({ name: 'orders' })] });
    const decoded = await decodeWithKafkajs(response, encodeDeleteTopicsResponse(new Writer(), ours, version));
    expect(decoded.topicErrors).toEqual([{ topic: 'orders', errorCode: 0 }]);
    if (version === 1) expect(throttleOf(decoded, 1, version)).toBe(2);
  });
});

describe.each([0, 1])('kafkajs CreatePartitions v%i', (version) => {
  it('sends a request our codec reads, an empty assignment list as null', async () => {
    const args = {
      topicPartitions: [
        { topic: 'orders', count: 6 },
        { topic: 'audit', count: 3, assignments: [[1], [2]] },
      ],
      validateOnly: false,
      timeout: 1000,
    };
    const { body } = await kafkajsRequestBody(kafkajsProtocol('createPartitions', version, args).request);
    expect(decodeCreatePartitionsRequest(body, version)).toEqual(
      makeCreatePartitionsRequest({
        topics: [
          { name: 'orders', count: 6, assignments: null },
          { name: 'audit', count: 3, assignments: [{ brokerIds: [1] }, { brokerIds: [2] }] },
        ],
        timeoutMs: 1000,
        validateOnly: false,
      }),
    );
    expect(body.remaining).toBe(0);
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('createPartitions', version, { topicPartitions: [] });
    const ours = makeCreatePartitionsResponse({ throttleTimeMs: 5, results: [{ name: 'orders', errorCode: 0, errorMessage: null }] });
    const decoded = await decodeWithKafkajs(response, encodeCreatePartitionsResponse(new Writer(), ours, version));
    expect(decoded.topicErrors).toEqual([{ topic: 'orders', errorCode: 0, errorMessage: null }]);
    expect(throttleOf(decoded, 1, version)).toBe(5);
  });
});

describe.each([0, 1, 2])('kafkajs DescribeConfigs v%i', (version) => {
  it('sends a request our codec reads', async () => {
    const args = {
      resources: [
        { type: 2, name: 'orders', configNames: ['retention.ms'] },
        { type: 4, name: '1' },
      ],
      includeSynonyms: true,
    };
    const { body } = await kafkajsRequestBody(kafkajsProtocol('describeConfigs', version, args).request);
    expect(decodeDescribeConfigsRequest(body, version)).toEqual({
      resources: [
        { resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms'] },
        // kafkajs sends "all keys" as null.
        { resourceType: 4, resourceName: '1', configurationKeys: null },
      ],
      includeSynonyms: version >= 1,
      includeDocumentation: false,
    });
    expect(body.remaining).toBe(0);
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('describeConfigs', version, { resources: [] });
    const ours = makeDescribeConfigsResponse({
      throttleTimeMs: 1,
      results: [
        makeDescribeConfigsResponseResult({
          errorMessage: null,
          resourceType: 2,
          resourceName: 'orders',
          configs: [
            makeDescribeConfigsResponseResourceResult({
              name: 'retention.ms',
              value: '1000',
              readOnly: false,
              isDefault: false,
              configSource: 1,
              synonyms: [{ name: 'retention.ms', value: '1000', source: 1 }],
            }),
            makeDescribeConfigsResponseResourceResult({ name: 'secret', value: null, isDefault: true, configSource: 5, isSensitive: true }),
          ],
        }),
      ],
    });
    const decoded = await decodeWithKafkajs(response, encodeDescribeConfigsResponse(new Writer(), ours, version));
    expect(throttleOf(decoded, 2, version)).toBe(1);
    const [resource] = decoded.resources as Record<string, unknown>[];
    expect(resource).toMatchObject({ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders' });
    const entries = [
      { configName: 'retention.ms', configValue: '1000', readOnly: false, isDefault: false, isSensitive: false },
      { configName: 'secret', configValue: null, readOnly: false, isDefault: true, isSensitive: true },
    ];
    if (version === 0) {
      // v0 carries is_default; kafkajs derives the source from it and the resource type (2 = topic).
      expect(resource!.configEntries).toEqual([
        { ...entries[0], configSource: 1 },
        { ...entries[1], configSource: 5 },
      ]);
    } else {
      expect(resource!.configEntries).toEqual([
        { ...entries[0], configSource: 1, configSynonyms: [{ configName: 'retention.ms', configValue: '1000', configSource: 1 }] },
        { ...entries[1], configSource: 5, configSynonyms: [] },
      ]);
    }
  });
});

describe.each([0, 1])('kafkajs AlterConfigs v%i', (version) => {
  it('sends a request our codec reads', async () => {
    const args = { resources: [{ type: 2, name: 'orders', configEntries: [{ name: 'retention.ms', value: '5000' }] }], validateOnly: true };
    const { body } = await kafkajsRequestBody(kafkajsProtocol('alterConfigs', version, args).request);
    expect(decodeAlterConfigsRequest(body, version)).toEqual({
      resources: [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '5000' }] }],
      validateOnly: true,
    });
    expect(body.remaining).toBe(0);
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('alterConfigs', version, { resources: [] });
    const ours = makeAlterConfigsResponse({ throttleTimeMs: 9, responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders' }] });
    const decoded = await decodeWithKafkajs(response, encodeAlterConfigsResponse(new Writer(), ours, version));
    expect(decoded.resources).toEqual([{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders' }]);
    expect(throttleOf(decoded, 1, version)).toBe(9);
  });
});

describe.each([0, 1])('kafkajs DeleteRecords v%i', (version) => {
  const topics = [{ topic: 'orders', partitions: [{ partition: 0, offset: '15' }] }];

  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('deleteRecords', version, { topics, timeout: 4000 }).request);
    expect(decodeDeleteRecordsRequest(body, version)).toEqual({ topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, offset: 15n }] }], timeoutMs: 4000 });
    expect(body.remaining).toBe(0);
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('deleteRecords', version, { topics });
    const ours = makeDeleteRecordsResponse({ throttleTimeMs: 4, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, lowWatermark: 15n, errorCode: 0 }] }] });
    const decoded = await decodeWithKafkajs(response, encodeDeleteRecordsResponse(new Writer(), ours, version));
    const [topic] = decoded.topics as { topic: string; partitions: { partition: number; lowWatermark: { toString(): string }; errorCode: number }[] }[];
    expect(topic!.topic).toBe('orders');
    expect(topic!.partitions.map((p) => [p.partition, p.lowWatermark.toString(), p.errorCode])).toEqual([[0, '15', 0]]);
    expect(throttleOf(decoded, 1, version)).toBe(4);
  });
});
