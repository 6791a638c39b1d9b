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

export function assignReplicasToBrokers(
  brokerIds: readonly number[],
  partitionCount: number,
  replicationFactor: number,
  options: AssignmentOptions = {},
): Map<number, number[]> {
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  if (replicationFactor > n) throw new RangeError(`replication factor ${replicationFactor} exceeds the ${n} brokers`);
  const random = options.random ?? Math.random;
  const startIndex = options.startIndex ?? Math.floor(random() * n);
  let shift = options.startIndex ?? Math.floor(random() * n);
  const assignment = new Map<number, number[]>();
  let partition = Math.max(0, options.startPartitionId ?? 0);
  for (let i = 0; i < partitionCount; i++, partition++) {
    if (partition > 0 && partition % n === 0) shift++;
    const first = (partition + startIndex) % n;
    const replicas = [brokers[first]!];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n]!);
    assignment.set(partition, replicas);
  }
  return assignment;
}
