import { isKafkaError } from '../../errors.js';
import { TOPIC_CONFIG_DEFS } from './definitions.js';
import { DEFAULT_LOG_CONFIG, describeTopicConfig, parseTopicConfig } from './log-config.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return isKafkaError(err, 'INVALID_CONFIG') ? err.message : `unexpected ${String(err)}`;
  }
  return 'no error';
}

describe('topic configs', () => {
  it('has Kafka defaults', () => {
    expect(DEFAULT_LOG_CONFIG.maxMessageBytes).toBe(1048588);
    expect(DEFAULT_LOG_CONFIG.segmentBytes).toBe(1073741824);
    expect(DEFAULT_LOG_CONFIG.retentionMs).toBe(604800000);
    expect(DEFAULT_LOG_CONFIG.retentionBytes).toBe(-1);
    expect(DEFAULT_LOG_CONFIG.indexIntervalBytes).toBe(4096);
    expect(DEFAULT_LOG_CONFIG.segmentIndexBytes).toBe(10485760);
    expect(DEFAULT_LOG_CONFIG.cleanupPolicy).toEqual(['delete']);
    expect(DEFAULT_LOG_CONFIG.messageTimestampType).toBe('CreateTime');
    expect(DEFAULT_LOG_CONFIG.flushMessages).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(DEFAULT_LOG_CONFIG.uncleanLeaderElectionEnable).toBe(false);
  });

  it('parses strings into typed values', () => {
    const config = parseTopicConfig({ 'cleanup.policy': 'compact, delete', 'retention.ms': '-1', preallocate: 'TRUE', 'min.cleanable.dirty.ratio': '0.25' });
    expect(config.cleanupPolicy).toEqual(['compact', 'delete']);
    expect(config.retentionMs).toBe(-1);
    expect(config.preallocate).toBe(true);
    expect(config.minCleanableDirtyRatio).toBe(0.25);
  });

  it.each([
    [{ 'segment.bytes': '10' }, 'Invalid value 10 for configuration segment.bytes: Value must be at least 14'],
    [{ 'retention.ms': '-2' }, 'Invalid value -2 for configuration retention.ms: Value must be at least -1'],
    [{ 'max.message.bytes': 'lots' }, 'Invalid value lots for configuration max.message.bytes: Not a number of type INT'],
    [{ 'segment.bytes': '4294967296' }, 'configuration segment.bytes: Not a number of type INT'],
    [{ 'cleanup.policy': 'forever' }, 'configuration cleanup.policy: Invalid value forever in list'],
    [{ 'message.timestamp.type': 'Now' }, 'configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime'],
    [{ 'min.cleanable.dirty.ratio': '1.5' }, 'configuration min.cleanable.dirty.ratio: Value must be no more than 1'],
    [{ preallocate: 'yes' }, 'configuration preallocate: Expected value to be either true or false'],
    [{ 'no.such.config': '1' }, 'Unknown topic config name: no.such.config'],
  ])('rejects %j', (overrides, message) => {
    expect(errorOf(() => parseTopicConfig(overrides))).toContain(message);
  });

  it('lists every config with default vs override, documentation and flags', () => {
    const entries = describeTopicConfig({ 'retention.ms': '1000' });
    expect(entries).toHaveLength(TOPIC_CONFIG_DEFS.length);
    expect(entries.find((e) => e.name === 'retention.ms')).toMatchObject({ value: '1000', isDefault: false, source: 'DYNAMIC_TOPIC_CONFIG' });
    expect(entries.find((e) => e.name === 'segment.bytes')).toMatchObject({ value: '1073741824', isDefault: true, sensitive: false, readOnly: false });
    for (const entry of entries) expect(entry.documentation.length).toBeGreaterThan(20);
  });
});
