import { encodeRecordBatch } from '../../log/batch/record-batch-encoder.js';
import { Writer } from '../primitives/writer.js';
import { kafkajsProtocol, kafkajsRequestBody } from '../testing/kafkajs.js';
import { decodeFetchRequest, makeFetchRequestPartition, makeFetchRequestTopic } from './request.js';
import { encodeFetchResponse, makeFetchResponse, makeFetchResponseFetchableTopicResponse, makeFetchResponsePartitionData } from './response.js';

/**
 * Fetch v4 (the first with isolation level and aborted transactions, which kafkajs 2.2.4
 * uses against older brokers) and v11 (its newest: sessions, leader epochs, rack id)
 * against kafkajs: its request frames decode with our codecs, and our responses, with
 * a real RecordBatch from our encoder, decode with its response decoders.
 */
const TIMESTAMP = 1_700_000_000_000;

const REQUEST_ARGS = {
  replicaId: -1,
  isolationLevel: 1,
  maxWaitTime: 500,
  minBytes: 1,
  maxBytes: 10_485_760,
  topics: [
    {
      topic: 'orders',
      partitions: [
        { partition: 0, fetchOffset: '42', maxBytes: 1_048_576 },
        { partition: 1, fetchOffset: '9007199254740993', maxBytes: 512, currentLeaderEpoch: 3, logStartOffset: 8 },
      ],
    },
  ],
  rackId: 'rack-a',
  sessionId: 0,
  sessionEpoch: -1,
  forgottenTopics: [],
};

describe('kafkajs Fetch requests', () => {
  it('v4: decodes with our codec', async () => {
    const { request } = kafkajsProtocol('fetch', 4, REQUEST_ARGS);
    const { header, body } = await kafkajsRequestBody(request);
    expect(header).toMatchObject({ apiKey: 1, apiVersion: 4 });
    const decoded = decodeFetchRequest(body, 4);
    expect(body.remaining).toBe(0);
    expect(decoded).toMatchObject({ replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 10_485_760, isolationLevel: 1 });
    // Fields v4 does not carry come back as their defaults.
    expect(decoded).toMatchObject({ sessionId: 0, sessionEpoch: -1, forgottenTopicsData: [], rackId: '', clusterId: null });
    expect(decoded.topics).toEqual([
      makeFetchRequestTopic({
        topic: 'orders',
        partitions: [
          makeFetchRequestPartition({ partition: 0, fetchOffset: 42n, partitionMaxBytes: 1_048_576 }),
          makeFetchRequestPartition({ partition: 1, fetchOffset: 9_007_199_254_740_993n, partitionMaxBytes: 512 }),
        ],
      }),
    ]);
  });

  it('v11: decodes with our codec, leader epochs, log start offsets and rack included', async () => {
    const { request } = kafkajsProtocol('fetch', 11, { ...REQUEST_ARGS, sessionId: 77, sessionEpoch: 2, forgottenTopics: [{ topic: 'old', partitions: [4, 5] }] });
    const { header, body } = await kafkajsRequestBody(request);
    expect(header).toMatchObject({ apiKey: 1, apiVersion: 11, headerVersion: 1 });
    const decoded = decodeFetchRequest(body, 11);
    expect(body.remaining).toBe(0);
    expect(decoded).toMatchObject({ replicaId: -1, isolationLevel: 1, sessionId: 77, sessionEpoch: 2, rackId: 'rack-a' });
    expect(decoded.forgottenTopicsData).toEqual([{ topic: 'old', topicId: '00000000-0000-0000-0000-000000000000', partitions: [4, 5] }]);
    expect(decoded.topics[0]!.partitions).toEqual([
      makeFetchRequestPartition({ partition: 0, currentLeaderEpoch: -1, fetchOffset: 42n, logStartOffset: -1n, partitionMaxBytes: 1_048_576 }),
      makeFetchRequestPartition({ partition: 1, currentLeaderEpoch: 3, fetchOffset: 9_007_199_254_740_993n, logStartOffset: 8n, partitionMaxBytes: 512 }),
    ]);
  });
});

describe.each([4, 11])('kafkajs Fetch v%i response', (version) => {
  const batch = encodeRecordBatch({
    baseOffset: 100n,
    defaultTimestamp: TIMESTAMP,
    records: [
      { key: Buffer.from('k1'), value: Buffer.from('v1') },
      { key: null, value: Buffer.from('v2'), headers: [{ key: 'h', value: Buffer.from('x') }] },
    ],
  });

  it('reads our response and its records', async () => {
    const { response } = kafkajsProtocol('fetch', version, REQUEST_ARGS);
    const ours = makeFetchResponse({
      throttleTimeMs: 6,
      sessionId: 77,
      responses: [
        makeFetchResponseFetchableTopicResponse({
          topic: 'orders',
          partitions: [
            makeFetchResponsePartitionData({
              partitionIndex: 0,
              highWatermark: 102n,
              lastStableOffset: 101n,
              logStartOffset: 5n,
              abortedTransactions: [{ producerId: 9n, firstOffset: 50n }],
              preferredReadReplica: -1,
              records: batch,
            }),
            makeFetchResponsePartitionData({ partitionIndex: 1, errorCode: 0, highWatermark: 0n, abortedTransactions: null, records: null }),
          ],
        }),
      ],
    });
    const decoded = await response.decode(encodeFetchResponse(new Writer(), ours, version).toBuffer());
    const [topic] = decoded.responses as { topicName: string; partitions: Record<string, unknown>[] }[];
    expect(topic!.topicName).toBe('orders');
    const [first, second] = topic!.partitions;
    expect(first).toMatchObject({ partition: 0, errorCode: 0, highWatermark: '102', lastStableOffset: '101' });
    expect(first!.abortedTransactions).toEqual([{ producerId: '9', firstOffset: '50' }]);
    const messages = first!.messages as { offset: string; key: Buffer | null; value: Buffer; timestamp: string; headers: Record<string, Buffer> }[];
    expect(messages.map((m) => [m.offset, m.key?.toString() ?? null, m.value.toString(), m.timestamp])).toEqual([
      ['100', 'k1', 'v1', String(TIMESTAMP)],
      ['101', null, 'v2', String(TIMESTAMP)],
    ]);
    expect(messages[1]!.headers).toEqual({ h: Buffer.from('x') });
    expect(second).toMatchObject({ partition: 1, highWatermark: '0', messages: [] });
    if (version === 11) {
      expect(decoded).toMatchObject({ throttleTime: 0, clientSideThrottleTime: 6, errorCode: 0, sessionId: 77 });
      expect(first).toMatchObject({ lastStartOffset: '5', preferredReadReplica: -1 });
    } else {
      expect(decoded).toMatchObject({ throttleTime: 6 });
    }
    await expect(response.parse(decoded)).resolves.toBeDefined();
  });
});
