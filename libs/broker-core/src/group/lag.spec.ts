import { afterEach } from '@jest/globals';
import type { CommittedOffset, ConsumerGroupInfo } from '../broker/broker-api.js';
import { encodeControlBatch } from '../log/batch/control-record.js';
import { encodeRecordBatch } from '../log/batch/record-batch-encoder.js';
import { CONSUMER_OFFSETS_TOPIC } from './consumer-offsets-record.js';
import { computeLags, consumerGroupLags, topicRanges, type PartitionRange } from './lag.js';
import { partitionForGroup } from './partition-for-group.js';
import { CoordinatorHarness } from './testing/coordinator-harness.js';

function group(members: ConsumerGroupInfo['members'] = []): ConsumerGroupInfo {
  return { groupId: 'g', state: members.length === 0 ? 'Empty' : 'Stable', protocolType: 'consumer', protocol: 'range', memberCount: members.length, coordinatorId: 1, members };
}

function ranges(table: Record<string, [number, number, number?]>) {
  return (topic: string, partition: number): PartitionRange | undefined => {
    const r = table[`${topic}-${partition}`];
    return r === undefined ? undefined : { logStartOffset: BigInt(r[0]), logEndOffset: BigInt(r[1]), lastStableOffset: r[2] === undefined ? undefined : BigInt(r[2]) };
  };
}

const commit = (topic: string, partition: number, offset: number): CommittedOffset => ({ topic, partition, offset: BigInt(offset), metadata: '' });

describe('computeLags', () => {
  it('is the end offset minus the committed offset, summed and maxed by hand', () => {
    const lags = computeLags(group(), [commit('b', 0, 7), commit('a', 1, 90), commit('a', 0, 10)], ranges({ 'a-0': [0, 25], 'a-1': [0, 100], 'b-0': [5, 7] }));
    expect(lags.partitions.map((p) => [p.topic, p.partition, p.committedOffset, p.logEndOffset, p.lag])).toEqual([
      ['a', 0, 10n, 25n, 15n],
      ['a', 1, 90n, 100n, 10n],
      ['b', 0, 7n, 7n, 0n],
    ]);
    expect(lags.totalLag).toBe(25n);
    expect(lags.maxLag?.topic).toBe('a');
    expect(lags.maxLag?.partition).toBe(0);
  });

  it('gives an assigned partition without a commit no lag figure, and names its owner', () => {
    const members = [{ memberId: 'm1', groupInstanceId: 'i1', clientId: 'c1', host: '/127.0.0.1', assignment: [{ topic: 'a', partition: 0 }, { topic: 'a', partition: 1 }] }];
    const lags = computeLags(group(members), [commit('a', 0, 3)], ranges({ 'a-0': [0, 10], 'a-1': [0, 4] }));
    expect(lags.partitions[1]).toMatchObject({ partition: 1, committedOffset: null, logEndOffset: 4n, lag: null, memberId: 'm1', clientId: 'c1' });
    expect(lags.partitions[0]).toMatchObject({ lag: 7n, memberId: 'm1', groupInstanceId: 'i1' });
    expect(lags.totalLag).toBe(7n);
  });

  it('still measures from the end after DeleteRecords moved the log start past the commit', () => {
    // Records 0..49 deleted; the group committed 20: 80 records remain ahead of it, but lag is end - committed as Kafka's tool says.
    const lags = computeLags(group(), [commit('a', 0, 20)], ranges({ 'a-0': [50, 100] }));
    expect(lags.partitions[0]).toMatchObject({ logStartOffset: 50n, logEndOffset: 100n, lag: 80n });
  });

  it('does not clamp a commit past the end, but counts it 0 in the total', () => {
    const lags = computeLags(group(), [commit('a', 0, 12), commit('a', 1, 0)], ranges({ 'a-0': [0, 10], 'a-1': [0, 3] }));
    expect(lags.partitions.map((p) => p.lag)).toEqual([-2n, 3n]);
    expect(lags.totalLag).toBe(3n);
    expect(lags.maxLag?.partition).toBe(1);
  });

  it('leaves out partitions of deleted topics, and has no max without figures', () => {
    const lags = computeLags(group(), [commit('gone', 0, 1)], ranges({}));
    expect(lags.partitions).toEqual([]);
    expect(lags.maxLag).toBeNull();
    expect(lags.totalLag).toBe(0n);
  });
});

describe('computeLags with an isolation level', () => {
  it('measures to the LSO for read_committed and to the HW for read_uncommitted', () => {
    const table = ranges({ 'a-0': [0, 20, 12], 'a-1': [0, 9] });
    const committed = [commit('a', 0, 10), commit('a', 1, 4)];
    const uncommitted = computeLags(group(), committed, table);
    expect(uncommitted.isolation).toBe('read_uncommitted');
    expect(uncommitted.partitions.map((p) => [p.logEndOffset, p.lag])).toEqual([[20n, 10n], [9n, 5n]]);
    const readCommitted = computeLags(group(), committed, table, 'read_committed');
    expect(readCommitted.isolation).toBe('read_committed');
    // Without an LSO (a range from elsewhere) the HW stands in.
    expect(readCommitted.partitions.map((p) => [p.logEndOffset, p.lag])).toEqual([[12n, 2n], [9n, 5n]]);
    expect(readCommitted.totalLag).toBe(7n);
  });
});

describe('consumerGroupLags through a broker with transactions', () => {
  let c: CoordinatorHarness;
  afterEach(async () => c.close());

  const PID = 7000n;

  async function append(topic: string, partition: number, records: Buffer, origin: 'client' | 'coordinator' = 'client'): Promise<void> {
    const [r] = await c.h.broker.appendRecords([{ topic, partition, records }], { acks: -1, timeoutMs: 1000, internalTopicsAllowed: true, origin });
    expect(r!.errorCode).toBe(0);
  }

  const values = (n: number): { key: null; value: Buffer }[] => Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`) }));
  const marker = (producerId: bigint, type: 'COMMIT' | 'ABORT'): Buffer => encodeControlBatch({ type, coordinatorEpoch: 0, producerId, producerEpoch: 0, timestamp: 0 });

  it('measures transactional groups to the LSO by default, others to the HW, and never counts markers', async () => {
    c = await CoordinatorHarness.start();
    const api = c.h.broker;
    // t-0: offsets 0-4 plain, 5-7 an open transaction: HW 8, LSO 5.
    await append('t', 0, encodeRecordBatch({ records: values(5) }));
    await append('t', 0, encodeRecordBatch({ records: values(3), isTransactional: true, producerId: PID, producerEpoch: 0, baseSequence: 0 }));
    const described = api.describeTopic('t').partitions[0]!;
    expect([described.highWatermark, described.lastStableOffset]).toEqual([8n, 5n]);

    const commitAt = (groupId: string, offset: bigint) => c.groups.commitOffsets({
      groupId, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, offsets: [{ topic: 't', partition: 0, offset, leaderEpoch: -1, metadata: null, commitTimestampMs: -1 }],
    });
    await commitAt('plain', 2n);
    // An exactly-once pipeline's group: its offsets come through TxnOffsetCommit, committed by the marker.
    await c.groups.commitTransactionalOffsets({
      transactionalId: 'eos', groupId: 'eos', producerId: PID + 1n, producerEpoch: 0, generationId: -1, memberId: '', groupInstanceId: null,
      offsets: [{ topic: 't', partition: 0, offset: 2n, leaderEpoch: -1, metadata: null, commitTimestampMs: -1 }],
    });
    await append(CONSUMER_OFFSETS_TOPIC, partitionForGroup('eos', 50), marker(PID + 1n, 'COMMIT'), 'coordinator');
    c.groups.completeTransactionalOffsets(partitionForGroup('eos', 50), PID + 1n, 'COMMIT');

    const lagOf = async (groupId: string, isolation?: 'read_committed' | 'read_uncommitted') => {
      const lags = await consumerGroupLags(api, groupId, undefined, isolation === undefined ? {} : { isolation });
      return [lags.isolation, lags.partitions[0]?.logEndOffset, lags.totalLag];
    };
    expect(await lagOf('plain')).toEqual(['read_uncommitted', 8n, 6n]);
    expect(await lagOf('plain', 'read_committed')).toEqual(['read_committed', 5n, 3n]);
    expect(await lagOf('eos')).toEqual(['read_committed', 5n, 3n]);
    expect(await lagOf('eos', 'read_uncommitted')).toEqual(['read_uncommitted', 8n, 6n]);

    // The transaction commits: its marker takes offset 8, which no consumer receives.
    await append('t', 0, marker(PID, 'COMMIT'), 'coordinator');
    expect(await lagOf('plain')).toEqual(['read_uncommitted', 9n, 6n]);
    expect(await lagOf('eos')).toEqual(['read_committed', 9n, 6n]);
    // A consumer past the marker has no lag; one before it has the records only.
    await commitAt('plain', 9n);
    expect(await lagOf('plain')).toEqual(['read_uncommitted', 9n, 0n]);
    await commitAt('plain', 7n);
    expect(await lagOf('plain')).toEqual(['read_uncommitted', 9n, 1n]);

    // One range table for many groups (a lag summary): a span found free of markers for one group does not hide the marker from another.
    await append('t', 0, encodeRecordBatch({ records: values(3) }));
    await Promise.all([commitAt('after', 10n), commitAt('before', 2n), commitAt('later', 11n)]);
    const table = topicRanges(api);
    const shared = async (groupId: string) => (await consumerGroupLags(api, groupId, table)).totalLag;
    expect([await shared('after'), await shared('before'), await shared('later')]).toEqual([2n, 9n, 1n]);
  });
});
