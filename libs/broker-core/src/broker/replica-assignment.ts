/**
 * Kafka's rack-unaware replica placement (AdminUtils.assignReplicasToBrokersRackUnaware):
 * partition p's first replica is broker (p + startIndex) mod n, and the others follow at
 * a shift that grows by one every n partitions, so leaders and followers spread evenly.
 * With one broker every partition is [that broker]; the layout matters once there are more.
 */
export interface AssignmentOptions {
  /** Index into the sorted broker list of partition 0's first replica; random if absent. */
  readonly startIndex?: number;
  /** The first partition id to assign (for partitions added to an existing topic). */
  readonly startPartitionId?: number;
  readonly random?: () => number;
}

/** A broker as placement sees it: its id and, when configured, its rack (broker.rack). */
export interface PlacementBroker {
  readonly brokerId: number;
  readonly rack: string | null;
}

/**
 * Kafka's placement entry point: rack-aware when every broker has a rack, rack-unaware
 * when none has, and refused when only some have (Kafka: "Not all brokers have rack
 * information"), since a silent fallback would put replicas of a partition in one rack.
 */
export function assignReplicas(
  brokers: readonly PlacementBroker[],
  partitionCount: number,
  replicationFactor: number,
  options: AssignmentOptions = {},
): Map<number, number[]> {
  const withRack = brokers.filter((b) => b.rack !== null).length;
  if (withRack === 0) return assignReplicasToBrokers(brokers.map((b) => b.brokerId), partitionCount, replicationFactor, options);
  if (withRack < brokers.length) throw new RangeError('Not all brokers have rack information for replica rack aware assignment.');
  return assignReplicasRackAware(brokers, partitionCount, replicationFactor, options);
}

/**
 * Kafka's rack-aware placement (AdminUtils.assignReplicasToBrokersRackAware): brokers are
 * listed alternating between racks (rack a's first, rack b's first, ..., rack a's second,
 * ...), leaders walk that list as in the rack-unaware case, and each further replica is
 * the next candidate at the growing shift that puts it in a rack without a replica yet
 * (once every rack has one, any broker without one).
 */
export function assignReplicasRackAware(
  brokers: readonly PlacementBroker[],
  partitionCount: number,
  replicationFactor: number,
  options: AssignmentOptions = {},
): Map<number, number[]> {
  const arranged = rackAlternatedBrokers(brokers);
  const rackOf = new Map(brokers.map((b) => [b.brokerId, b.rack ?? '']));
  const n = arranged.length;
  if (replicationFactor > n) throw new RangeError(`replication factor ${replicationFactor} exceeds the ${n} brokers`);
  const numRacks = new Set(rackOf.values()).size;
  const random = options.random ?? Math.random;
  const startIndex = options.startIndex ?? Math.floor(random() * n);
  let shift = options.startIndex ?? Math.floor(random() * n);
  const assignment = new Map<number, number[]>();
  let partition = Math.max(0, options.startPartitionId ?? 0);
  for (let i = 0; i < partitionCount; i++, partition++) {
    if (partition > 0 && partition % n === 0) shift++;
    const first = (partition + startIndex) % n;
    const leader = arranged[first]!;
    const replicas = [leader];
    const racks = new Set([rackOf.get(leader)]);
    for (let k = 0; replicas.length < replicationFactor; k++) {
      const broker = arranged[followerIndex(first, shift * numRacks, k, n)]!;
      const rack = rackOf.get(broker);
      const rackFree = !racks.has(rack) || racks.size === numRacks;
      if (rackFree && !replicas.includes(broker)) {
        replicas.push(broker);
        racks.add(rack);
      }
    }
    assignment.set(partition, replicas);
  }
  return assignment;
}

/** Brokers ordered by alternating racks (racks and brokers within a rack by id). */
function rackAlternatedBrokers(brokers: readonly PlacementBroker[]): number[] {
  const byRack = new Map<string, number[]>();
  for (const b of [...brokers].sort((x, y) => x.brokerId - y.brokerId)) {
    const list = byRack.get(b.rack ?? '') ?? [];
    list.push(b.brokerId);
    byRack.set(b.rack ?? '', list);
  }
  const racks = [...byRack.keys()].sort();
  const out: number[] = [];
  for (let round = 0; out.length < brokers.length; round++) {
    for (const rack of racks) {
      const id = byRack.get(rack)![round];
      if (id !== undefined) out.push(id);
    }
  }
  return out;
}

/** Index of the k-th follower candidate: never the leader's own index. */
function followerIndex(first: number, shift: number, k: number, n: number): number {
  return (first + 1 + ((shift + k) % (n - 1))) % n;
}

/**
 * Kafka's rack-unaware placement: the rack-aware walk with every broker in one rack is
 * exactly it (the broker list is then sorted by id, and every follower candidate is taken
 * in turn at the growing shift).
 */
export function assignReplicasToBrokers(
  brokerIds: readonly number[],
  partitionCount: number,
  replicationFactor: number,
  options: AssignmentOptions = {},
): Map<number, number[]> {
  return assignReplicasRackAware(brokerIds.map((brokerId) => ({ brokerId, rack: null })), partitionCount, replicationFactor, options);
}
