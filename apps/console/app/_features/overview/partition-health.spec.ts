import { partitionHealth, type ReplicaFacts } from './partition-health';

const replica = (topic: string, partition: number, broker: number, leader: boolean, inSync = true): ReplicaFacts => ({
  topic_name: topic,
  partition_id: partition,
  broker_id: broker,
  is_leader: leader,
  is_in_sync: inSync,
});

describe('partitionHealth', () => {
  it('counts nothing for a healthy cluster', () => {
    expect(partitionHealth([replica('a', 0, 1, true), replica('a', 0, 2, false), replica('a', 1, 2, true)])).toEqual({ underReplicated: 0, offline: 0 });
  });

  it('counts a partition once however many replicas lag', () => {
    const replicas = [replica('a', 0, 1, true), replica('a', 0, 2, false, false), replica('a', 0, 3, false, false), replica('b', 0, 1, true)];
    expect(partitionHealth(replicas)).toEqual({ underReplicated: 1, offline: 0 });
  });

  it('counts a partition without a leader as offline, and does not confuse topics sharing a prefix', () => {
    const replicas = [replica('a', 1, 1, false, false), replica('a1', 0, 1, true), replica('a', 10, 1, true)];
    expect(partitionHealth(replicas)).toEqual({ underReplicated: 1, offline: 1 });
  });
});
