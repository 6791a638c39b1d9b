import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import { decodeCreateTopicsResponse, encodeCreateTopicsResponse, makeCreateTopicsResponse, makeCreateTopicsResponseCreatableTopicResult } from './response.js';

/**
 * CreateTopics v5 pinned by hand-derived bytes: a tagged field inside a nested struct
 * (topic_config_error_code, tag 0) is written only when it differs from its default.
 */
const hexOf = (w: Writer): string => w.toBuffer().toString('hex');

describe('CreateTopics v5 response bytes', () => {
  const result = (topicConfigErrorCode: number) =>
    makeCreateTopicsResponse({
      topics: [makeCreateTopicsResponseCreatableTopicResult({ name: 't', errorMessage: null, topicConfigErrorCode, numPartitions: 3, replicationFactor: 1, configs: null })],
    });
  const hex = (topicTags: string): string =>
    ('00000000' + // throttle_time_ms
      '02' + // topics: compact array of 1
      '02 74' + // name "t" (no topic_id before v7)
      '0000 00' + // error_code, error_message null
      '00000003 0001' + // num_partitions, replication_factor
      '00' + // configs: null compact array
      topicTags +
      '00'
    ).replace(/ /g, '');

  it('writes a non-default tagged field in the topic tag section', () => {
    // One tagged field: tag 0, two bytes, INVALID_CONFIG (40).
    const expected = hex('01 00 02 0028');
    expect(hexOf(encodeCreateTopicsResponse(new Writer(), result(40), 5))).toBe(expected);
    const reader = new Reader(Buffer.from(expected, 'hex'));
    expect(decodeCreateTopicsResponse(reader, 5)).toEqual(result(40));
    expect(reader.remaining).toBe(0);
  });

  it('leaves it out at its default', () => {
    expect(hexOf(encodeCreateTopicsResponse(new Writer(), result(0), 5))).toBe(hex('00'));
  });
});
