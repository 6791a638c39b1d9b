import { makeConsumerSubscription } from './consumer-protocol.js';
import {
  cooperativeStickyClaim,
  decodeStickyUserData,
  encodeCooperativeStickyUserData,
  encodeStickyUserData,
  stickyClaim,
} from './sticky-member-data.js';

/** StickyAssignor user data v1 and v0, as Java clients write them (previous_assignment, generation). */
const T0 = '00000001' + '0001' + '74' + '00000002' + '00000000' + '00000002'; // [{ "t": [0, 2] }]
const CLAIM = { partitions: [{ topic: 't', partitions: [0, 2] }], generation: 3 };

describe('sticky user data', () => {
  it('writes v1: the previous assignment by topic, then the generation', () => {
    expect(encodeStickyUserData(CLAIM).toString('hex')).toBe(T0 + '00000003');
    expect(decodeStickyUserData(Buffer.from(T0 + '00000003', 'hex'))).toEqual(CLAIM);
  });

  it('reads v0, which has no generation, and nothing from bytes it cannot read', () => {
    expect(decodeStickyUserData(Buffer.from(T0, 'hex'))).toEqual({ ...CLAIM, generation: -1 });
    expect(decodeStickyUserData(Buffer.from('00000001' + '0009', 'hex'))).toBeNull();
    expect(stickyClaim(makeConsumerSubscription({ topics: ['t'], userData: Buffer.from('ff', 'hex') }))).toEqual({ partitions: [], generation: -1 });
  });

  it('falls back to the owned partitions of a subscription without user data', () => {
    const owned = [{ topic: 't', partitions: [1] }];
    expect(stickyClaim(makeConsumerSubscription({ ownedPartitions: owned, generationId: 4 }))).toEqual({ partitions: owned, generation: 4 });
    // With user data, the owned partitions are not what counts (eager members own nothing).
    const withUserData = makeConsumerSubscription({ ownedPartitions: owned, generationId: 4, userData: encodeStickyUserData(CLAIM) });
    expect(stickyClaim(withUserData)).toEqual(CLAIM);
  });
});

describe('cooperative-sticky claims', () => {
  const owned = [{ topic: 't', partitions: [1] }];

  it('takes the generation from the subscription (v2+), else from the INT32 user data', () => {
    expect(cooperativeStickyClaim(makeConsumerSubscription({ ownedPartitions: owned, generationId: 6, userData: encodeCooperativeStickyUserData(2) }))).toEqual({ partitions: owned, generation: 6 });
    expect(encodeCooperativeStickyUserData(2).toString('hex')).toBe('00000002');
    expect(cooperativeStickyClaim(makeConsumerSubscription({ ownedPartitions: owned, userData: encodeCooperativeStickyUserData(2) }))).toEqual({ partitions: owned, generation: 2 });
    expect(cooperativeStickyClaim(makeConsumerSubscription({ ownedPartitions: owned, userData: Buffer.from([1]) }))).toEqual({ partitions: owned, generation: -1 });
    expect(cooperativeStickyClaim(makeConsumerSubscription({ ownedPartitions: owned }))).toEqual({ partitions: owned, generation: -1 });
  });
});
