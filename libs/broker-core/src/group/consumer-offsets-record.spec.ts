import fc from 'fast-check';
import { expectKafkaError } from '../log/batch/testing/expect-kafka-error.js';
import {
  decodeConsumerOffsetsKey,
  decodeConsumerOffsetsRecord,
  encodeGroupMetadataKey,
  encodeOffsetCommitKey,
  groupMetadataRecord,
  offsetCommitRecord,
} from './consumer-offsets-record.js';
import {
  type GroupMetadataMember,
  type GroupMetadataValue,
  decodeGroupMetadataValue,
  encodeGroupMetadataValue,
  makeGroupMetadataMember,
  makeGroupMetadataValue,
} from './group-metadata-value.js';
import { type OffsetCommitValue, decodeOffsetCommitValue, encodeOffsetCommitValue, makeOffsetCommitValue } from './offset-commit-value.js';

/**
 * Byte fixtures are spelled out field by field from the Kafka 3.7 schemas
 * (group-coordinator/src/main/resources/common/message), then round trips over every version.
 */
const hex = (b: Buffer): string => b.toString('hex');
const fromHex = (...parts: string[]): Buffer => Buffer.from(parts.join(''), 'hex');

const G1 = '0002' + '6731'; // STRING "g1"
const COMMIT_MS = 1_700_000_000_000; // 0x18bcfe56800
const COMMIT = '0000018bcfe56800';
const EXPIRE = '0000018bcfe57b88'; // COMMIT_MS + 5000

describe('__consumer_offsets keys', () => {
  it('writes offset commit keys as v1 (group, topic, partition), and reads v0 the same', () => {
    const body = G1 + '0001' + '74' + '00000003';
    expect(hex(encodeOffsetCommitKey('g1', 't', 3))).toBe('0001' + body);
    expect(decodeConsumerOffsetsKey(fromHex('0001', body))).toEqual({ type: 'offset', group: 'g1', topic: 't', partition: 3 });
    expect(decodeConsumerOffsetsKey(fromHex('0000', body))).toEqual({ type: 'offset', group: 'g1', topic: 't', partition: 3 });
    expect(hex(encodeOffsetCommitKey('g1', 't', 3, 0))).toBe('0000' + body);
  });

  it('writes group metadata keys as v2 (group)', () => {
    expect(hex(encodeGroupMetadataKey('g1'))).toBe('0002' + G1);
    expect(decodeConsumerOffsetsKey(fromHex('0002', G1))).toEqual({ type: 'group', group: 'g1' });
  });

  it('returns newer key versions (KIP-848 records) as unknown, for the loader to skip', () => {
    expect(decodeConsumerOffsetsKey(fromHex('0003', G1))).toEqual({ type: 'unknown', version: 3 });
    expect(decodeConsumerOffsetsRecord(fromHex('0005', G1), fromHex('0000'))).toEqual({ type: 'unknown', version: 5 });
  });

  it('rejects truncated keys', () => {
    expectKafkaError(() => decodeConsumerOffsetsKey(fromHex('0001', G1, '0001', '74', '0000')), 'CORRUPT_MESSAGE', /truncated int32/);
    expect(() => encodeOffsetCommitKey('g1', 't', 0, 2)).toThrow(RangeError);
  });
});

describe('OffsetCommitValue', () => {
  const value = makeOffsetCommitValue({ offset: 42n, leaderEpoch: 5, metadata: 'm', commitTimestampMs: COMMIT_MS });
  const OFFSET = '000000000000002a';
  const METADATA = '0001' + '6d';

  it('writes v3 by default: offset, leader epoch, metadata, commit timestamp', () => {
    expect(hex(encodeOffsetCommitValue(value))).toBe('0003' + OFFSET + '00000005' + METADATA + COMMIT);
  });

  it('writes v1, the only version with an expire timestamp, when the commit has one', () => {
    const expiring = { ...value, expireTimestampMs: COMMIT_MS + 5000 };
    expect(hex(encodeOffsetCommitValue(expiring))).toBe('0001' + OFFSET + METADATA + COMMIT + EXPIRE);
    expect(decodeOffsetCommitValue(fromHex('0001', OFFSET, METADATA, COMMIT, EXPIRE))).toEqual({ ...expiring, leaderEpoch: -1 });
  });

  it('reads v0 and v2 without leader epoch or expire timestamp', () => {
    for (const version of ['0000', '0002']) {
      expect(decodeOffsetCommitValue(fromHex(version, OFFSET, METADATA, COMMIT))).toEqual({ ...value, leaderEpoch: -1 });
    }
  });

  it('writes v4 flexible: compact metadata and an empty tagged-field section', () => {
    const bytes = '0004' + OFFSET + '00000005' + '02' + '6d' + COMMIT + '00';
    expect(hex(encodeOffsetCommitValue(value, 4))).toBe(bytes);
    expect(decodeOffsetCommitValue(Buffer.from(bytes, 'hex'))).toEqual(value);
    // A tagged field this version does not know is skipped.
    expect(decodeOffsetCommitValue(fromHex('0004', OFFSET, '00000005', '026d', COMMIT, '01' + '07' + '01' + 'ff'))).toEqual(value);
  });

  it('reads a null value as a tombstone', () => {
    expect(decodeOffsetCommitValue(null)).toBeNull();
    expect(decodeConsumerOffsetsRecord(encodeOffsetCommitKey('g1', 't', 3), null)).toEqual({ type: 'offset', group: 'g1', topic: 't', partition: 3, value: null });
    expect(offsetCommitRecord('g1', 't', 3, null).value).toBeNull();
  });

  it('refuses versions it does not know and timestamps a number cannot hold', () => {
    expectKafkaError(() => decodeOffsetCommitValue(fromHex('0005', OFFSET)), 'UNSUPPORTED_VERSION', /v5/);
    expectKafkaError(() => decodeOffsetCommitValue(fromHex('0000', OFFSET, METADATA, '7fffffffffffffff')), 'CORRUPT_MESSAGE', /out of range/);
    expect(() => encodeOffsetCommitValue(value, 5)).toThrow(RangeError);
  });
});

describe('GroupMetadataValue', () => {
  const member = makeGroupMetadataMember({
    memberId: 'm1',
    clientId: 'c',
    clientHost: '/h',
    rebalanceTimeoutMs: 60_000,
    sessionTimeoutMs: 45_000,
    subscription: Buffer.from([1, 2]),
    assignment: Buffer.from([3]),
  });
  const value = makeGroupMetadataValue({ protocolType: 'consumer', generation: 2, protocol: 'range', leader: 'm1', currentStateTimestampMs: COMMIT_MS, members: [member] });
  const HEAD = '0008' + '636f6e73756d6572' + '00000002' + '0005' + '72616e6765' + '0002' + '6d31';

  it('writes v3 by default', () => {
    const memberBytes = '0002' + '6d31' + 'ffff' + '0001' + '63' + '0002' + '2f68' + '0000ea60' + '0000afc8' + '00000002' + '0102' + '00000001' + '03';
    const bytes = '0003' + HEAD + COMMIT + '00000001' + memberBytes;
    expect(hex(encodeGroupMetadataValue(value))).toBe(bytes);
    expect(decodeGroupMetadataValue(Buffer.from(bytes, 'hex'))).toEqual(value);
  });

  it('reads v0: no state timestamp, members without rebalance timeout or instance id', () => {
    const memberBytes = '0002' + '6d31' + '0001' + '63' + '0002' + '2f68' + '0000afc8' + '00000002' + '0102' + '00000001' + '03';
    expect(decodeGroupMetadataValue(fromHex('0000', HEAD, '00000001', memberBytes))).toEqual({
      ...value,
      currentStateTimestampMs: -1,
      members: [{ ...member, rebalanceTimeoutMs: -1 }],
    });
  });

  it('writes v4 flexible, with a static member', () => {
    const staticMember = { ...member, groupInstanceId: 'i' };
    const memberBytes = '03' + '6d31' + '02' + '69' + '02' + '63' + '03' + '2f68' + '0000ea60' + '0000afc8' + '03' + '0102' + '02' + '03' + '00';
    const head = '09' + '636f6e73756d6572' + '00000002' + '06' + '72616e6765' + '03' + '6d31';
    const bytes = '0004' + head + COMMIT + '02' + memberBytes + '00';
    expect(hex(encodeGroupMetadataValue({ ...value, members: [staticMember] }, 4))).toBe(bytes);
    expect(decodeGroupMetadataValue(Buffer.from(bytes, 'hex'))).toEqual({ ...value, members: [staticMember] });
  });

  it('writes an empty group with null protocol and leader, and a deleted one as a tombstone', () => {
    const empty = makeGroupMetadataValue({ protocolType: 'consumer', generation: 7, currentStateTimestampMs: COMMIT_MS });
    expect(hex(encodeGroupMetadataValue(empty))).toBe('0003' + '0008' + '636f6e73756d6572' + '00000007' + 'ffff' + 'ffff' + COMMIT + '00000000');
    const { key, value: tombstone } = groupMetadataRecord('g1', null);
    expect(decodeConsumerOffsetsRecord(key, tombstone)).toEqual({ type: 'group', group: 'g1', value: null });
  });
});

const text = fc.string({ unit: 'grapheme', maxLength: 10 });
const bytes = fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a));
const timestampMs = fc.integer({ min: -1, max: 2 ** 48 });
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const version = fc.integer({ min: 0, max: 4 });

const offsetValues: fc.Arbitrary<OffsetCommitValue> = fc.record({
  offset: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  leaderEpoch: int32,
  metadata: text,
  commitTimestampMs: timestampMs,
  expireTimestampMs: timestampMs,
});
const members: fc.Arbitrary<GroupMetadataMember> = fc.record({
  memberId: text,
  groupInstanceId: fc.option(text, { nil: null }),
  clientId: text,
  clientHost: text,
  rebalanceTimeoutMs: int32,
  sessionTimeoutMs: int32,
  subscription: bytes,
  assignment: bytes,
});
const groupValues: fc.Arbitrary<GroupMetadataValue> = fc.record({
  protocolType: text,
  generation: int32,
  protocol: fc.option(text, { nil: null }),
  leader: fc.option(text, { nil: null }),
  currentStateTimestampMs: timestampMs,
  members: fc.array(members, { maxLength: 4 }),
});

describe('__consumer_offsets round trips', () => {
  it('round-trips offset commits at every version, fields a version lacks read as -1', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(), offsetValues, version, (group, topic, partition, value, v) => {
        const record = decodeConsumerOffsetsRecord(encodeOffsetCommitKey(group, topic, partition), encodeOffsetCommitValue(value, v));
        expect(record).toEqual({
          type: 'offset',
          group,
          topic,
          partition,
          value: { ...value, leaderEpoch: v >= 3 ? value.leaderEpoch : -1, expireTimestampMs: v === 1 ? value.expireTimestampMs : -1 },
        });
      }),
    );
  });

  it('round-trips group metadata at every version, fields a version lacks read as their defaults', () => {
    fc.assert(
      fc.property(fc.string(), groupValues, version, (group, value, v) => {
        const { key, value: encoded } = groupMetadataRecord(group, value);
        expect(decodeConsumerOffsetsRecord(key, encoded)).toEqual({ type: 'group', group, value });
        expect(decodeGroupMetadataValue(encodeGroupMetadataValue(value, v))).toEqual({
          ...value,
          currentStateTimestampMs: v >= 2 ? value.currentStateTimestampMs : -1,
          members: value.members.map((m) => ({ ...m, rebalanceTimeoutMs: v >= 1 ? m.rebalanceTimeoutMs : -1, groupInstanceId: v >= 3 ? m.groupInstanceId : null })),
        });
      }),
    );
  });
});
