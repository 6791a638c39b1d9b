import {
  decodeAlterPartitionReassignmentsRequest,
  encodeAlterPartitionReassignmentsResponse,
  makeAlterPartitionReassignmentsResponse,
  makeAlterPartitionReassignmentsResponseReassignablePartitionResponse,
  makeAlterPartitionReassignmentsResponseReassignableTopicResponse,
} from './alterPartitionReassignments/index.js';
import {
  decodeListPartitionReassignmentsRequest,
  encodeListPartitionReassignmentsResponse,
  makeListPartitionReassignmentsResponse,
  makeListPartitionReassignmentsResponseOngoingPartitionReassignment,
  makeListPartitionReassignmentsResponseOngoingTopicReassignment,
} from './listPartitionReassignments/index.js';
import { Writer } from './primitives/writer.js';
import { kafkajsProtocol, kafkajsRequestBody } from './testing/kafkajs.js';

/**
 * The reassignment APIs kafkajs 2.2.4 has (AlterPartitionReassignments v0 and
 * ListPartitionReassignments v0, both flexible) against kafkajs: its requests decode with
 * our codecs, our responses with its decoders. Its response decoders start at the
 * response header's tagged fields, so the bodies below are prefixed with an empty one.
 */
const withHeaderTags = (body: Writer): Buffer => Buffer.concat([Buffer.from([0]), body.toBuffer()]);

describe('kafkajs AlterPartitionReassignments v0', () => {
  const args = { topics: [{ topic: 'orders', partitionAssignment: [{ partition: 0, replicas: [1, 2, 3] }, { partition: 2, replicas: [3] }] }], timeout: 4000 };

  it('sends a request our codec reads', async () => {
    const { body } = await kafkajsRequestBody(kafkajsProtocol('alterPartitionReassignments', 0, args).request);
    expect(decodeAlterPartitionReassignmentsRequest(body, 0)).toEqual({
      timeoutMs: 4000,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, replicas: [1, 2, 3] }, { partitionIndex: 2, replicas: [3] }] }],
    });
    expect(body.remaining).toBe(0);
  });

  it('reads our response, and raises a partition error code', async () => {
    const { response } = kafkajsProtocol('alterPartitionReassignments', 0, args);
    const ok = makeAlterPartitionReassignmentsResponse({
      throttleTimeMs: 3,
      responses: [makeAlterPartitionReassignmentsResponseReassignableTopicResponse({ name: 'orders', partitions: [makeAlterPartitionReassignmentsResponseReassignablePartitionResponse({ partitionIndex: 0, errorMessage: null })] })],
    });
    const decoded = (await response.decode(withHeaderTags(encodeAlterPartitionReassignmentsResponse(new Writer(), ok, 0)))) as Record<string, unknown>;
    expect(decoded).toMatchObject({ throttleTime: 3, errorCode: 0, responses: [{ topic: 'orders', partitions: [{ partition: 0, errorCode: 0 }] }] });
    await expect(response.parse(decoded)).resolves.toBeDefined();
    const failed = makeAlterPartitionReassignmentsResponse({
      responses: [makeAlterPartitionReassignmentsResponseReassignableTopicResponse({ name: 'orders', partitions: [makeAlterPartitionReassignmentsResponseReassignablePartitionResponse({ partitionIndex: 0, errorCode: 39, errorMessage: 'no broker 9' })] })],
    });
    const failedDecoded = await response.decode(withHeaderTags(encodeAlterPartitionReassignmentsResponse(new Writer(), failed, 0)));
    await expect(response.parse(failedDecoded)).rejects.toThrow();
  });
});

describe('kafkajs ListPartitionReassignments v0', () => {
  it('sends a request our codec reads, for some topics and for all', async () => {
    const some = await kafkajsRequestBody(kafkajsProtocol('listPartitionReassignments', 0, { topics: [{ topic: 'orders', partitions: [0, 2] }], timeout: 3000 }).request);
    expect(decodeListPartitionReassignmentsRequest(some.body, 0)).toEqual({ timeoutMs: 3000, topics: [{ name: 'orders', partitionIndexes: [0, 2] }] });
    const all = await kafkajsRequestBody(kafkajsProtocol('listPartitionReassignments', 0, { timeout: 3000 }).request);
    expect(decodeListPartitionReassignmentsRequest(all.body, 0)).toEqual({ timeoutMs: 3000, topics: null });
  });

  it('reads our response', async () => {
    const { response } = kafkajsProtocol('listPartitionReassignments', 0, {});
    const ours = makeListPartitionReassignmentsResponse({
      topics: [makeListPartitionReassignmentsResponseOngoingTopicReassignment({
        name: 'orders',
        partitions: [makeListPartitionReassignmentsResponseOngoingPartitionReassignment({ partitionIndex: 0, replicas: [1, 2, 3], addingReplicas: [3], removingReplicas: [4] })],
      })],
      errorMessage: null,
    });
    const decoded = (await response.decode(withHeaderTags(encodeListPartitionReassignmentsResponse(new Writer(), ours, 0)))) as Record<string, unknown>;
    expect(decoded).toMatchObject({ errorCode: 0, topics: [{ name: 'orders', partitions: [{ partition: 0, replicas: [1, 2, 3], addingReplicas: [3], removingReplicas: [4] }] }] });
    await expect(response.parse(decoded)).resolves.toBeDefined();
  });
});
