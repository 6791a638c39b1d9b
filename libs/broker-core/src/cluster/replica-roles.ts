import type { BrokerEvents } from '../broker/broker-events.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import type { LogDirs } from '../broker/log-dirs.js';
import type { Partition } from '../broker/partition.js';
import { PeriodicTask } from '../broker/periodic-task.js';
import type { ReplicaManager } from '../broker/replica-manager.js';
import type { PartitionChange, TopicTable } from '../broker/topic-table.js';
import type { Time } from '../time.js';
import type { Timer } from '../timer/system-timer.js';
import type { FollowerReplica } from './follower-replica.js';
import type { IsrUpdater } from './isr-updater.js';

/** The replica fetcher as the broker drives it (ReplicaFetcherManager). */
export interface FetcherControl {
  addPartitions(leaderId: number, replicas: FollowerReplica[]): void;
  removePartitions(refs: readonly { topic: string; partition: number }[]): void;
  close(): Promise<void>;
}

export interface ReplicaRolesContext {
  readonly brokerId: number;
  readonly table: TopicTable;
  readonly replicas: ReplicaManager;
  readonly fetchers: FetcherControl;
  readonly isr: IsrUpdater;
  readonly logDirs: LogDirs;
  readonly events: BrokerEvents;
  readonly timer: Timer;
  readonly time: Time;
  readonly logger: BrokerLogger;
  readonly replicaLagTimeMaxMs: number;
  /**
   * Told, after each batch of changes, which partitions this broker now leads or stopped
   * leading (follows, lost its replica, topic gone): the group coordinator loads and
   * unloads `__consumer_offsets` partitions from it (Kafka's onLeadershipChange).
   */
  readonly onLeadership?: (changes: readonly { partition: Partition; leading: boolean }[]) => void;
}

/**
 * What this broker does when the registry says its part in a partition changed (the
 * work Kafka's ReplicaManager.becomeLeaderOrFollower and stopReplicas do on a
 * LeaderAndIsr or StopReplica request):
 * - became leader: stop fetching it; followers are tracked afresh; waiting requests re-check.
 * - became follower (or a new epoch under another leader): (re)start fetching from the
 *   leader, which truncates first (KIP-101); waiting produces answer NOT_LEADER_OR_FOLLOWER.
 * - ISR changed under the same leader: the HW may move.
 * - replica removed from this broker (reassignment, deletion): stop fetching, close and
 *   delete the log.
 * Leaders also run Kafka's ISR maintenance: a follower caught up to the HW joins the ISR
 * after its fetch; every replica.lag.time.max.ms / 2 followers that fell behind for
 * longer than replica.lag.time.max.ms leave it.
 */
export class ReplicaRoles {
  private readonly isrShrink: PeriodicTask;

  constructor(private readonly ctx: ReplicaRolesContext) {
    ctx.replicas.onFollowerFetch = (partition) => this.maybeExpandIsr(partition);
    this.isrShrink = new PeriodicTask('ISR shrink check', ctx.timer, Math.max(1, Math.floor(ctx.replicaLagTimeMaxMs / 2)),
      () => this.maybeShrinkIsrs(), ctx.logger);
  }

  start(): void {
    this.isrShrink.start();
  }

  apply(changes: readonly PartitionChange[]): void {
    const { fetchers, replicas, events } = this.ctx;
    const stopFetching: { topic: string; partition: number }[] = [];
    const follow = new Map<number, Partition[]>();
    for (const { partition, role, detachedLog } of changes) {
      if (detachedLog !== undefined) {
        stopFetching.push(partition);
        this.deleteReplica(partition, detachedLog);
      } else if (role === 'became-leader') {
        stopFetching.push(partition);
        partition.maybeIncrementHighWatermark();
      } else if (role === 'became-follower') {
        stopFetching.push(partition);
        if (partition.leader >= 0) follow.set(partition.leader, [...(follow.get(partition.leader) ?? []), partition]);
      } else if (partition.maybeIncrementHighWatermark()) {
        replicas.highWatermarkMoved(partition);
      }
      replicas.partitionChanged(partition.topic, partition.partition);
      events.emit({ type: 'partition-changed', topic: partition.topic, partition: partition.partition, leader: partition.leader, isr: partition.isr });
    }
    if (stopFetching.length > 0) fetchers.removePartitions(stopFetching);
    for (const [leader, partitions] of follow) fetchers.addPartitions(leader, partitions);
    this.ctx.onLeadership?.(changes.map(({ partition, detachedLog }) => ({ partition, leading: detachedLog === undefined && partition.isLeader })));
  }

  /** Called when a topic left the table: stop fetching its partitions (their logs are closed by the caller). */
  forget(partitions: readonly Partition[]): void {
    if (partitions.length > 0) this.ctx.fetchers.removePartitions(partitions);
    if (partitions.length > 0) this.ctx.onLeadership?.(partitions.map((partition) => ({ partition, leading: false })));
  }

  private deleteReplica(partition: Partition, log: NonNullable<Partition['log']>): void {
    const { logDirs, logger } = this.ctx;
    logger.info(`broker ${this.ctx.brokerId} no longer hosts a replica of ${partition.key}: deleting its log`);
    log.close().then(
      () => logDirs.removePartition(partition.topic, partition.partition),
      (err: unknown) => logger.error(`closing the log of ${partition.key} failed`, err),
    );
  }

  private maybeExpandIsr(partition: Partition): void {
    const follower = partition.followerToAddToIsr();
    if (follower !== undefined) {
      this.ctx.logger.info(`follower ${follower} of ${partition.key} caught up; adding it to the ISR`);
      this.ctx.isr.expand(partition, follower);
    }
  }

  private maybeShrinkIsrs(): void {
    const { table, time, replicaLagTimeMaxMs, brokerId } = this.ctx;
    const nowMs = time.milliseconds();
    for (const topic of table.all()) {
      for (const partition of topic.partitions) {
        if (!partition.isLeader || partition.isr.length <= 1) continue;
        const out = partition.remotes.outOfSync(partition.isr, brokerId, Number(partition.logEndOffset), nowMs, replicaLagTimeMaxMs);
        if (out.length > 0) this.ctx.isr.shrink(partition, out);
      }
    }
  }

  /** An ISR write of ours landed: the HW may move now (a shrink), and listeners hear of it. */
  isrChanged(partition: Partition): void {
    if (partition.maybeIncrementHighWatermark()) this.ctx.replicas.highWatermarkMoved(partition);
    this.ctx.replicas.partitionChanged(partition.topic, partition.partition);
    this.ctx.events.emit({ type: 'partition-changed', topic: partition.topic, partition: partition.partition, leader: partition.leader, isr: partition.isr });
  }

  async close(): Promise<void> {
    await this.isrShrink.stop();
  }
}
