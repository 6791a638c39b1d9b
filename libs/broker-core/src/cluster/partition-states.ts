import type { PartitionState } from '../registry/kafka-znodes.js';
import { controlledShutdownLeader, offlinePartitionLeader, preferredReplicaLeader } from './leader-election.js';

/** A partition as the controller decides about it: assignment, state and its znode version. */
export interface PartitionView {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly state: PartitionState;
  readonly version: number;
  readonly uncleanEnabled: boolean;
}

export interface Liveness {
  readonly isLive: (brokerId: number) => boolean;
  readonly shuttingDown: ReadonlySet<number>;
}

/** A state the controller wants written (at `view.version`), and whether it was an unclean election. */
export interface StateChange {
  readonly view: PartitionView;
  readonly next: PartitionState;
  readonly unclean: boolean;
}

/**
 * The controller's partition state machine for membership changes (Kafka's
 * onBrokerFailure / onBrokerStartup / controlled shutdown, through
 * PartitionStateMachine and ReplicaStateMachine):
 * - no leader, or the leader is dead: elect (offline election; unclean when allowed);
 *   when nobody is eligible the partition goes leaderless, its ISR kept as it was when it
 *   is a single replica (Kafka keeps the last ISR member so it can come back cleanly);
 * - the leader is shutting down: move leadership (controlled shutdown election); stays
 *   when no other in-sync replica is alive (an RF=1 partition goes offline at the stop);
 * - followers that died or are shutting down leave the ISR.
 * Every change bumps the leader epoch and carries the controller's epoch, as Kafka's
 * LeaderAndIsr updates do.
 */
export function reconcileMembership(view: PartitionView, live: Liveness, controllerEpoch: number): StateChange | undefined {
  const { state, replicas } = view;
  const { isLive, shuttingDown } = live;
  const leaderUsable = state.leader >= 0 && isLive(state.leader);
  if (!leaderUsable) {
    const elected = offlinePartitionLeader(replicas, state.isr, (id) => isLive(id) && !shuttingDown.has(id), view.uncleanEnabled)
      ?? offlinePartitionLeader(replicas, state.isr, isLive, false);
    if (elected !== undefined) return change(view, elected.leader, elected.isr, controllerEpoch, elected.unclean);
    if (state.leader === -1) return undefined;
    const isr = state.isr.length <= 1 ? state.isr : state.isr.filter((id) => id !== state.leader);
    return change(view, -1, isr, controllerEpoch, false);
  }
  if (shuttingDown.has(state.leader)) {
    const moved = controlledShutdownLeader(replicas, state.isr, isLive, shuttingDown);
    if (moved !== undefined) return change(view, moved.leader, moved.isr, controllerEpoch, false);
  }
  const isr = state.isr.filter((id) => id === state.leader || (isLive(id) && !shuttingDown.has(id)));
  if (isr.length === state.isr.length) return undefined;
  return change(view, state.leader, isr, controllerEpoch, false);
}

/** Preferred replica election for one partition: undefined when not needed or not possible (see `preferredOutcome`). */
export function electPreferred(view: PartitionView, live: Liveness, controllerEpoch: number): StateChange | undefined {
  const { state, replicas } = view;
  if (state.leader === replicas[0]) return undefined;
  const elected = preferredReplicaLeader(replicas, state.isr, (id) => live.isLive(id) && !live.shuttingDown.has(id));
  return elected === undefined ? undefined : change(view, elected.leader, state.isr, controllerEpoch, false);
}

/** Unclean election asked for by an operator (ElectLeaders type 1): only for partitions without a live leader. */
export function electUnclean(view: PartitionView, live: Liveness, controllerEpoch: number): StateChange | undefined {
  const { state, replicas } = view;
  if (state.leader >= 0 && live.isLive(state.leader)) return undefined;
  const elected = offlinePartitionLeader(replicas, state.isr, live.isLive, true);
  return elected === undefined ? undefined : change(view, elected.leader, elected.isr, controllerEpoch, elected.unclean);
}

export function change(view: PartitionView, leader: number, isr: readonly number[], controllerEpoch: number, unclean: boolean): StateChange {
  return { view, unclean, next: { controllerEpoch, leader, leaderEpoch: view.state.leaderEpoch + 1, isr } };
}
