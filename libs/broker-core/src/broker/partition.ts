import { KafkaError } from '../errors.js';
import type { FollowerReplica } from '../cluster/follower-replica.js';
import { RemoteReplicas } from '../cluster/remote-replicas.js';
import type { LogConfig } from '../log/config/log-config.js';
import type { PartitionLog } from '../log/partition/partition-log.js';
import type { AppendOrigin, LogAppendInfo } from '../log/partition/types.js';
import type { PartitionState } from '../registry/kafka-znodes.js';
import type { PartitionDescription } from './broker-api.js';

/** What a state change meant for this broker's replica. */
export type RoleChange = 'became-leader' | 'became-follower' | 'unchanged' | 'none';

/**
 * One partition as this broker sees it (Kafka's cluster/Partition): its assignment and
 * leader/ISR state as last read from the registry, the local log when this broker hosts
 * a replica, and, while it leads, what it knows of its followers.
 *
 * Invariants: `hosted` exactly when this broker is in `replicas` (the topic table
 * attaches and detaches the log). The log is opened lazily: the table attaches an opener,
 * and the first use of `log` opens it (a broker with 100,000 partitions starts without
 * opening any, and a log never used since the start needs nothing written at the stop:
 * its clean-shutdown manifest is still on disk). `openedLog` never opens; what walks
 * every partition (checkpoints, retention, closing) uses it. A leader's epoch is written
 * into its log when the log opens, before any append or read can use it. The HW only moves forward while leading and is the minimum
 * LEO over the "maximal" ISR: the registry's ISR plus a follower whose addition is being
 * written, so a follower counted by a pending expansion is already waited for (the
 * KIP-497 rule). acks=all refuses to append while the registry's ISR is below
 * min.insync.replicas. States are applied only when their znode version is newer.
 *
 * Callers: the topic table (assignment, states), the replica manager (append, read,
 * follower fetches), the replica fetcher (FollowerReplica), all on one event loop.
 */
export class Partition implements FollowerReplica {
  private stateValue: PartitionState;
  private stateVersion: number;
  private replicasValue: readonly number[];
  private addingValue: readonly number[] = [];
  private removingValue: readonly number[] = [];
  private logValue: PartitionLog | undefined;
  /** Set while the replica is hosted and its log not opened yet. */
  private openLogValue: (() => PartitionLog) | undefined;
  /** For an unopened log: the HW checkpointed at the last stop, kept in the next checkpoints. */
  private checkpointedHw: bigint | undefined;
  /** A follower whose addition to the ISR is being written (HW waits for it already). */
  pendingIsrAddition: number | undefined;
  /** Whether an ISR write of this leader is in flight (one at a time). */
  isrWriteInFlight = false;
  readonly remotes = new RemoteReplicas();

  constructor(
    readonly topic: string,
    readonly partition: number,
    replicas: readonly number[],
    state: PartitionState,
    stateVersion: number,
    private readonly localBrokerId: number,
    log: PartitionLog | undefined,
  ) {
    this.replicasValue = replicas;
    this.stateValue = state;
    this.stateVersion = stateVersion;
    this.logValue = log;
  }

  /** Registry key of the partition, also the purgatory watch key. */
  get key(): string { return `${this.topic}-${this.partition}`; }
  get replicas(): readonly number[] { return this.replicasValue; }
  get addingReplicas(): readonly number[] { return this.addingValue; }
  get removingReplicas(): readonly number[] { return this.removingValue; }
  /** The local log, opened now if this is its first use; undefined when not hosted here. */
  get log(): PartitionLog | undefined {
    if (this.logValue === undefined && this.openLogValue !== undefined) this.openNow(this.openLogValue);
    return this.logValue;
  }
  /** The local log if it is open; never opens it. */
  get openedLog(): PartitionLog | undefined { return this.logValue; }
  /** Whether this broker hosts a replica (its log open or not). */
  get hosted(): boolean { return this.logValue !== undefined || this.openLogValue !== undefined; }
  /** The HW to checkpoint: the open log's, or the one read at start for a log not opened since. */
  get checkpointHighWatermark(): bigint | undefined { return this.logValue?.highWatermark ?? (this.openLogValue === undefined ? undefined : this.checkpointedHw); }
  get leader(): number { return this.stateValue.leader; }
  get leaderEpoch(): number { return this.stateValue.leaderEpoch; }
  get isr(): readonly number[] { return this.stateValue.isr; }
  get state(): PartitionState { return this.stateValue; }
  /** The znode version of the state: the compare-and-set every ISR change writes with. */
  get zkVersion(): number { return this.stateVersion; }
  get isLeader(): boolean { return this.stateValue.leader === this.localBrokerId && this.hosted; }
  get highWatermark(): bigint { return this.log?.highWatermark ?? -1n; }
  /** read_committed bound: the HW, or the first offset of the oldest open transaction when lower. */
  get lastStableOffset(): bigint { return this.log?.lastStableOffset ?? -1n; }
  get logStartOffset(): bigint { return this.log?.logStartOffset ?? -1n; }
  get logEndOffset(): bigint { return this.log?.logEndOffset ?? -1n; }

  setAssignment(replicas: readonly number[], adding: readonly number[], removing: readonly number[]): void {
    this.replicasValue = replicas;
    this.addingValue = adding;
    this.removingValue = removing;
    if (this.isLeader) this.remotes.track(replicas, this.localBrokerId);
  }

  attachLog(log: PartitionLog): void {
    this.logValue = log;
  }

  /** Hosts the replica with its log unopened: `open` runs at the log's first use. */
  attachLazyLog(open: () => PartitionLog, checkpointedHighWatermark: bigint | undefined): void {
    this.openLogValue = open;
    this.checkpointedHw = checkpointedHighWatermark;
  }

  /** Opens the log; a failed open (a damaged file, a full disk) throws and leaves the opener for the next use. */
  private openNow(open: () => PartitionLog): void {
    this.logValue = open();
    this.openLogValue = undefined;
    if (this.stateValue.leader !== this.localBrokerId) return;
    this.logValue.assignLeaderEpoch(this.stateValue.leaderEpoch);
    this.maybeIncrementHighWatermark();
  }

  /** Takes the log away (the replica left this broker); returns it for closing, undefined if it was never opened. */
  detachLog(): PartitionLog | undefined {
    const log = this.logValue;
    this.logValue = undefined;
    this.openLogValue = undefined;
    this.remotes.clear();
    return log;
  }

  /**
   * Adopts a state read from the registry when it is newer than ours, and says what it
   * meant: a new leader epoch with this broker as leader makes it (again) the leader, a
   * new epoch led by another makes it a follower of that leader.
   */
  applyState(state: PartitionState, version: number, nowMs: number): RoleChange {
    if (version <= this.stateVersion && version >= 0) return 'unchanged';
    const previous = this.stateValue;
    this.stateValue = state;
    this.stateVersion = version;
    if (this.pendingIsrAddition !== undefined && state.isr.includes(this.pendingIsrAddition)) this.pendingIsrAddition = undefined;
    if (!this.hosted) return 'none';
    const newEpoch = state.leaderEpoch !== previous.leaderEpoch || state.leader !== previous.leader;
    if (!newEpoch) return 'unchanged';
    if (state.leader === this.localBrokerId) {
      this.makeLeader(nowMs);
      return 'became-leader';
    }
    this.remotes.clear();
    this.pendingIsrAddition = undefined;
    return 'became-follower';
  }

  /** Kafka's makeLeader: the new epoch starts at our LEO, followers are tracked afresh. */
  makeLeader(nowMs: number): void {
    // An unopened log gets the epoch when it opens (openNow).
    this.logValue?.assignLeaderEpoch(this.stateValue.leaderEpoch);
    this.remotes.reset(this.replicasValue, this.stateValue.isr, this.localBrokerId, nowMs);
    this.pendingIsrAddition = undefined;
  }

  updateConfig(config: LogConfig): void {
    this.logValue?.updateConfig(config); // an unopened log opens with the topic's config of that time
  }

  /** The leader's log, or NOT_LEADER_OR_FOLLOWER. */
  leaderLog(): PartitionLog {
    if (!this.hosted) throw new KafkaError('NOT_LEADER_OR_FOLLOWER', `broker ${this.localBrokerId} hosts no replica of ${this.key}`);
    if (this.stateValue.leader !== this.localBrokerId) {
      throw new KafkaError('NOT_LEADER_OR_FOLLOWER', `broker ${this.localBrokerId} is not the leader of ${this.key} (leader ${this.stateValue.leader})`);
    }
    return this.log!;
  }

  /**
   * Kafka's fencing of fetches and OffsetForLeaderEpoch by the client's epoch: an older
   * one is FENCED_LEADER_EPOCH, a newer one (we have not seen it yet) UNKNOWN_LEADER_EPOCH.
   * -1 skips the check (clients that do not send it).
   */
  checkLeaderEpoch(currentLeaderEpoch: number): void {
    if (currentLeaderEpoch < 0 || currentLeaderEpoch === this.stateValue.leaderEpoch) return;
    if (currentLeaderEpoch < this.stateValue.leaderEpoch) {
      throw new KafkaError('FENCED_LEADER_EPOCH', `epoch ${currentLeaderEpoch} of ${this.key} is older than the current ${this.stateValue.leaderEpoch}`);
    }
    throw new KafkaError('UNKNOWN_LEADER_EPOCH', `epoch ${currentLeaderEpoch} of ${this.key} is newer than this broker's ${this.stateValue.leaderEpoch}`);
  }

  /**
   * Appends a produce request's batches as leader. acks=all is refused before writing when
   * the ISR is smaller than min.insync.replicas (Kafka checks this up front, so nothing
   * lands that could never be acknowledged).
   */
  appendAsLeader(records: Buffer, acks: 0 | 1 | -1, origin: AppendOrigin = 'client'): LogAppendInfo {
    const log = this.leaderLog();
    const minIsr = log.config.minInsyncReplicas;
    if (acks === -1 && this.isr.length < minIsr) {
      throw new KafkaError('NOT_ENOUGH_REPLICAS', `The size of the current ISR ${this.isr.length} of ${this.key} is insufficient to satisfy the min.isr requirement of ${minIsr}`);
    }
    const info = log.append(records, { leaderEpoch: this.leaderEpoch, origin });
    this.maybeIncrementHighWatermark();
    return info;
  }

  /** The ISR the HW waits for: the registry's plus a follower being added. */
  private maximalIsr(): readonly number[] {
    const adding = this.pendingIsrAddition;
    return adding === undefined || this.isr.includes(adding) ? this.isr : [...this.isr, adding];
  }

  /** HW = min LEO over the maximal ISR, moved only forward. Returns whether it moved. */
  maybeIncrementHighWatermark(): boolean {
    const log = this.logValue; // an unopened log runs this when it opens
    if (log === undefined || this.stateValue.leader !== this.localBrokerId) return false;
    const leo = Number(log.logEndOffset);
    const candidate = this.remotes.minIsrLogEndOffset(this.maximalIsr(), this.localBrokerId, leo);
    if (candidate <= Number(log.highWatermark)) return false;
    log.updateHighWatermark(BigInt(candidate));
    return true;
  }

  /**
   * A follower's fetch as leader (Kafka's updateFollowerFetchState): its LEO is the fetch
   * offset. Returns whether the HW moved (delayed produces and fetches may complete).
   */
  recordFollowerFetch(followerId: number, fetchOffset: bigint, followerStartOffset: bigint, leaderEndOffsetAtRead: bigint, nowMs: number): boolean {
    if (!this.remotes.updateFetch(followerId, Number(fetchOffset), Number(followerStartOffset), Number(leaderEndOffsetAtRead), nowMs)) return false;
    return this.maybeIncrementHighWatermark();
  }

  /** A follower outside the ISR that has caught up to the HW within this epoch (Kafka's isFollowerInSync). */
  followerToAddToIsr(): number | undefined {
    if (!this.isLeader || this.isrWriteInFlight) return undefined;
    const log = this.log!;
    const hw = Number(log.highWatermark);
    const epochStart = Number(log.leaderEpochStartOffset(this.leaderEpoch) ?? log.logEndOffset);
    for (const id of this.replicasValue) {
      if (id === this.localBrokerId || this.isr.includes(id)) continue;
      const leo = this.remotes.get(id)?.logEndOffset ?? -1;
      if (leo >= hw && leo >= epochStart) return id;
    }
    return undefined;
  }

  // ---- FollowerReplica, driven by the replica fetcher ----
  get latestLocalEpoch(): number { return this.log?.latestEpoch ?? -1; }
  endOffsetForEpoch(epoch: number): { leaderEpoch: number; endOffset: bigint } {
    return this.followerLog().endOffsetForEpoch(epoch);
  }
  truncateTo(offset: bigint): void {
    this.followerLog().truncateTo(offset);
  }
  truncateFullyAndStartAt(offset: bigint): void {
    this.followerLog().truncateFullyAndStartAt(offset);
  }
  appendAsFollower(records: Buffer): void {
    this.followerLog().appendAsFollower(records);
  }
  updateFollowerHighWatermark(leaderHighWatermark: bigint, leaderLogStartOffset: bigint): void {
    const log = this.followerLog();
    const end = log.logEndOffset;
    log.updateHighWatermark(leaderHighWatermark < end ? leaderHighWatermark : end);
    // Records below the leader's log start are deleted there; follow it as far as our HW allows.
    if (leaderLogStartOffset > log.logStartOffset && leaderLogStartOffset <= log.highWatermark) log.deleteRecordsBefore(leaderLogStartOffset);
  }

  private followerLog(): PartitionLog {
    if (!this.hosted || this.stateValue.leader === this.localBrokerId) {
      throw new KafkaError('NOT_LEADER_OR_FOLLOWER', `broker ${this.localBrokerId} does not follow ${this.key}`);
    }
    return this.log!;
  }

  /**
   * A snapshot of the partition. For a log not opened yet, the offsets and size are read
   * when first asked for (getters, opening the log then): Metadata reads only leaders and
   * replicas, and must not open the log of every partition it lists.
   */
  describe(isLive: (brokerId: number) => boolean = () => true): PartitionDescription {
    const log = this.logValue;
    const head = { partition: this.partition, leader: this.leader, leaderEpoch: this.leaderEpoch, replicas: this.replicasValue, isr: this.isr };
    const tail = {
      offline: this.leader < 0 || !isLive(this.leader),
      offlineReplicas: this.replicasValue.filter((id) => !isLive(id)),
      addingReplicas: this.addingValue,
      removingReplicas: this.removingValue,
    };
    if (log !== undefined || !this.hosted) {
      return {
        ...head, logStartOffset: log?.logStartOffset ?? -1n, highWatermark: log?.highWatermark ?? -1n,
        lastStableOffset: log === undefined ? -1n : this.lastStableOffset, logEndOffset: log?.logEndOffset ?? -1n, sizeBytes: log?.size ?? 0, ...tail,
      };
    }
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters read this partition's log when called
    const self = this;
    return {
      ...head,
      get logStartOffset() { return self.log!.logStartOffset; },
      get highWatermark() { return self.log!.highWatermark; },
      get lastStableOffset() { return self.lastStableOffset; },
      get logEndOffset() { return self.log!.logEndOffset; },
      get sizeBytes() { return self.log!.size; },
      ...tail,
    };
  }
}
