/**
 * Kafka's partition reassignment arithmetic (KIP-455), on the assignment a topic znode
 * holds while a reassignment runs: `replicas` is the full set RS = target + original
 * (distinct, target first), `adding` = target - original, `removing` = original - target.
 * The target and the original can always be recovered from those three lists, which is
 * what lets a new controller resume, and an operator cancel, a reassignment.
 */
export interface ReplicaSet {
  readonly replicas: readonly number[];
  readonly adding: readonly number[];
  readonly removing: readonly number[];
}

export function originalReplicas(set: ReplicaSet): number[] {
  return set.replicas.filter((id) => !set.adding.includes(id));
}

export function targetReplicas(set: ReplicaSet): number[] {
  return set.replicas.filter((id) => !set.removing.includes(id));
}

export function isReassigning(set: ReplicaSet): boolean {
  return set.adding.length > 0 || set.removing.length > 0;
}

/** Starts (or replaces) a reassignment towards `target`, relative to the original replicas. */
export function planReassignment(current: ReplicaSet, target: readonly number[]): ReplicaSet {
  const original = originalReplicas(current);
  const replicas = [...new Set([...target, ...original])];
  return { replicas, adding: target.filter((id) => !original.includes(id)), removing: original.filter((id) => !target.includes(id)) };
}

/** The assignment once the reassignment is over: the target alone. */
export function completedReassignment(current: ReplicaSet): ReplicaSet {
  return { replicas: targetReplicas(current), adding: [], removing: [] };
}

/** Cancelling goes back to the original replicas. */
export function cancelledReassignment(current: ReplicaSet): ReplicaSet {
  return { replicas: originalReplicas(current), adding: [], removing: [] };
}

/** Why a target replica list is refused (Kafka's INVALID_REPLICA_ASSIGNMENT cases), or undefined. */
export function invalidTarget(target: readonly number[], registered: (id: number) => boolean): string | undefined {
  if (target.length === 0) return 'The replica list must not be empty.';
  if (new Set(target).size !== target.length) return `The replica list ${JSON.stringify(target)} contains duplicates.`;
  const unknown = target.filter((id) => !Number.isInteger(id) || id < 0 || !registered(id));
  if (unknown.length > 0) return `Unknown broker ids in the replica list: ${unknown.join(', ')}.`;
  return undefined;
}
