import { KAFKA_ERRORS } from '../errors.js';
import { DelayedOperation } from '../timer/delayed-operation.js';
import type { AppendResult } from './broker-api.js';
import type { Partition } from './partition.js';
import type { TopicTable } from './topic-table.js';

/** One partition of an acks=all produce still waiting for its followers. */
export interface PendingAppend {
  readonly index: number;
  readonly partition: Partition;
  /** The HW that acknowledges it: the append's last offset + 1. */
  readonly requiredOffset: bigint;
}

/**
 * An acks=all produce waiting for the ISR to replicate it (Kafka's DelayedProduce):
 * complete once, for every partition, the HW has reached the append's end (then, as
 * Kafka, NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR has meanwhile shrunk below
 * min.insync.replicas), or the partition is no longer led here (NOT_LEADER_OR_FOLLOWER:
 * the client retries on the new leader). On timeout the partitions still waiting answer
 * REQUEST_TIMED_OUT; the records stay in the log (they may yet be replicated).
 *
 * Checked on the `<topic>-<partition>` keys when a HW moves or a partition's state changes.
 */
export class DelayedProduce extends DelayedOperation {
  private readonly waiting: (PendingAppend | undefined)[];

  constructor(
    delayMs: number,
    private readonly table: TopicTable,
    pending: readonly PendingAppend[],
    private readonly results: AppendResult[],
    private readonly respond: (results: AppendResult[]) => void,
  ) {
    super(delayMs);
    this.waiting = [...pending];
  }

  tryComplete(): boolean {
    let remaining = 0;
    for (let i = 0; i < this.waiting.length; i++) {
      const w = this.waiting[i];
      if (w === undefined) continue;
      const errorCode = this.outcome(w);
      if (errorCode === undefined) {
        remaining++;
        continue;
      }
      this.settle(i, errorCode);
    }
    return remaining === 0 ? this.forceComplete() : false;
  }

  /** The error code the partition finished with, or undefined while it still waits. */
  private outcome(w: PendingAppend): number | undefined {
    const current = this.table.partition(w.partition.topic, w.partition.partition);
    if (current !== w.partition || !current.isLeader) return KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code;
    if (current.highWatermark < w.requiredOffset) return undefined;
    const minIsr = current.log!.config.minInsyncReplicas;
    return current.isr.length < minIsr ? KAFKA_ERRORS.NOT_ENOUGH_REPLICAS_AFTER_APPEND.code : 0;
  }

  private settle(i: number, errorCode: number): void {
    const w = this.waiting[i]!;
    this.waiting[i] = undefined;
    if (errorCode === 0) return;
    const r = this.results[w.index]!;
    const message = errorCode === KAFKA_ERRORS.NOT_ENOUGH_REPLICAS_AFTER_APPEND.code
      ? `the ISR of ${w.partition.key} shrank below min.insync.replicas after the append`
      : errorCode === KAFKA_ERRORS.REQUEST_TIMED_OUT.code
        ? `the in-sync replicas of ${w.partition.key} did not acknowledge the append in time`
        : `broker is no longer the leader of ${w.partition.key}`;
    this.results[w.index] = { ...r, errorCode, errorMessage: message };
  }

  onComplete(): void {
    for (let i = 0; i < this.waiting.length; i++) {
      if (this.waiting[i] !== undefined) this.settle(i, KAFKA_ERRORS.REQUEST_TIMED_OUT.code);
    }
    this.respond(this.results);
  }

  onExpiration(): void {
    // The timed-out partitions were answered in onComplete; the purgatory counts the expiry.
  }
}
