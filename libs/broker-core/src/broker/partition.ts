import { KafkaError } from '../errors.js';
import type { LogConfig } from '../log/config/log-config.js';
import type { PartitionLog } from '../log/partition/partition-log.js';
import type { LogAppendInfo } from '../log/partition/types.js';
import type { PartitionState } from '../registry/kafka-znodes.js';
import type { PartitionDescription } from './broker-api.js';

/**
 * One partition as this broker sees it (Kafka's cluster/Partition): its replica list and
 * leader/ISR state as last read from the registry, and the local log when this broker
 * hosts a replica.
 *
 * Invariants: `log` is set exactly when this broker is in `replicas`. The high watermark
 * is the minimum log end offset over the ISR; only the local replica's LEO is known until
 * replication exists, so a partition whose ISR is [this broker] has HW = LEO after every
 * append. That is also why `isr.length < min.insync.replicas` is the check acks=all needs
 * before appending: there is no follower to wait for.
 *
 * Callers: the topic manager (creation, state changes, close) and the replica manager
 * (append, read), all on the one event loop; log calls are synchronous.
 */
export class Partition {
  private stateValue: PartitionState;
  private stateVersion: number;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly replicas: readonly number[],
    state: PartitionState,
    stateVersion: number,
    private readonly localBrokerId: number,
    readonly log: PartitionLog | undefined,
  ) {
    this.stateValue = state;
    this.stateVersion = stateVersion;
    this.maybeIncrementHighWatermark();
  }

  /** Registry key of the partition, also the purgatory watch key. */
  get key(): string { return `${this.topic}-${this.partition}`; }
  get leader(): number { return this.stateValue.leader; }
  get leaderEpoch(): number { return this.stateValue.leaderEpoch; }
  get isr(): readonly number[] { return this.stateValue.isr; }
  get state(): PartitionState { return this.stateValue; }
  /** The znode version of the state, for the compare-and-set a controller will write with. */
  get zkVersion(): number { return this.stateVersion; }
  get isLeader(): boolean { return this.stateValue.leader === this.localBrokerId && this.log !== undefined; }
  get highWatermark(): bigint { return this.log?.highWatermark ?? -1n; }
  /** read_committed bound: the HW until transactions bring an LSO below it. */
  get lastStableOffset(): bigint { return this.highWatermark; }
  get logStartOffset(): bigint { return this.log?.logStartOffset ?? -1n; }

  updateState(state: PartitionState, version: number): void {
    this.stateValue = state;
    this.stateVersion = version;
    this.maybeIncrementHighWatermark();
  }

  updateConfig(config: LogConfig): void {
    this.log?.updateConfig(config);
  }

  /** The leader's log, or NOT_LEADER_OR_FOLLOWER (UNKNOWN for a replica that is not hosted here). */
  leaderLog(): PartitionLog {
    if (this.log === undefined) throw new KafkaError('NOT_LEADER_OR_FOLLOWER', `broker ${this.localBrokerId} hosts no replica of ${this.key}`);
    if (this.stateValue.leader !== this.localBrokerId) {
      throw new KafkaError('NOT_LEADER_OR_FOLLOWER', `broker ${this.localBrokerId} is not the leader of ${this.key} (leader ${this.stateValue.leader})`);
    }
    return this.log;
  }

  /**
   * Appends a produce request's batches as leader. acks=all is refused before writing when
   * the ISR is smaller than min.insync.replicas (Kafka checks this up front, so nothing
   * lands that could never be acknowledged).
   */
  appendAsLeader(records: Buffer, acks: 0 | 1 | -1): LogAppendInfo {
    const log = this.leaderLog();
    const minIsr = log.config.minInsyncReplicas;
    if (acks === -1 && this.isr.length < minIsr) {
      throw new KafkaError('NOT_ENOUGH_REPLICAS', `the size of the ISR of ${this.key} (${this.isr.length}) is below min.insync.replicas (${minIsr})`);
    }
    const info = log.append(records, { leaderEpoch: this.leaderEpoch });
    this.maybeIncrementHighWatermark();
    return info;
  }

  /** HW = min LEO over the ISR; the local replica is the only one whose LEO is known yet. */
  maybeIncrementHighWatermark(): bigint {
    const log = this.log;
    if (log === undefined || this.stateValue.leader !== this.localBrokerId) return this.highWatermark;
    const onlyLocalInIsr = this.isr.every((id) => id === this.localBrokerId);
    if (onlyLocalInIsr && log.highWatermark < log.logEndOffset) log.updateHighWatermark(log.logEndOffset);
    return log.highWatermark;
  }

  describe(): PartitionDescription {
    const log = this.log;
    return {
      partition: this.partition,
      leader: this.leader,
      leaderEpoch: this.leaderEpoch,
      replicas: this.replicas,
      isr: this.isr,
      logStartOffset: log?.logStartOffset ?? -1n,
      highWatermark: log?.highWatermark ?? -1n,
      logEndOffset: log?.logEndOffset ?? -1n,
      sizeBytes: log?.size ?? 0,
      offline: this.leader < 0,
      offlineReplicas: [],
      addingReplicas: [],
      removingReplicas: [],
    };
  }
}
