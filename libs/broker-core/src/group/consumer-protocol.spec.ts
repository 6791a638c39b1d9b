import fc from 'fast-check';
import { createRequire } from 'node:module';
import { expectKafkaError } from '../log/batch/testing/expect-kafka-error.js';
import {
  type ConsumerAssignment,
  type ConsumerSubscription,
  type TopicPartitions,
  decodeConsumerAssignment,
  decodeConsumerSubscription,
  encodeConsumerAssignment,
  encodeConsumerSubscription,
  makeConsumerAssignment,
  makeConsumerSubscription,
} from './consumer-protocol.js';

/** kafkajs 2.2.4's own consumer protocol codecs, the independent implementation. */
const require = createRequire(import.meta.url);
const { MemberMetadata, MemberAssignment } = require('kafkajs/src/consumer/assignerProtocol') as {
  MemberMetadata: {
    encode(m: { version: number; topics: string[]; userData?: Buffer }): Buffer;
    decode(b: Buffer): { version: number; topics: string[]; userData: Buffer | null };
  };
  MemberAssignment: {
    encode(a: { version: number; assignment: Record<string, number[]>; userData?: Buffer }): Buffer;
    decode(b: Buffer): { version: number; assignment: Record<string, number[]>; userData: Buffer | null } | null;
  };
};

const hex = (b: Buffer): string => b.toString('hex');
const ORDERS = '0006' + Buffer.from('orders').toString('hex');

describe('consumer protocol byte layouts', () => {
  it('writes a v0 subscription as version, topics and user data', () => {
    expect(hex(encodeConsumerSubscription(makeConsumerSubscription({ topics: ['orders'] }), 0))).toBe('0000' + '00000001' + ORDERS + 'ffffffff');
  });

  it('writes a v3 subscription with owned partitions, generation and rack', () => {
    const subscription = makeConsumerSubscription({
      topics: ['orders'],
      userData: Buffer.from([1, 2]),
      ownedPartitions: [{ topic: 'orders', partitions: [0, 2] }],
      generationId: 7,
      rackId: 'r1',
    });
    const bytes = '0003' + '00000001' + ORDERS + '00000002' + '0102' + '00000001' + ORDERS + '00000002' + '00000000' + '00000002' + '00000007' + '0002' + '7231';
    expect(hex(encodeConsumerSubscription(subscription))).toBe(bytes);
    expect(decodeConsumerSubscription(Buffer.from(bytes, 'hex'))).toEqual({ version: 3, ...subscription });
  });

  it('drops the fields a lower version lacks', () => {
    const subscription = makeConsumerSubscription({ topics: ['orders'], ownedPartitions: [{ topic: 'orders', partitions: [1] }], generationId: 4, rackId: 'r1' });
    expect(decodeConsumerSubscription(encodeConsumerSubscription(subscription, 1))).toEqual({ version: 1, ...subscription, generationId: -1, rackId: null });
    expect(decodeConsumerSubscription(encodeConsumerSubscription(subscription, 2))).toEqual({ version: 2, ...subscription, rackId: null });
  });

  it('writes an assignment as version, partitions by topic and user data', () => {
    const assignment = makeConsumerAssignment({ assignedPartitions: [{ topic: 'orders', partitions: [1] }] });
    const bytes = '0001' + '00000001' + ORDERS + '00000001' + '00000001' + 'ffffffff';
    expect(hex(encodeConsumerAssignment(assignment, 1))).toBe(bytes);
    expect(decodeConsumerAssignment(Buffer.from(bytes, 'hex'))).toEqual({ version: 1, ...assignment });
  });

  it('reads a version above 3 with the v3 layout, ignoring what follows', () => {
    const v3 = encodeConsumerSubscription(makeConsumerSubscription({ topics: ['orders'], generationId: 9, rackId: 'r2' }));
    const v5 = Buffer.concat([Buffer.from('0005', 'hex'), v3.subarray(2), Buffer.from('cafe', 'hex')]);
    expect(decodeConsumerSubscription(v5)).toMatchObject({ version: 5, topics: ['orders'], generationId: 9, rackId: 'r2' });
    const assignment = encodeConsumerAssignment(makeConsumerAssignment({ userData: Buffer.from([7]) }));
    expect(decodeConsumerAssignment(Buffer.concat([Buffer.from('0004', 'hex'), assignment.subarray(2), Buffer.from([0])]))).toMatchObject({ version: 4, userData: Buffer.from([7]) });
  });

  it('reads a subscription that ends before its v1+ fields with their defaults', () => {
    // What kafkajs sends for an assigner that declares version 1: topics and user data only.
    const bytes = MemberMetadata.encode({ version: 1, topics: ['orders'], userData: Buffer.from([5]) });
    expect(decodeConsumerSubscription(bytes)).toEqual({ version: 1, ...makeConsumerSubscription({ topics: ['orders'], userData: Buffer.from([5]) }) });
    const v3WithoutRack = encodeConsumerSubscription(makeConsumerSubscription({ topics: ['orders'], generationId: 3 }), 2);
    v3WithoutRack.writeInt16BE(3, 0);
    expect(decodeConsumerSubscription(v3WithoutRack)).toMatchObject({ version: 3, generationId: 3, rackId: null });
  });

  it('rejects negative versions and truncated or lying input', () => {
    expectKafkaError(() => decodeConsumerSubscription(Buffer.from('ffff00000000ffffffff', 'hex')), 'INVALID_REQUEST', /version -1/);
    expectKafkaError(() => decodeConsumerAssignment(Buffer.alloc(0)), 'CORRUPT_MESSAGE', /truncated int16/);
    expectKafkaError(() => decodeConsumerSubscription(Buffer.from('0000' + '00000001' + '0006' + '6f72', 'hex')), 'INVALID_REQUEST', /exceeds/);
    expectKafkaError(() => decodeConsumerAssignment(Buffer.from('0000' + '7fffffff', 'hex')), 'INVALID_REQUEST', /array length/);
    expect(() => encodeConsumerSubscription(makeConsumerSubscription(), 4)).toThrow(RangeError);
  });
});

const topicName = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => `t-${s}`);
const partitionsByTopic: fc.Arbitrary<TopicPartitions[]> = fc.uniqueArray(
  fc.record({ topic: topicName, partitions: fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 6 }) }),
  { selector: (tp) => tp.topic, maxLength: 5 },
);
const userData = fc.option(fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)), { nil: null });
const subscriptions: fc.Arbitrary<ConsumerSubscription> = fc.record({
  topics: fc.array(topicName, { maxLength: 6 }),
  userData,
  ownedPartitions: partitionsByTopic,
  generationId: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  rackId: fc.option(fc.string({ unit: 'grapheme', maxLength: 8 }), { nil: null }),
});
const assignments: fc.Arbitrary<ConsumerAssignment> = fc.record({ assignedPartitions: partitionsByTopic, userData });
const versions = fc.integer({ min: 0, max: 3 });

/** What survives encoding at `version`: the fields it lacks take their defaults. */
function atVersion(s: ConsumerSubscription, version: number): ConsumerSubscription {
  return {
    ...s,
    ownedPartitions: version >= 1 ? s.ownedPartitions : [],
    generationId: version >= 2 ? s.generationId : -1,
    rackId: version >= 3 ? s.rackId : null,
  };
}

const asRecord = (tps: readonly TopicPartitions[]): Record<string, number[]> => Object.fromEntries(tps.map((tp) => [tp.topic, tp.partitions]));

describe('consumer protocol round trips', () => {
  it('round-trips subscriptions at every version', () => {
    fc.assert(
      fc.property(subscriptions, versions, (s, version) => {
        expect(decodeConsumerSubscription(encodeConsumerSubscription(s, version))).toEqual({ version, ...atVersion(s, version) });
      }),
    );
  });

  it('round-trips assignments at every version', () => {
    fc.assert(
      fc.property(assignments, versions, (a, version) => {
        expect(decodeConsumerAssignment(encodeConsumerAssignment(a, version))).toEqual({ version, ...a });
      }),
    );
  });
});

describe('consumer protocol against kafkajs', () => {
  it('reads the subscriptions kafkajs writes', () => {
    fc.assert(
      fc.property(subscriptions, versions, (s, version) => {
        const bytes = MemberMetadata.encode({ version, topics: s.topics, userData: s.userData ?? undefined });
        // kafkajs writes an empty buffer where there is no user data.
        expect(decodeConsumerSubscription(bytes)).toEqual({ version, ...makeConsumerSubscription({ topics: s.topics, userData: s.userData ?? Buffer.alloc(0) }) });
      }),
    );
  });

  it('writes subscriptions kafkajs reads (it stops after the user data)', () => {
    fc.assert(
      fc.property(subscriptions, versions, (s, version) => {
        expect(MemberMetadata.decode(encodeConsumerSubscription(s, version))).toEqual({ version, topics: s.topics, userData: s.userData });
      }),
    );
  });

  it('reads the assignments kafkajs writes', () => {
    fc.assert(
      fc.property(assignments, versions, (a, version) => {
        const bytes = MemberAssignment.encode({ version, assignment: asRecord(a.assignedPartitions), userData: a.userData ?? undefined });
        const decoded = decodeConsumerAssignment(bytes);
        expect(decoded.version).toBe(version);
        expect(asRecord(decoded.assignedPartitions)).toEqual(asRecord(a.assignedPartitions));
        expect(decoded.userData).toEqual(a.userData ?? Buffer.alloc(0));
      }),
    );
  });

  it('writes assignments kafkajs reads', () => {
    fc.assert(
      fc.property(assignments, versions, (a, version) => {
        expect(MemberAssignment.decode(encodeConsumerAssignment(a, version))).toEqual({ version, assignment: asRecord(a.assignedPartitions), userData: a.userData });
      }),
    );
  });
});
