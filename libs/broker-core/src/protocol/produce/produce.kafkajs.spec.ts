import { decodeRecordBatch } from '../../log/batch/record-batch-decoder.js';
import { Writer } from '../primitives/writer.js';
import { KAFKAJS_CLIENT_ID, kafkajsProtocol, kafkajsRequestBody } from '../testing/kafkajs.js';
import { decodeProduceRequest } from './request.js';
import { encodeProduceResponse, makeProduceResponse, makeProduceResponsePartitionProduceResponse } from './response.js';

/**
 * Produce v3 and v7 (the versions kafkajs 2.2.4 sends: v3 first carries a RecordBatch v2,
 * v7 is its newest) against kafkajs: its request frames, with a real RecordBatch,
 * decode with our codecs (and the batch with our batch decoder); our responses decode
 * with its response decoders.
 */
const TIMESTAMP = 1_700_000_000_000;

describe.each([3, 7])('kafkajs Produce v%i', (version) => {
  it('sends a request whose body and record batch our decoders read', async () => {
    const { request } = kafkajsProtocol('produce', version, {
      acks: -1,
      timeout: 1500,
      transactionalId: null,
      topicData: [
        {
          topic: 'orders',
          partitions: [
            {
              partition: 2,
              firstSequence: 0,
              messages: [
                { key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: TIMESTAMP, headers: { trace: Buffer.from('t') } },
                { key: null, value: Buffer.from('v2'), timestamp: TIMESTAMP + 5 },
              ],
            },
          ],
        },
      ],
    });
    const { header, body } = await kafkajsRequestBody(request);
    expect(header).toMatchObject({ apiKey: 0, apiVersion: version, clientId: KAFKAJS_CLIENT_ID, headerVersion: 1 });
    const decoded = decodeProduceRequest(body, version);
    expect(body.remaining).toBe(0);
    expect(decoded).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 1500 });
    expect(decoded.topicData).toHaveLength(1);
    const [topic] = decoded.topicData;
    expect(topic!.name).toBe('orders');
    expect(topic!.partitionData.map((p) => p.index)).toEqual([2]);
    const records = topic!.partitionData[0]!.records;
    expect(records).not.toBeNull();
    const batch = decodeRecordBatch(records!);
    expect(batch.sizeInBytes).toBe(records!.length);
    expect(batch.records.map((r) => ({ key: r.key?.toString() ?? null, value: r.value?.toString(), timestamp: r.timestamp }))).toEqual([
      { key: 'k1', value: 'v1', timestamp: BigInt(TIMESTAMP) },
      { key: null, value: 'v2', timestamp: BigInt(TIMESTAMP + 5) },
    ]);
    expect(batch.records[0]!.headers).toEqual([{ key: 'trace', value: Buffer.from('t') }]);
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('produce', version, { acks: -1, timeout: 1500, topicData: [] });
    const ours = makeProduceResponse({
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            makeProduceResponsePartitionProduceResponse({ index: 2, baseOffset: 41n, logAppendTimeMs: 1234n, logStartOffset: 7n }),
            makeProduceResponsePartitionProduceResponse({ index: 3, baseOffset: 9_007_199_254_740_993n }),
          ],
        },
      ],
      throttleTimeMs: 11,
    });
    const decoded = await response.decode(encodeProduceResponse(new Writer(), ours, version).toBuffer());
    const partitions = [
      { partition: 2, errorCode: 0, baseOffset: '41', logAppendTime: '1234' },
      { partition: 3, errorCode: 0, baseOffset: '9007199254740993', logAppendTime: '-1' },
    ];
    if (version === 3) {
      expect(decoded).toEqual({ topics: [{ topicName: 'orders', partitions }], throttleTime: 11 });
    } else {
      const withStart = [{ ...partitions[0], logStartOffset: '7' }, { ...partitions[1], logStartOffset: '-1' }];
      expect(decoded).toEqual({ topics: [{ topicName: 'orders', partitions: withStart }], throttleTime: 0, clientSideThrottleTime: 11 });
    }
    await expect(response.parse(decoded)).resolves.toBeDefined();
  });

  it('raises the partition error code of our response', async () => {
    const { response } = kafkajsProtocol('produce', version, { acks: -1, timeout: 1500, topicData: [] });
    const ours = makeProduceResponse({
      responses: [{ name: 'orders', partitionResponses: [makeProduceResponsePartitionProduceResponse({ index: 0, errorCode: 3 })] }],
    });
    const decoded = await response.decode(encodeProduceResponse(new Writer(), ours, version).toBuffer());
    await expect(response.parse(decoded)).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});
