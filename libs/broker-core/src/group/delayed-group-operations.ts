import { DelayedOperation } from '../timer/delayed-operation.js';
import type { DelayedOperationPurgatory } from '../timer/delayed-operation-purgatory.js';
import type { GroupMetadata } from './group-metadata.js';

/**
 * The group coordinator's waits on the timing wheel (Kafka's DelayedJoin,
 * InitialDelayedJoin, DelayedSync and DelayedHeartbeat). Each defers to the coordinator's
 * state machine (`RebalanceHooks`) to decide whether it can complete and what happens
 * when it does or expires; the operations themselves only carry the group and timeout.
 *
 * Watch keys: `joinKey(group)` and `syncKey(group)` in the rebalance purgatory,
 * `memberKey(group, member)` in the heartbeat purgatory. Checked by the coordinator when a
 * member joins, leaves, syncs or heartbeats.
 */
export interface RebalanceHooks {
  tryCompleteJoin(group: GroupMetadata, complete: () => boolean): boolean;
  onCompleteJoin(group: GroupMetadata): void;
  tryCompletePendingSync(group: GroupMetadata, generationId: number, complete: () => boolean): boolean;
  onExpirePendingSync(group: GroupMetadata, generationId: number): void;
  tryCompleteHeartbeat(group: GroupMetadata, memberId: string, isPending: boolean, complete: () => boolean): boolean;
  onExpireHeartbeat(group: GroupMetadata, memberId: string, isPending: boolean): void;
}

export const joinKey = (groupId: string): string => `join\u0000${groupId}`;
export const syncKey = (groupId: string): string => `sync\u0000${groupId}`;
export const memberKey = (groupId: string, memberId: string): string => `${groupId}\u0000${memberId}`;

/** PreparingRebalance: completes once every known member has rejoined, or when the rebalance timeout passes. */
export class DelayedJoin extends DelayedOperation {
  constructor(protected readonly hooks: RebalanceHooks, protected readonly group: GroupMetadata, rebalanceTimeoutMs: number) {
    super(rebalanceTimeoutMs);
  }

  tryComplete(): boolean {
    return this.hooks.tryCompleteJoin(this.group, () => this.forceComplete());
  }

  onComplete(): void {
    this.hooks.onCompleteJoin(this.group);
  }

  onExpiration(): void {
    // Members that did not rejoin were removed in onCompleteJoin.
  }
}

/**
 * The first rebalance of an empty group waits group.initial.rebalance.delay.ms, and again
 * (up to the rebalance timeout in total) each time a new member joined meanwhile, so a
 * group whose consumers start together settles in one generation instead of several.
 * It never completes early.
 */
export class InitialDelayedJoin extends DelayedJoin {
  constructor(
    hooks: RebalanceHooks,
    private readonly purgatory: DelayedOperationPurgatory<DelayedOperation>,
    group: GroupMetadata,
    private readonly configuredDelayMs: number,
    private readonly thisDelayMs: number,
    private readonly remainingMs: number,
  ) {
    super(hooks, group, thisDelayMs);
  }

  override tryComplete(): boolean {
    return false;
  }

  override onComplete(): void {
    if (this.group.newMemberAdded && this.remainingMs !== 0) {
      this.group.newMemberAdded = false;
      const delayMs = Math.min(this.configuredDelayMs, this.remainingMs);
      const remainingMs = Math.max(this.remainingMs - this.thisDelayMs, 0);
      const next = new InitialDelayedJoin(this.hooks, this.purgatory, this.group, this.configuredDelayMs, delayMs, remainingMs);
      this.purgatory.tryCompleteElseWatch(next, [joinKey(this.group.groupId)]);
    } else {
      super.onComplete();
    }
  }
}

/** CompletingRebalance (and Stable): members that do not send their SyncGroup within the rebalance timeout are removed. */
export class DelayedSync extends DelayedOperation {
  constructor(private readonly hooks: RebalanceHooks, private readonly group: GroupMetadata, private readonly generationId: number, rebalanceTimeoutMs: number) {
    super(rebalanceTimeoutMs);
  }

  tryComplete(): boolean {
    return this.hooks.tryCompletePendingSync(this.group, this.generationId, () => this.forceComplete());
  }

  onComplete(): void {}

  onExpiration(): void {
    this.hooks.onExpirePendingSync(this.group, this.generationId);
  }
}

/** A member's session: completed by each heartbeat (and replaced by the next expectation); on expiry the member is removed. */
export class DelayedHeartbeat extends DelayedOperation {
  constructor(
    private readonly hooks: RebalanceHooks,
    private readonly group: GroupMetadata,
    private readonly memberId: string,
    private readonly pendingMember: boolean,
    timeoutMs: number,
  ) {
    super(timeoutMs);
  }

  tryComplete(): boolean {
    return this.hooks.tryCompleteHeartbeat(this.group, this.memberId, this.pendingMember, () => this.forceComplete());
  }

  onComplete(): void {}

  onExpiration(): void {
    this.hooks.onExpireHeartbeat(this.group, this.memberId, this.pendingMember);
  }
}
