/** The replica facts the health counts need (a subset of Confluent's ReplicaData). */
export interface ReplicaFacts {
  topic_name: string;
  partition_id: number;
  broker_id: number;
  is_leader: boolean;
  is_in_sync: boolean;
}

export interface PartitionHealth {
  /** Partitions with at least one replica out of the ISR. */
  underReplicated: number;
  /** Partitions no replica leads. */
  offline: number;
}

/**
 * Counts under-replicated and offline partitions from every broker's replicas, as
 * Kafka's own metrics define them. A partition whose replicas are all on brokers that
 * did not answer is not seen here; callers count it offline from the partition list.
 */
export function partitionHealth(replicas: readonly ReplicaFacts[]): PartitionHealth {
  const partitions = new Map<string, { led: boolean; allInSync: boolean }>();
  for (const r of replicas) {
    const key = `${r.topic_name}\u0000${r.partition_id}`;
    const state = partitions.get(key) ?? { led: false, allInSync: true };
    state.led ||= r.is_leader;
    state.allInSync &&= r.is_in_sync;
    partitions.set(key, state);
  }
  let underReplicated = 0;
  let offline = 0;
  for (const state of partitions.values()) {
    if (!state.allInSync) underReplicated += 1;
    if (!state.led) offline += 1;
  }
  return { underReplicated, offline };
}
