import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import { decodeMetadataRequest, encodeMetadataRequest, makeMetadataRequest, makeMetadataRequestTopic } from './request.js';
import { decodeMetadataResponse, encodeMetadataResponse, makeMetadataResponse, makeMetadataResponseBroker, makeMetadataResponsePartition, makeMetadataResponseTopic } from './response.js';

/**
 * Metadata v9, the first flexible version, pinned by hand-derived bytes: compact strings,
 * arrays and nullable arrays (length + 1), and a tag section closing every struct.
 */
const bytes = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const hexOf = (w: Writer): string => w.toBuffer().toString('hex');

describe('Metadata v9 request bytes', () => {
  it('encodes and decodes a topic list', () => {
    const request = makeMetadataRequest({ topics: [makeMetadataRequestTopic({ name: 'orders' })], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: true });
    const expected =
      '02' + // compact nullable array of 1
      '07 6f7264657273 00' + // name "orders" (6 + 1), no topic_id before v10, no tags
      '00' + // allow_auto_topic_creation
      '01' + // include_cluster_authorized_operations (v8-v10)
      '00' + // include_topic_authorized_operations
      '00'; // no tagged fields
    expect(hexOf(encodeMetadataRequest(new Writer(), request, 9))).toBe(expected.replace(/ /g, ''));
    const reader = new Reader(bytes(expected));
    expect(decodeMetadataRequest(reader, 9)).toEqual(request);
    expect(reader.remaining).toBe(0);
  });

  it('writes "all topics" as a null array (0), with auto-creation on by default', () => {
    expect(hexOf(encodeMetadataRequest(new Writer(), makeMetadataRequest({ topics: null }), 9))).toBe('00' + '01' + '00' + '00' + '00');
  });

  it('refuses a null topic list in v0, which cannot carry one', () => {
    expect(() => encodeMetadataRequest(new Writer(), makeMetadataRequest({ topics: null }), 0)).toThrow(/MetadataRequest.topics is not nullable in v0/);
    expect(hexOf(encodeMetadataRequest(new Writer(), makeMetadataRequest({ topics: null }), 1))).toBe('ffffffff');
  });
});

describe('Metadata v9 response bytes', () => {
  const response = makeMetadataResponse({
    brokers: [makeMetadataResponseBroker({ nodeId: 1, host: 'h', port: 9092 })],
    clusterId: 'c',
    controllerId: 1,
    topics: [
      makeMetadataResponseTopic({
        name: 'orders',
        partitions: [makeMetadataResponsePartition({ partitionIndex: 0, leaderId: 1, leaderEpoch: 5, replicaNodes: [1], isrNodes: [1] })],
      }),
    ],
  });
  const hex = (partitionTags = '00'): string =>
    '00000000' + // throttle_time_ms
    '02' + // brokers: compact array of 1
    '00000001 02 68 00002384 00 00' + // node_id 1, host "h", port 9092, rack null, no tags
    '02 63' + // cluster_id "c"
    '00000001' + // controller_id
    '02' + // topics: compact array of 1
    '0000 07 6f7264657273 00' + // error_code, name "orders", is_internal false
    '02' + // partitions: compact array of 1
    '0000 00000000 00000001 00000005' + // error_code, partition_index, leader_id, leader_epoch
    '02 00000001  02 00000001  01' + // replica_nodes [1], isr_nodes [1], offline_replicas []
    partitionTags +
    '80000000 00' + // topic_authorized_operations (default INT32_MIN), no tags
    '80000000' + // cluster_authorized_operations (v8-v10)
    '00'; // no tagged fields
  const expected = hex();

  it('encodes as hand-derived bytes', () => {
    expect(hexOf(encodeMetadataResponse(new Writer(), response, 9))).toBe(expected.replace(/ /g, ''));
  });

  it('decodes them back', () => {
    const reader = new Reader(bytes(expected));
    expect(decodeMetadataResponse(reader, 9)).toEqual(response);
    expect(reader.remaining).toBe(0);
  });

  it('skips tagged fields it does not know', () => {
    // One field with tag 7 and two bytes of payload in the partition's tag section.
    const reader = new Reader(bytes(hex('01 07 02 abcd')));
    expect(decodeMetadataResponse(reader, 9)).toEqual(response);
    expect(reader.remaining).toBe(0);
  });
});
