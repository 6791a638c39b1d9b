/**
 * The states of a classic group (Kafka's GroupState), by the names DescribeGroups and
 * ListGroups report:
 * - Empty: no members; the group may still hold committed offsets (a "simple" consumer
 *   group only ever commits). A JoinGroup moves it to PreparingRebalance; once its last
 *   offsets expire, or it is deleted, it is Dead.
 * - PreparingRebalance: JoinGroups wait until every known member has rejoined or the
 *   rebalance timeout passes (from Empty, first the initial rebalance delay).
 * - CompletingRebalance: the new generation is chosen; SyncGroups wait for the leader's
 *   assignment.
 * - Stable: the assignment was stored and handed out; heartbeats keep sessions alive.
 * - Dead: the group is gone (deleted, expired, or its offsets partition moved away).
 */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export const GROUP_STATES: readonly GroupState[] = ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'];

/** The states each state may be entered from. */
const VALID_PREVIOUS: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  Empty: ['PreparingRebalance'],
};

export function canTransition(from: GroupState, to: GroupState): boolean {
  return VALID_PREVIOUS[to].includes(from);
}

/** The state named (case-insensitively, as ListGroups' states filter compares), if any. */
export function parseGroupState(name: string): GroupState | undefined {
  const lower = name.toLowerCase();
  return GROUP_STATES.find((s) => s.toLowerCase() === lower);
}
