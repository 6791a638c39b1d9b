import type { BrokerDefaults, BrokerLogger } from '../broker/broker-options.js';
import { PeriodicTask } from '../broker/periodic-task.js';
import { readTopic } from '../broker/topic-znodes.js';
import {
  KafkaPaths, PartitionStateZNode, PreferredReplicaElectionZNode, ReassignPartitionsZNode, TopicZNode, type ReassignmentRequest,
} from '../registry/kafka-znodes.js';
import { isRegistryError } from '../registry/registry-error.js';
import type { Registry } from '../registry/registry.js';
import { SerialQueue } from '../registry/serial-queue.js';
import { Ops, type Op, type WatchedEvent } from '../registry/types.js';
import type { Timer } from '../timer/system-timer.js';
import { liveTopics, partitionView, partitionViews, readLiveness } from './controller-view.js';
import { reassignPartitionLeader } from './leader-election.js';
import { change, electPreferred, electUnclean, reconcileMembership, type StateChange } from './partition-states.js';
import { cancelledReassignment, completedReassignment, isReassigning, planReassignment, targetReplicas, type ReplicaSet } from './reassignment.js';

export interface ControllerContext {
  readonly registry: Registry;
  readonly timer: Timer;
  readonly logger: BrokerLogger;
  readonly brokerId: number;
  readonly defaults: BrokerDefaults;
  /** A write found /controller_epoch moved on: another broker is controller; this one stops. */
  readonly onFenced: () => void;
}

const MAX_OPS_PER_MULTI = 500;

/**
 * The cluster controller (Kafka's KafkaController in ZooKeeper mode), active in the one
 * broker that holds /controller. It reacts to registry watches, one event at a time in
 * a queue: broker registrations come and go (elect leaders for partitions that lost
 * theirs, drop dead followers from ISRs), topic config changes (enabling
 * unclean.leader.election.enable elects for partitions left offline), controlled shutdown requests, preferred and
 * unclean election requests, partition reassignments (and their progress, through the
 * states of the partitions being moved), and periodically rebalances leadership back to
 * preferred replicas (auto.leader.rebalance.enable).
 *
 * Fencing: every write is a multi that first checks /controller_epoch at the version
 * this controller created it with. Once another broker has been elected the check fails,
 * nothing of the multi is applied, and this controller deactivates: a controller that
 * was paused and resumes cannot change partition state.
 *
 * Brokers learn its decisions through the same znodes (see MetadataSync, ADR 007).
 */
export class Controller {
  private readonly queue = new SerialQueue();
  private readonly rebalance: PeriodicTask | undefined;
  private activeValue = true;

  constructor(private readonly ctx: ControllerContext, readonly epoch: number, private readonly epochZkVersion: number) {
    if (ctx.defaults.autoLeaderRebalanceEnable) {
      this.rebalance = new PeriodicTask('leader rebalance', ctx.timer, ctx.defaults.leaderImbalanceCheckIntervalMs,
        () => this.enqueue('leader rebalance', () => this.rebalanceLeaders()), ctx.logger);
    }
  }

  get active(): boolean { return this.activeValue; }

  /** Kafka's onControllerFailover: watch everything, then settle what happened while nobody was controller. */
  start(): void {
    const { registry } = this.ctx;
    registry.getChildren(KafkaPaths.brokerIds, this.membershipWatcher);
    registry.getChildren(KafkaPaths.controlledShutdown, this.membershipWatcher);
    // A topic config change (Kafka's /config/changes notifications) may enable unclean election.
    registry.getChildren(KafkaPaths.configChanges, this.membershipWatcher);
    this.enqueue('failover', async () => {
      await this.reconcileMembership();
      await this.processElectionRequest();
      await this.processReassignmentRequest();
      // Reassignments a previous controller left running, and partitions whose ISR or leader a
      // cancelled one left outside the assignment: picked from the records read once.
      for (const record of liveTopics(registry)) {
        for (const [p, replicas] of record.assignment) {
          const state = record.states.get(p)?.state;
          const moving = (record.addingReplicas.get(p)?.length ?? 0) > 0 || (record.removingReplicas.get(p)?.length ?? 0) > 0;
          const stray = state !== undefined && (state.isr.some((id) => !replicas.includes(id)) || (state.leader >= 0 && !replicas.includes(state.leader)));
          if (moving || stray) await this.checkReassignment(record.name, p);
        }
      }
    });
    this.rebalance?.start();
  }

  async stop(): Promise<void> {
    this.activeValue = false;
    await this.rebalance?.stop();
    await this.queue.drain();
  }

  /** Runs the work in the controller's queue unless deposed; failures are logged, not thrown. */
  private enqueue(what: string, work: () => Promise<void>): void {
    this.queue.run(async () => {
      if (this.activeValue) await work();
    }).catch((err: unknown) => this.ctx.logger.error(`controller: ${what} failed`, err));
  }

  private readonly membershipWatcher = (event: WatchedEvent): void => {
    if (!this.activeValue) return;
    this.ctx.registry.getChildren(event.path, this.membershipWatcher);
    this.enqueue('broker change', () => this.reconcileMembership());
  };

  private readonly electionWatcher = (): void => {
    if (this.activeValue) this.enqueue('leader election request', () => this.processElectionRequest());
  };

  private readonly reassignmentWatcher = (): void => {
    if (this.activeValue) this.enqueue('reassignment request', () => this.processReassignmentRequest());
  };

  private readonly reassigningStateWatcher = (event: WatchedEvent): void => {
    const match = /^\/brokers\/topics\/([^/]+)\/partitions\/(\d+)\/state$/.exec(event.path);
    if (match === null || !this.activeValue) return;
    const [, topic, partition] = match;
    this.enqueue('reassignment progress', () => this.checkReassignment(topic!, Number(partition)));
  };

  /** Elections and ISR removals after brokers joined, left or asked to shut down. */
  private async reconcileMembership(): Promise<void> {
    const { registry } = this.ctx;
    const live = readLiveness(registry);
    const changes: StateChange[] = [];
    for (const record of liveTopics(registry)) {
      for (const view of partitionViews(record, false)) {
        const c = reconcileMembership(view, live, this.epoch);
        if (c !== undefined) changes.push(c);
      }
    }
    await this.writeStates(changes);
  }

  /** /admin/preferred_replica_election: carry out the elections asked for, then remove the request. */
  private async processElectionRequest(): Promise<void> {
    const { registry } = this.ctx;
    const path = KafkaPaths.preferredReplicaElection;
    if (registry.exists(path, this.electionWatcher) === null) return;
    const { data, stat } = registry.getData(path);
    const live = readLiveness(registry);
    const changes: StateChange[] = [];
    try {
      const request = PreferredReplicaElectionZNode.decode(data);
      for (const ref of request.partitions) {
        const view = partitionView(registry, ref.topic, ref.partition, false);
        if (view === undefined) continue;
        const c = request.electionType === 1 ? electUnclean({ ...view, uncleanEnabled: true }, live, this.epoch) : electPreferred(view, live, this.epoch);
        if (c !== undefined) changes.push(c);
      }
    } catch (err) {
      this.ctx.logger.error('controller: ignoring an unreadable leader election request', err);
    }
    if (await this.writeStates(changes)) await ignore(registry.delete(path, stat.version));
    else this.enqueue('leader election request (again)', () => this.processElectionRequest());
  }

  /** /admin/reassign_partitions: record each reassignment in its topic's znode, then remove the request. */
  private async processReassignmentRequest(): Promise<void> {
    const { registry } = this.ctx;
    const path = KafkaPaths.reassignPartitions;
    if (registry.exists(path, this.reassignmentWatcher) === null) return;
    const { data, stat } = registry.getData(path);
    let requests: ReassignmentRequest[] = [];
    try {
      requests = ReassignPartitionsZNode.decode(data);
    } catch (err) {
      this.ctx.logger.error('controller: ignoring an unreadable reassignment request', err);
    }
    const touched: { topic: string; partition: number }[] = [];
    for (const topic of new Set(requests.map((r) => r.topic))) {
      const record = readTopic(registry, topic);
      if (record === undefined) continue;
      const assignment = new Map(record.assignment);
      const adding = new Map(record.addingReplicas);
      const removing = new Map(record.removingReplicas);
      for (const request of requests.filter((r) => r.topic === topic)) {
        const current: ReplicaSet = {
          replicas: assignment.get(request.partition) ?? [], adding: adding.get(request.partition) ?? [], removing: removing.get(request.partition) ?? [],
        };
        if (current.replicas.length === 0) continue;
        if (request.replicas === null && !isReassigning(current)) continue;
        const next = request.replicas === null ? cancelledReassignment(current) : planReassignment(current, request.replicas);
        setReplicaSet(assignment, adding, removing, request.partition, next);
        touched.push({ topic, partition: request.partition });
        this.ctx.logger.info(`controller: reassigning ${topic}-${request.partition} to [${targetReplicas(next).join(',')}]`);
      }
      const encoded = TopicZNode.encode({ partitions: assignment, addingReplicas: adding, removingReplicas: removing, topicId: record.topicId });
      if (!(await this.write([Ops.setData(KafkaPaths.topic(topic), encoded, record.assignmentVersion)]))) return;
    }
    await ignore(registry.delete(path, stat.version));
    for (const { topic, partition } of touched) await this.checkReassignment(topic, partition);
  }

  /**
   * Moves a reassignment on: once every target replica is in the ISR, leadership moves
   * into the target if needed, the ISR drops the removed replicas and the assignment
   * becomes the target, in one write. Until then the partition's state is watched.
   * Also settles a partition whose assignment no longer holds its leader or ISR members
   * (a cancelled reassignment).
   */
  private async checkReassignment(topic: string, partition: number): Promise<void> {
    const { registry } = this.ctx;
    const record = readTopic(registry, topic);
    const view = record === undefined ? undefined : partitionViews(record, false).find((v) => v.partition === partition);
    if (record === undefined || view === undefined) return;
    const set: ReplicaSet = { replicas: view.replicas, adding: record.addingReplicas.get(partition) ?? [], removing: record.removingReplicas.get(partition) ?? [] };
    const live = readLiveness(registry);
    if (!isReassigning(set)) {
      const stray = view.state.isr.filter((id) => !set.replicas.includes(id));
      if (stray.length === 0 && (view.state.leader < 0 || set.replicas.includes(view.state.leader))) return;
      const isr = view.state.isr.filter((id) => set.replicas.includes(id));
      const elected = set.replicas.includes(view.state.leader) ? { leader: view.state.leader } : reassignPartitionLeader(set.replicas, isr, live.isLive);
      await this.writeStates([change(view, elected?.leader ?? -1, isr, this.epoch, false)]);
      return;
    }
    registry.getData(KafkaPaths.partitionState(topic, partition), this.reassigningStateWatcher);
    const target = targetReplicas(set);
    if (!target.every((id) => view.state.isr.includes(id))) return;
    const leaderStays = target.includes(view.state.leader) && live.isLive(view.state.leader);
    const elected = leaderStays ? { leader: view.state.leader } : reassignPartitionLeader(target, view.state.isr, live.isLive);
    if (elected === undefined) return;
    const isr = view.state.isr.filter((id) => target.includes(id));
    const next = change(view, elected.leader, isr, this.epoch, false);
    const assignment = new Map(record.assignment);
    const adding = new Map(record.addingReplicas);
    const removing = new Map(record.removingReplicas);
    setReplicaSet(assignment, adding, removing, partition, completedReassignment(set));
    const encoded = TopicZNode.encode({ partitions: assignment, addingReplicas: adding, removingReplicas: removing, topicId: record.topicId });
    this.ctx.logger.info(`controller: reassignment of ${topic}-${partition} to [${target.join(',')}] completed`);
    await this.write([Ops.setData(KafkaPaths.topic(topic), encoded, record.assignmentVersion), stateOp(next)]);
  }

  /** auto.leader.rebalance.enable: preferred elections where a broker leads too few of its preferred partitions. */
  private async rebalanceLeaders(): Promise<void> {
    const { registry, defaults } = this.ctx;
    const live = readLiveness(registry);
    const byPreferred = new Map<number, StateChange[]>();
    const counts = new Map<number, number>();
    for (const record of liveTopics(registry)) {
      for (const view of partitionViews(record, false)) {
        const preferred = view.replicas[0];
        if (preferred === undefined || !live.isLive(preferred) || live.shuttingDown.has(preferred)) continue;
        counts.set(preferred, (counts.get(preferred) ?? 0) + 1);
        const c = electPreferred(view, live, this.epoch);
        if (c !== undefined) byPreferred.set(preferred, [...(byPreferred.get(preferred) ?? []), c]);
      }
    }
    const changes: StateChange[] = [];
    for (const [brokerId, moves] of byPreferred) {
      const imbalance = (moves.length * 100) / (counts.get(brokerId) ?? 1);
      if (imbalance > defaults.leaderImbalancePerBrokerPercentage) changes.push(...moves);
    }
    if (changes.length > 0) this.ctx.logger.info(`controller: rebalancing ${changes.length} partition leader(s) to their preferred replicas`);
    await this.writeStates(changes);
  }

  /** Writes the state changes in fenced multis of at most MAX_OPS_PER_MULTI; false if one was refused. */
  private async writeStates(changes: readonly StateChange[]): Promise<boolean> {
    for (const c of changes) {
      if (c.unclean) this.ctx.logger.warn(`controller: unclean leader election for ${c.view.topic}-${c.view.partition}: broker ${c.next.leader} leads without being in sync; acknowledged records may be lost`);
    }
    for (let i = 0; i < changes.length; i += MAX_OPS_PER_MULTI) {
      if (!(await this.write(changes.slice(i, i + MAX_OPS_PER_MULTI).map(stateOp)))) return false;
    }
    return true;
  }

  /**
   * One fenced multi. Returns false when it was refused: fenced (deactivated), or a state
   * changed under us (a leader's ISR write won the race: the membership pass runs again).
   */
  private async write(ops: readonly Op[]): Promise<boolean> {
    if (ops.length === 0) return true;
    const { registry, logger } = this.ctx;
    try {
      await registry.multi([Ops.check(KafkaPaths.controllerEpoch, this.epochZkVersion), ...ops]);
      return true;
    } catch (err) {
      if (!isRegistryError(err, 'BADVERSION') && !isRegistryError(err, 'NONODE')) throw err;
      if ((err as { path?: string }).path === KafkaPaths.controllerEpoch) {
        logger.warn(`controller: broker ${this.ctx.brokerId} was fenced (controller epoch ${this.epoch} is no longer current)`);
        this.activeValue = false;
        this.ctx.onFenced();
        return false;
      }
      logger.info(`controller: a concurrent change refused a write (${(err as Error).message}); deciding again`);
      this.enqueue('retry after a concurrent change', () => this.reconcileMembership());
      return false;
    }
  }
}

function stateOp(c: StateChange): Op {
  return Ops.setData(KafkaPaths.partitionState(c.view.topic, c.view.partition), PartitionStateZNode.encode(c.next), c.view.version);
}

function setReplicaSet(
  assignment: Map<number, readonly number[]>, adding: Map<number, readonly number[]>, removing: Map<number, readonly number[]>,
  partition: number, set: ReplicaSet,
): void {
  assignment.set(partition, set.replicas);
  if (set.adding.length > 0) adding.set(partition, set.adding);
  else adding.delete(partition);
  if (set.removing.length > 0) removing.set(partition, set.removing);
  else removing.delete(partition);
}

async function ignore(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (err) {
    if (!isRegistryError(err, 'BADVERSION') && !isRegistryError(err, 'NONODE')) throw err;
  }
}
