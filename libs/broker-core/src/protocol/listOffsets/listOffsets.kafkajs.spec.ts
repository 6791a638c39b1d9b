import { Writer } from '../primitives/writer.js';
import { kafkajsProtocol, kafkajsRequestBody } from '../testing/kafkajs.js';
import { decodeListOffsetsRequest, makeListOffsetsRequestPartition } from './request.js';
import { encodeListOffsetsResponse, makeListOffsetsResponse, makeListOffsetsResponsePartitionResponse } from './response.js';

/**
 * ListOffsets v0-v3, every version kafkajs 2.2.4 has, against kafkajs: its requests
 * decode with our codec, our responses with its decoders.
 */
describe.each([0, 1, 2, 3])('kafkajs ListOffsets v%i', (version) => {
  it('sends a request our codec reads', async () => {
    const { request } = kafkajsProtocol('listOffsets', version, {
      replicaId: -1,
      isolationLevel: 1,
      topics: [
        {
          topic: 'orders',
          partitions: [
            { partition: 0, timestamp: -1 },
            { partition: 3, timestamp: 1_700_000_000_000 },
          ],
        },
      ],
    });
    const { header, body } = await kafkajsRequestBody(request);
    expect(header).toMatchObject({ apiKey: 2, apiVersion: version });
    const decoded = decodeListOffsetsRequest(body, version);
    expect(body.remaining).toBe(0);
    // isolation_level arrives from v2; before it, the default (0) stands.
    expect(decoded).toMatchObject({ replicaId: -1, isolationLevel: version >= 2 ? 1 : 0 });
    expect(decoded.topics).toEqual([
      {
        name: 'orders',
        partitions: [
          makeListOffsetsRequestPartition({ partitionIndex: 0, timestamp: -1n, maxNumOffsets: 1 }),
          makeListOffsetsRequestPartition({ partitionIndex: 3, timestamp: 1_700_000_000_000n, maxNumOffsets: 1 }),
        ],
      },
    ]);
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('listOffsets', version, { topics: [] });
    const ours = makeListOffsetsResponse({
      throttleTimeMs: 3,
      topics: [
        {
          name: 'orders',
          partitions: [
            makeListOffsetsResponsePartitionResponse({ partitionIndex: 0, oldStyleOffsets: [77n], timestamp: -1n, offset: 77n }),
            makeListOffsetsResponsePartitionResponse({ partitionIndex: 3, oldStyleOffsets: [12n], timestamp: 1_700_000_000_000n, offset: 12n }),
          ],
        },
      ],
    });
    const decoded = await response.decode(encodeListOffsetsResponse(new Writer(), ours, version).toBuffer());
    const partitions =
      version === 0
        ? [
            { partition: 0, errorCode: 0, offsets: ['77'] },
            { partition: 3, errorCode: 0, offsets: ['12'] },
          ]
        : [
            { partition: 0, errorCode: 0, timestamp: '-1', offset: '77' },
            { partition: 3, errorCode: 0, timestamp: '1700000000000', offset: '12' },
          ];
    const throttle = version === 2 ? { throttleTime: 3 } : version === 3 ? { throttleTime: 0, clientSideThrottleTime: 3 } : {};
    expect(decoded).toEqual({ ...throttle, responses: [{ topic: 'orders', partitions }] });
    await expect(response.parse(decoded)).resolves.toBeDefined();
  });
});
