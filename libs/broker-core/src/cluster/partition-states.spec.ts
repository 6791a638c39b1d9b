import { describe, expect, it } from '@jest/globals';
import { controlledShutdownLeader, offlinePartitionLeader, preferredReplicaLeader, reassignPartitionLeader } from './leader-election.js';
import { electPreferred, electUnclean, reconcileMembership, type Liveness, type PartitionView } from './partition-states.js';

const live = (...ids: number[]): Liveness => ({ isLive: (id) => ids.includes(id), shuttingDown: new Set() });
const view = (replicas: number[], leader: number, isr: number[], uncleanEnabled = false): PartitionView => ({
  topic: 't', partition: 0, replicas, state: { controllerEpoch: 1, leader, leaderEpoch: 4, isr }, version: 7, uncleanEnabled,
});

describe('leader election strategies', () => {
  it.each([
    // assignment, isr, live, unclean → leader, isr, unclean
    [[1, 2, 3], [1, 2, 3], [2, 3], false, { leader: 2, isr: [2, 3], unclean: false }],
    [[1, 2, 3], [3, 1], [1, 3], false, { leader: 1, isr: [3, 1], unclean: false }],
    [[1, 2, 3], [1], [2, 3], false, undefined],
    [[1, 2, 3], [1], [3, 2], true, { leader: 2, isr: [2], unclean: true }],
    [[1, 2, 3], [1], [], true, undefined],
  ])('offline: assignment %j, ISR %j, live %j, unclean %j', (assignment, isr, liveIds, unclean, expected) => {
    expect(offlinePartitionLeader(assignment, isr, (id) => liveIds.includes(id), unclean)).toEqual(expected);
  });

  it('reassignment takes the first live in-sync replica of the target', () => {
    expect(reassignPartitionLeader([4, 5], [1, 5, 4], (id) => id !== 4)).toEqual({ leader: 5, isr: [1, 5, 4], unclean: false });
    expect(reassignPartitionLeader([4, 5], [1], () => true)).toBeUndefined();
  });

  it('preferred election only elects the first replica, alive and in sync', () => {
    expect(preferredReplicaLeader([2, 1], [1, 2], () => true)).toEqual({ leader: 2, isr: [1, 2], unclean: false });
    expect(preferredReplicaLeader([2, 1], [1], () => true)).toBeUndefined();
    expect(preferredReplicaLeader([2, 1], [1, 2], (id) => id !== 2)).toBeUndefined();
  });

  it('controlled shutdown moves away from the brokers shutting down and drops them from the ISR', () => {
    expect(controlledShutdownLeader([1, 2, 3], [1, 2, 3], () => true, new Set([1]))).toEqual({ leader: 2, isr: [2, 3], unclean: false });
    expect(controlledShutdownLeader([1], [1], () => true, new Set([1]))).toBeUndefined();
  });
});

describe('the controller state machine for membership changes', () => {
  it('elects a new leader with a bumped epoch when the leader died', () => {
    const c = reconcileMembership(view([1, 2, 3], 1, [1, 2, 3]), live(2, 3), 9);
    expect(c?.next).toEqual({ controllerEpoch: 9, leader: 2, leaderEpoch: 5, isr: [2, 3] });
    expect(c?.unclean).toBe(false);
  });

  it('leaves a partition leaderless, keeping its last in-sync replica, when nobody eligible lives', () => {
    expect(reconcileMembership(view([1, 2], 1, [1]), live(2), 9)?.next).toEqual({ controllerEpoch: 9, leader: -1, leaderEpoch: 5, isr: [1] });
    // Already leaderless: nothing to write until someone eligible returns.
    expect(reconcileMembership(view([1, 2], -1, [1]), live(2), 9)).toBeUndefined();
    expect(reconcileMembership(view([1, 2], -1, [1]), live(1, 2), 9)?.next).toMatchObject({ leader: 1, isr: [1] });
  });

  it('elects outside the ISR only when unclean election is enabled, and says so', () => {
    expect(reconcileMembership(view([1, 2], -1, [1], true), live(2), 9)).toMatchObject({ unclean: true, next: { leader: 2, isr: [2] } });
  });

  it('drops dead and shutting-down followers from the ISR, and moves a shutting-down leader', () => {
    expect(reconcileMembership(view([1, 2, 3], 1, [1, 2, 3]), live(1, 2), 9)?.next.isr).toEqual([1, 2]);
    const shutting: Liveness = { isLive: () => true, shuttingDown: new Set([1]) };
    expect(reconcileMembership(view([1, 2, 3], 1, [1, 2, 3]), shutting, 9)?.next).toMatchObject({ leader: 2, isr: [2, 3] });
    expect(reconcileMembership(view([1, 2, 3], 1, [1, 2, 3]), live(1, 2, 3), 9)).toBeUndefined();
  });

  it('preferred and unclean elections on request', () => {
    expect(electPreferred(view([2, 1], 1, [1, 2]), live(1, 2), 9)?.next).toMatchObject({ leader: 2, leaderEpoch: 5 });
    expect(electPreferred(view([2, 1], 2, [1, 2]), live(1, 2), 9)).toBeUndefined();
    expect(electUnclean(view([1, 2], -1, [1]), live(2), 9)).toMatchObject({ unclean: true, next: { leader: 2 } });
    expect(electUnclean(view([1, 2], 1, [1]), live(1, 2), 9)).toBeUndefined();
  });
});
