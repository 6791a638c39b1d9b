/**
 * Kafka's four partition leader election strategies (PartitionLeaderElectionAlgorithms),
 * as pure functions of the assignment, the ISR and who is alive. Each answers the new
 * leader and ISR, or undefined when no replica is eligible. Replicas are tried in
 * assignment order, so the preferred replica (the first) wins whenever it may.
 */
export interface ElectionResult {
  readonly leader: number;
  readonly isr: readonly number[];
  /** Elected from outside the ISR: records acknowledged by the old ISR may be lost. */
  readonly unclean: boolean;
}

/**
 * A partition without a live leader: the first live ISR replica; failing that, with
 * unclean.leader.election.enable, the first live replica at all (its log becomes the
 * truth, and the ISR restarts as just that replica).
 */
export function offlinePartitionLeader(
  assignment: readonly number[],
  isr: readonly number[],
  isLive: (brokerId: number) => boolean,
  uncleanEnabled: boolean,
): ElectionResult | undefined {
  const liveIsr = isr.filter(isLive);
  const clean = assignment.find((id) => isLive(id) && isr.includes(id));
  if (clean !== undefined) return { leader: clean, isr: liveIsr, unclean: false };
  if (!uncleanEnabled) return undefined;
  const unclean = assignment.find(isLive);
  return unclean === undefined ? undefined : { leader: unclean, isr: [unclean], unclean: true };
}

/** Reassignment: the first replica of the target list that is alive and in sync. */
export function reassignPartitionLeader(
  target: readonly number[],
  isr: readonly number[],
  isLive: (brokerId: number) => boolean,
): ElectionResult | undefined {
  const leader = target.find((id) => isLive(id) && isr.includes(id));
  return leader === undefined ? undefined : { leader, isr, unclean: false };
}

/** Preferred replica election: the first assigned replica, only when it is alive and in sync. */
export function preferredReplicaLeader(
  assignment: readonly number[],
  isr: readonly number[],
  isLive: (brokerId: number) => boolean,
): ElectionResult | undefined {
  const preferred = assignment[0];
  if (preferred === undefined || !isLive(preferred) || !isr.includes(preferred)) return undefined;
  return { leader: preferred, isr, unclean: false };
}

/**
 * Controlled shutdown: the first live ISR replica that is not shutting down; the brokers
 * shutting down leave the ISR at the same time, so acks=all stops waiting for them.
 */
export function controlledShutdownLeader(
  assignment: readonly number[],
  isr: readonly number[],
  isLive: (brokerId: number) => boolean,
  shuttingDown: ReadonlySet<number>,
): ElectionResult | undefined {
  const leader = assignment.find((id) => isLive(id) && isr.includes(id) && !shuttingDown.has(id));
  if (leader === undefined) return undefined;
  return { leader, isr: isr.filter((id) => !shuttingDown.has(id)), unclean: false };
}
