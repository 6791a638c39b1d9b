import { describe, expect, it } from '@jest/globals';
import { assignReplicas, assignReplicasRackAware, assignReplicasToBrokers } from './replica-assignment.js';

const racked = (spec: Record<string, number[]>) => Object.entries(spec).flatMap(([rack, ids]) => ids.map((brokerId) => ({ brokerId, rack })));

describe('replica placement', () => {
  it('rack-unaware: leaders spread over the brokers, followers at a growing shift (Kafka\'s example)', () => {
    const a = assignReplicasToBrokers([0, 1, 2, 3, 4], 10, 3, { startIndex: 0 });
    expect([...a.values()]).toEqual([
      [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1],
      [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2],
    ]);
  });

  it('rack-aware: every partition\'s replicas in distinct racks, leaders even across brokers', () => {
    const brokers = racked({ a: [1, 2], b: [3, 4], c: [5, 6] });
    const a = assignReplicasRackAware(brokers, 12, 3, { startIndex: 0 });
    const rackOf = new Map(brokers.map((b) => [b.brokerId, b.rack]));
    for (const replicas of a.values()) {
      expect(new Set(replicas).size).toBe(3);
      expect(new Set(replicas.map((id) => rackOf.get(id))).size).toBe(3);
    }
    const leaders = new Map<number, number>();
    for (const replicas of a.values()) leaders.set(replicas[0]!, (leaders.get(replicas[0]!) ?? 0) + 1);
    expect([...leaders.values()]).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('rack-aware with fewer racks than replicas still places every replica on a distinct broker', () => {
    const a = assignReplicasRackAware(racked({ a: [1, 2], b: [3] }), 6, 3, { startIndex: 1 });
    for (const replicas of a.values()) {
      expect(new Set(replicas).size).toBe(3);
      expect(replicas.some((id) => id === 3)).toBe(true); // the only broker in rack b holds a replica of each
    }
  });

  it('chooses rack-aware placement only when every broker has a rack', () => {
    expect(() => assignReplicas([{ brokerId: 1, rack: 'a' }, { brokerId: 2, rack: null }], 1, 2)).toThrow(/Not all brokers have rack information/);
    expect([...assignReplicas([{ brokerId: 1, rack: null }, { brokerId: 2, rack: null }], 2, 2, { startIndex: 0 }).values()]).toEqual([[1, 2], [2, 1]]);
  });
});
