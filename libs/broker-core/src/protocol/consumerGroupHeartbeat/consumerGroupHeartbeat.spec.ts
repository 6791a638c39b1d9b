import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import {
  decodeConsumerGroupHeartbeatResponse,
  encodeConsumerGroupHeartbeatResponse,
  makeConsumerGroupHeartbeatResponse,
  makeConsumerGroupHeartbeatResponseAssignment,
  makeConsumerGroupHeartbeatResponseTopicPartitions,
} from './response.js';

/**
 * ConsumerGroupHeartbeat v0 response pinned by hand-derived bytes: its assignment is a
 * nullable struct, which Kafka sends as an INT8 marker (-1 for null, 1 before the
 * struct's fields) rather than as a length.
 */
const bytes = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const hexOf = (w: Writer): string => w.toBuffer().toString('hex');

const TOPIC_ID = '01234567-89ab-cdef-0123-456789abcdef';

describe('ConsumerGroupHeartbeat v0 response bytes', () => {
  const response = (assigned: boolean) =>
    makeConsumerGroupHeartbeatResponse({
      memberId: 'm',
      memberEpoch: 5,
      heartbeatIntervalMs: 3000,
      assignment: assigned
        ? makeConsumerGroupHeartbeatResponseAssignment({ topicPartitions: [makeConsumerGroupHeartbeatResponseTopicPartitions({ topicId: TOPIC_ID, partitions: [0, 2] })] })
        : null,
    });
  const hex = (assignment: string): string =>
    ('00000000' + // throttle_time_ms
      '0000 00' + // error_code, error_message null
      '02 6d' + // member_id "m"
      '00000005 00000bb8' + // member_epoch, heartbeat_interval_ms
      assignment +
      '00' // no tagged fields
    ).replace(/ /g, '');

  it('writes an assignment after the marker 1', () => {
    const expected = hex(
      '01' + // present
        '02' + // topic_partitions: compact array of 1
        TOPIC_ID.replace(/-/g, '') +
        '03 00000000 00000002' + // partitions [0, 2]
        '00' + // topic_partitions entry tags
        '00', // assignment tags
    );
    expect(hexOf(encodeConsumerGroupHeartbeatResponse(new Writer(), response(true), 0))).toBe(expected);
    const reader = new Reader(bytes(expected));
    expect(decodeConsumerGroupHeartbeatResponse(reader, 0)).toEqual(response(true));
    expect(reader.remaining).toBe(0);
  });

  it('writes no assignment as the marker -1 alone', () => {
    const expected = hex('ff');
    expect(hexOf(encodeConsumerGroupHeartbeatResponse(new Writer(), response(false), 0))).toBe(expected);
    expect(decodeConsumerGroupHeartbeatResponse(new Reader(bytes(expected)), 0)).toEqual(response(false));
  });

  it('reads any negative marker as null, as Kafka does', () => {
    expect(decodeConsumerGroupHeartbeatResponse(new Reader(bytes(hex('80'))), 0).assignment).toBeNull();
  });
});
