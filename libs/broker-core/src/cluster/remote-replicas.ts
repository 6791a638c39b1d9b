/**
 * What a partition leader knows of each follower (Kafka's Replica / ReplicaState): the
 * log end offset its last fetch reported, and since when it has been caught up. The
 * leader's HW is the minimum LEO over the ISR; ISR membership follows "caught up within
 * replica.lag.time.max.ms".
 *
 * Caught-up time, as Kafka computes it: a fetch at or past the leader's LEO (as it was
 * when the fetch was read) makes the follower caught up now; a fetch at or past the LEO
 * the leader had at the follower's previous fetch makes it caught up as of that previous
 * fetch. Offsets are JS numbers (exact below 2^53, as in the log).
 *
 * Reset when this broker becomes leader (a new epoch): followers' LEOs are unknown (-1)
 * until they fetch, and ISR members count as caught up at that moment so a new leader
 * does not shrink the ISR before followers had a chance to fetch.
 */
export class RemoteReplicaState {
  logEndOffset = -1;
  logStartOffset = -1;
  lastCaughtUpTimeMs = 0;
  lastFetchLeaderLogEndOffset = -1;
  lastFetchTimeMs = 0;
}

export class RemoteReplicas {
  private readonly states = new Map<number, RemoteReplicaState>();

  /** Starts tracking `replicas` other than the local one afresh (becoming leader). */
  reset(replicas: readonly number[], isr: readonly number[], localBrokerId: number, nowMs: number): void {
    this.states.clear();
    for (const id of replicas) {
      if (id === localBrokerId) continue;
      const state = new RemoteReplicaState();
      if (isr.includes(id)) state.lastCaughtUpTimeMs = nowMs;
      this.states.set(id, state);
    }
  }

  /** Adds replicas that joined the assignment (reassignment) and forgets ones that left. */
  track(replicas: readonly number[], localBrokerId: number): void {
    for (const id of replicas) if (id !== localBrokerId && !this.states.has(id)) this.states.set(id, new RemoteReplicaState());
    for (const id of [...this.states.keys()]) if (!replicas.includes(id)) this.states.delete(id);
  }

  clear(): void {
    this.states.clear();
  }

  get(brokerId: number): RemoteReplicaState | undefined {
    return this.states.get(brokerId);
  }

  /** Records a follower fetch; returns false for a broker that is not a replica. */
  updateFetch(brokerId: number, fetchOffset: number, followerStartOffset: number, leaderEndOffset: number, nowMs: number): boolean {
    const s = this.states.get(brokerId);
    if (s === undefined) return false;
    if (fetchOffset >= leaderEndOffset) s.lastCaughtUpTimeMs = Math.max(s.lastCaughtUpTimeMs, nowMs);
    else if (fetchOffset >= s.lastFetchLeaderLogEndOffset) s.lastCaughtUpTimeMs = Math.max(s.lastCaughtUpTimeMs, s.lastFetchTimeMs);
    s.logEndOffset = fetchOffset;
    s.logStartOffset = followerStartOffset;
    s.lastFetchLeaderLogEndOffset = leaderEndOffset;
    s.lastFetchTimeMs = nowMs;
    return true;
  }

  /** min(leader LEO, LEO of every other ISR member); an ISR member never heard from holds it at -1. */
  minIsrLogEndOffset(isr: Iterable<number>, localBrokerId: number, leaderEndOffset: number): number {
    let min = leaderEndOffset;
    for (const id of isr) {
      if (id === localBrokerId) continue;
      const leo = this.states.get(id)?.logEndOffset ?? -1;
      if (leo < min) min = leo;
    }
    return min;
  }

  /** ISR followers that have not caught up within `lagMaxMs` (Kafka's getOutOfSyncReplicas). */
  outOfSync(isr: readonly number[], localBrokerId: number, leaderEndOffset: number, nowMs: number, lagMaxMs: number): number[] {
    const out: number[] = [];
    for (const id of isr) {
      if (id === localBrokerId) continue;
      const s = this.states.get(id);
      if (s === undefined) continue;
      if (s.logEndOffset !== leaderEndOffset && nowMs - s.lastCaughtUpTimeMs > lagMaxMs) out.push(id);
    }
    return out;
  }
}
