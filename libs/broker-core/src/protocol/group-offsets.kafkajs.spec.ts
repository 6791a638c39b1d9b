import {
  decodeOffsetCommitRequest,
  encodeOffsetCommitResponse,
  makeOffsetCommitRequest,
  makeOffsetCommitRequestPartition,
  makeOffsetCommitResponse,
} from './offsetCommit/index.js';
import { decodeOffsetFetchRequest, encodeOffsetFetchResponse, makeOffsetFetchRequest, makeOffsetFetchResponse, makeOffsetFetchResponsePartition } from './offsetFetch/index.js';
import { Writer } from './primitives/writer.js';
import { decodeWithKafkajs, kafkajsProtocol, kafkajsRequestBody, throttleOf } from './testing/kafkajs.js';

/**
 * Committed offsets in every version kafkajs 2.2.4 has (OffsetCommit v0-v5, OffsetFetch
 * v1-v4) against kafkajs: its requests decode with our codecs, our responses with its
 * decoders, and error codes in our responses are the errors kafkajs raises.
 */
const COMMIT_TIMESTAMP_MS = 1_700_000_000_000;
const RETENTION_MS = 86_400_000;

describe.each([0, 1, 2, 3, 4, 5])('kafkajs OffsetCommit v%i', (version) => {
  const args = {
    groupId: 'billing',
    groupGenerationId: 3,
    memberId: 'member-1',
    retentionTime: RETENTION_MS,
    topics: [
      {
        topic: 'orders',
        partitions: [
          { partition: 0, offset: '42', timestamp: COMMIT_TIMESTAMP_MS },
          { partition: 2, offset: '9007199254740993', timestamp: COMMIT_TIMESTAMP_MS, metadata: 'host-a' },
        ],
      },
    ],
  };

  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('offsetCommit', version, args).request);
    // Fields a version lacks come back as their defaults: the commit timestamp is v1's
    // alone, the retention time v2-v4's.
    const commitTimestamp = version === 1 ? BigInt(COMMIT_TIMESTAMP_MS) : -1n;
    expect(decodeOffsetCommitRequest(body, version)).toEqual(
      makeOffsetCommitRequest({
        groupId: 'billing',
        generationIdOrMemberEpoch: version >= 1 ? 3 : -1,
        memberId: version >= 1 ? 'member-1' : '',
        retentionTimeMs: version >= 2 && version <= 4 ? BigInt(RETENTION_MS) : -1n,
        topics: [
          {
            name: 'orders',
            partitions: [
              makeOffsetCommitRequestPartition({ partitionIndex: 0, committedOffset: 42n, commitTimestamp, committedMetadata: null }),
              makeOffsetCommitRequestPartition({ partitionIndex: 2, committedOffset: 9007199254740993n, commitTimestamp, committedMetadata: 'host-a' }),
            ],
          },
        ],
      }),
    );
    expect(body.remaining).toBe(0);
  });

  it('reads our response, and raises a partition error code', async () => {
    const { response } = kafkajsProtocol('offsetCommit', version, args);
    const ours = makeOffsetCommitResponse({ throttleTimeMs: 6, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 2, errorCode: 0 }] }] });
    const decoded = await decodeWithKafkajs(response, encodeOffsetCommitResponse(new Writer(), ours, version));
    expect(decoded.responses).toEqual([{ topic: 'orders', partitions: [{ partition: 0, errorCode: 0 }, { partition: 2, errorCode: 0 }] }]);
    if (version >= 3) expect(throttleOf(decoded, 4, version)).toBe(6);
    const failed = makeOffsetCommitResponse({ topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 2, errorCode: 27 }] }] });
    await expect(response.parse(await response.decode(encodeOffsetCommitResponse(new Writer(), failed, version).toBuffer()))).rejects.toThrow(/rebalancing/);
  });
});

describe.each([1, 2, 3, 4])('kafkajs OffsetFetch v%i', (version) => {
  const args = { groupId: 'billing', topics: [{ topic: 'orders', partitions: [{ partition: 0 }, { partition: 2 }] }] };

  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('offsetFetch', version, args).request);
    expect(decodeOffsetFetchRequest(body, version)).toEqual(makeOffsetFetchRequest({ groupId: 'billing', topics: [{ name: 'orders', partitionIndexes: [0, 2] }] }));
    expect(body.remaining).toBe(0);
  });

  it('reads our response, a partition without a committed offset as -1', async () => {
    const { response } = kafkajsProtocol('offsetFetch', version, args);
    const ours = makeOffsetFetchResponse({
      throttleTimeMs: 2,
      topics: [
        {
          name: 'orders',
          partitions: [
            makeOffsetFetchResponsePartition({ partitionIndex: 0, committedOffset: 42n, metadata: 'host-a' }),
            makeOffsetFetchResponsePartition({ partitionIndex: 2, committedOffset: -1n, metadata: '' }),
          ],
        },
      ],
    });
    const decoded = await decodeWithKafkajs(response, encodeOffsetFetchResponse(new Writer(), ours, version));
    expect(decoded.responses).toEqual([
      {
        topic: 'orders',
        partitions: [
          { partition: 0, offset: '42', metadata: 'host-a', errorCode: 0 },
          { partition: 2, offset: '-1', metadata: '', errorCode: 0 },
        ],
      },
    ]);
    if (version >= 2) expect(decoded.errorCode).toBe(0);
    if (version >= 3) expect(throttleOf(decoded, 4, version)).toBe(2);
  });

  it('raises the error code of our response: per partition, and for the group from v2', async () => {
    const { response } = kafkajsProtocol('offsetFetch', version, args);
    const partitionFailed = makeOffsetFetchResponse({ topics: [{ name: 'orders', partitions: [makeOffsetFetchResponsePartition({ partitionIndex: 0, committedOffset: -1n, errorCode: 25 })] }] });
    await expect(response.parse(await response.decode(encodeOffsetFetchResponse(new Writer(), partitionFailed, version).toBuffer()))).rejects.toThrow(/not aware of this member/);
    if (version >= 2) {
      const groupFailed = makeOffsetFetchResponse({ errorCode: 16 });
      await expect(response.parse(await response.decode(encodeOffsetFetchResponse(new Writer(), groupFailed, version).toBuffer()))).rejects.toThrow(/not the correct coordinator/);
    }
  });
});
