import type { BrokerLogger } from '../broker/broker-options.js';
import type { Partition } from '../broker/partition.js';
import { KAFKA_ERRORS } from '../errors.js';
import type { Time } from '../time.js';
import type { Scheduler } from '../timer/scheduler.js';
import { CONSUMER_OFFSETS_TOPIC } from './consumer-offsets-record.js';
import { emptyLoadedPartition, PartitionLoad, type LoadedPartition } from './group-loader.js';
import type { GroupMembership } from './group-membership.js';
import { GroupMetadata } from './group-metadata.js';
import type { OffsetsTopic } from './offsets-topic.js';

/** Which requests accept an empty group id (Kafka allows it where only offsets or descriptions are involved). */
export type GroupOperation = 'membership' | 'offsets' | 'describe';

/** A change of this broker's part in a partition, as ReplicaRoles reports it. */
export interface LeadershipChange {
  readonly partition: Partition;
  /** Leads it now (false: follows it, no longer hosts it, or the topic is gone). */
  readonly leading: boolean;
}

export interface GroupCacheContext {
  readonly topic: OffsetsTopic;
  readonly membership: GroupMembership;
  readonly time: Time;
  readonly scheduler: Scheduler;
  readonly logger: BrokerLogger;
  /** offsets.load.buffer.size */
  readonly loadBufferBytes: number;
  /** A group came in from its partition's log (after the membership heard of it). */
  readonly onGroupLoaded?: (group: GroupMetadata) => void;
}

/**
 * The groups this broker coordinates (Kafka's GroupMetadataManager's cache and partition
 * ownership): the groups of every `__consumer_offsets` partition it leads, loaded from
 * that partition when leadership arrives and dropped when it leaves.
 *
 * Invariants: a group is in the cache only if its partition is owned (loaded); while a
 * partition loads, its groups answer COORDINATOR_LOAD_IN_PROGRESS, and once it is no
 * longer led here, NOT_COORDINATOR. Unloaded groups become Dead, which answers whoever
 * still holds them (parked joins and syncs hear NOT_COORDINATOR). Work that must see a
 * partition's groups (a transaction's completion) waits for its load (`whenLoaded`).
 */
export class GroupCache {
  private readonly groups = new Map<string, GroupMetadata>();
  private readonly owned = new Set<number>();
  private readonly loads = new Map<number, PartitionLoad>();
  /** Work waiting for a partition's load to finish. */
  private readonly afterLoad = new Map<number, (() => void)[]>();
  private active = true;

  constructor(private readonly ctx: GroupCacheContext) {}

  /** Kafka's validateGroupStatus: the error to answer for this group here, or undefined. */
  validate(groupId: string, operation: GroupOperation): number | undefined {
    if (groupId === '' && operation === 'membership') return KAFKA_ERRORS.INVALID_GROUP_ID.code;
    if (!this.active) return KAFKA_ERRORS.COORDINATOR_NOT_AVAILABLE.code;
    const partition = this.ctx.topic.partitionFor(groupId);
    if (this.loads.has(partition)) return KAFKA_ERRORS.COORDINATOR_LOAD_IN_PROGRESS.code;
    if (!this.owned.has(partition)) return KAFKA_ERRORS.NOT_COORDINATOR.code;
    return undefined;
  }

  get isActive(): boolean { return this.active; }
  get isLoading(): boolean { return this.loads.size > 0; }
  get(groupId: string): GroupMetadata | undefined { return this.groups.get(groupId); }
  all(): GroupMetadata[] { return [...this.groups.values()]; }

  /** The group, created Empty if this coordinator does not have it (a first join or a simple commit). */
  getOrCreate(groupId: string): GroupMetadata {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = new GroupMetadata(groupId, 'Empty', this.ctx.time);
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** Whether this broker coordinates (has loaded) the offsets partition. */
  owns(partition: number): boolean { return this.owned.has(partition); }

  /**
   * Runs `work` once the offsets partition is loaded: now if it is, after the load if it
   * is loading, never if it is not led here.
   */
  whenLoaded(partition: number, work: () => void): void {
    if (this.owned.has(partition)) work();
    else if (this.loads.has(partition)) {
      let queue = this.afterLoad.get(partition);
      if (queue === undefined) this.afterLoad.set(partition, (queue = []));
      queue.push(work);
    }
  }

  /** Drops a Dead group from the cache if it is still the one cached; returns whether it was. */
  removeIfCached(group: GroupMetadata): boolean {
    if (this.groups.get(group.groupId) !== group) return false;
    this.groups.delete(group.groupId);
    return true;
  }

  /** ReplicaRoles moved this broker's part in some partitions: offsets partitions are loaded or unloaded. */
  onLeadership(changes: readonly LeadershipChange[]): void {
    for (const { partition, leading } of changes) {
      if (partition.topic !== CONSUMER_OFFSETS_TOPIC) continue;
      if (leading && this.active) this.becomeLeader(partition);
      else this.resign(partition.partition);
    }
  }

  private becomeLeader(partition: Partition): void {
    const p = partition.partition;
    if (this.owned.has(p) || this.loads.has(p) || partition.log === undefined) return;
    const load = new PartitionLoad({
      log: partition.log, partition: p, bufferBytes: this.ctx.loadBufferBytes, scheduler: this.ctx.scheduler, logger: this.ctx.logger,
      onLoaded: (loaded) => this.finishLoad(p, load, loaded),
      onFailed: (err) => {
        // As Kafka: the partition is served anyway, without what could not be read.
        this.ctx.logger.error(`loading ${CONSUMER_OFFSETS_TOPIC}-${p} failed; its groups start empty`, err);
        this.finishLoad(p, load, emptyLoadedPartition());
      },
    });
    this.loads.set(p, load);
    load.start();
  }

  private finishLoad(p: number, load: PartitionLoad, loaded: LoadedPartition): void {
    if (this.loads.get(p) !== load) return;
    this.loads.delete(p);
    this.owned.add(p);
    let count = 0;
    for (const [groupId, value] of loaded.groups) {
      this.install(GroupMetadata.restore(groupId, value, this.ctx.time), loaded);
      count++;
    }
    // Groups that only commit offsets (no membership) have no metadata record.
    const committing = new Set(loaded.offsets.keys());
    for (const byGroup of loaded.pendingTxnOffsets.values()) for (const groupId of byGroup.keys()) committing.add(groupId);
    for (const groupId of committing) {
      if (loaded.groups.has(groupId) || this.groups.has(groupId)) continue;
      const group = new GroupMetadata(groupId, 'Empty', this.ctx.time);
      this.install(group, loaded);
      if (!group.offsets.hasOffsets) this.groups.delete(groupId);
      else count++;
    }
    if (count > 0) this.ctx.logger.info(`loaded ${count} group(s) from ${CONSUMER_OFFSETS_TOPIC}-${p}`);
    const waiting = this.afterLoad.get(p) ?? [];
    this.afterLoad.delete(p);
    for (const work of waiting) work();
  }

  private install(group: GroupMetadata, loaded: LoadedPartition): void {
    if (this.groups.has(group.groupId)) {
      this.ctx.logger.warn(`group ${group.groupId} is already cached; the copy loaded from the log is ignored`);
      return;
    }
    const { groupId } = group;
    for (const [topic, partitions] of loaded.offsets.get(groupId) ?? []) {
      for (const [partition, committed] of partitions) group.offsets.load(topic, partition, committed);
    }
    for (const [producerId, byGroup] of loaded.pendingTxnOffsets) {
      for (const [topic, partitions] of byGroup.get(groupId) ?? []) {
        for (const [partition, committed] of partitions) group.offsets.loadTxn(producerId, topic, partition, committed);
      }
    }
    if (loaded.transactionalGroups.has(groupId)) group.offsets.markTransactional();
    this.groups.set(groupId, group);
    this.ctx.membership.onGroupLoaded(group);
    this.ctx.onGroupLoaded?.(group);
  }

  private resign(p: number): void {
    const load = this.loads.get(p);
    if (load !== undefined) {
      load.cancel();
      this.loads.delete(p);
    }
    this.afterLoad.delete(p);
    if (!this.owned.delete(p)) return;
    let count = 0;
    for (const group of [...this.groups.values()]) {
      if (this.ctx.topic.partitionFor(group.groupId) !== p) continue;
      this.groups.delete(group.groupId);
      this.ctx.membership.onGroupUnloaded(group);
      count++;
    }
    if (count > 0) this.ctx.logger.info(`no longer the group coordinator for ${CONSUMER_OFFSETS_TOPIC}-${p}; unloaded ${count} group(s)`);
  }

  /** The broker stops: every group is unloaded (waiting members hear NOT_COORDINATOR), nothing loads any more. */
  close(): void {
    this.active = false;
    for (const p of [...this.loads.keys(), ...this.owned]) this.resign(p);
  }
}
