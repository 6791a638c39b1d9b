import type { CommittedOffset, ConsumerGroupInfo } from '../broker/broker-api.js';
import { computeLags, type PartitionRange } from './lag.js';

function group(members: ConsumerGroupInfo['members'] = []): ConsumerGroupInfo {
  return { groupId: 'g', state: members.length === 0 ? 'Empty' : 'Stable', protocolType: 'consumer', protocol: 'range', memberCount: members.length, coordinatorId: 1, members };
}

function ranges(table: Record<string, [number, number]>) {
  return (topic: string, partition: number): PartitionRange | undefined => {
    const r = table[`${topic}-${partition}`];
    return r === undefined ? undefined : { logStartOffset: BigInt(r[0]), logEndOffset: BigInt(r[1]) };
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
