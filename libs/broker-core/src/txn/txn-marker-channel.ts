import type { PartitionOutcome, TopicPartitionRef, TxnMarkerEntry } from '../broker/broker-api.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import { KAFKA_ERRORS as E, KAFKA_ERRORS, kafkaErrorName } from '../errors.js';
import type { Time } from '../time.js';
import type { Cancellable, Scheduler } from '../timer/scheduler.js';
import type { TransactionMetadata, TxnTransit } from './transaction-metadata.js';
import type { TransactionStateManager } from './transaction-state-manager.js';

/** Writes transaction markers to partition leaders (the broker implements it: a local append, or WriteTxnMarkers to another broker). */
export interface TxnMarkerWriter {
  /** One outcome per partition of the entry; a rejection counts as a retriable failure of every partition. */
  write(entry: TxnMarkerEntry): Promise<PartitionOutcome[]>;
}

export interface TxnMarkerChannelContext {
  readonly markers: TxnMarkerWriter;
  readonly states: TransactionStateManager;
  readonly scheduler: Scheduler;
  readonly time: Time;
  readonly logger: BrokerLogger;
  readonly retryBackoffMs: number;
  /** Whether the partition still exists (markers for a deleted topic are dropped). */
  readonly partitionExists: (tp: TopicPartitionRef) => boolean;
}

interface MarkerJob {
  cancelled: boolean;
  wait: Cancellable | undefined;
  wake: (() => void) | undefined;
}

/** Marker answers that mean this coordinator was superseded: it stops, the newer one finishes the transaction. */
const FENCED: ReadonlySet<number> = new Set([E.INVALID_PRODUCER_EPOCH.code, E.TRANSACTION_COORDINATOR_FENCED.code, E.PRODUCER_FENCED.code]);
const RETRIABLE_BY_CODE = new Map<number, boolean>(Object.values(KAFKA_ERRORS).map((e) => [e.code, e.retriable]));

/**
 * Completes transactions whose PrepareCommit/PrepareAbort is in the log (Kafka's
 * TransactionMarkerChannelManager): writes the COMMIT or ABORT marker to every partition of
 * the transaction, partitions answering a retriable error (leader moving, ISR short, a
 * timeout) again after `retryBackoffMs` on the timer, drops partitions of deleted topics,
 * and then persists CompleteCommit/CompleteAbort (`transit`, pending on the metadata
 * since the Prepare write, so the id answers CONCURRENT_TRANSACTIONS meanwhile).
 *
 * One job per transactional id. A job stops without completing when the coordinator loses
 * the id's partition (`cancelPartition`), when a partition says the coordinator was fenced,
 * or on close: the next coordinator finds PrepareX in the log and finishes the work.
 */
export class TxnMarkerChannel {
  private readonly jobs = new Map<string, MarkerJob>();

  constructor(private readonly ctx: TxnMarkerChannelContext) {}

  get inFlight(): number { return this.jobs.size; }

  /** Starts the markers of `metadata`'s transaction; the promise settles when the job ends (never rejects). */
  send(coordinatorEpoch: number, metadata: TransactionMetadata, transit: TxnTransit): Promise<void> {
    const job: MarkerJob = { cancelled: false, wait: undefined, wake: undefined };
    this.cancel(metadata.transactionalId);
    this.jobs.set(metadata.transactionalId, job);
    return this.run(job, coordinatorEpoch, metadata, transit)
      .catch((err: unknown) => this.ctx.logger.error(`completing the transaction of ${metadata.transactionalId} failed`, err))
      .finally(() => {
        if (this.jobs.get(metadata.transactionalId) === job) this.jobs.delete(metadata.transactionalId);
      });
  }

  private async run(job: MarkerJob, coordinatorEpoch: number, metadata: TransactionMetadata, firstTransit: TxnTransit): Promise<void> {
    const { states, markers, logger } = this.ctx;
    const result = firstTransit.state === 'CompleteCommit' ? 'COMMIT' : 'ABORT';
    let transit: TxnTransit | undefined = firstTransit;
    while (!job.cancelled) {
      const partitions = metadata.partitions.filter((tp) => {
        if (this.ctx.partitionExists(tp)) return true;
        logger.info(`dropping the ${result} marker of ${metadata.transactionalId} for ${tp.topic}-${tp.partition}: the partition no longer exists`);
        metadata.removePartition(tp);
        return false;
      });
      if (partitions.length === 0) break;
      const entry: TxnMarkerEntry = { producerId: metadata.producerId, producerEpoch: metadata.producerEpoch, coordinatorEpoch, result, partitions };
      const outcomes = await markers.write(entry).catch((err: unknown): PartitionOutcome[] => {
        logger.warn(`sending ${result} markers of ${metadata.transactionalId} failed; retrying: ${String(err)}`);
        return partitions.map((tp) => ({ ...tp, errorCode: E.REQUEST_TIMED_OUT.code, errorMessage: null }));
      });
      if (job.cancelled) return;
      for (const outcome of outcomes) {
        if (outcome.errorCode === 0) metadata.removePartition(outcome);
        else if (FENCED.has(outcome.errorCode)) {
          logger.warn(`${result} marker of ${metadata.transactionalId} for ${outcome.topic}-${outcome.partition} was fenced (error ${outcome.errorCode}); a newer coordinator completes it`);
          return;
        } else if (RETRIABLE_BY_CODE.get(outcome.errorCode) !== true && outcome.errorCode !== E.UNKNOWN_TOPIC_OR_PARTITION.code) {
          logger.error(`${result} marker of ${metadata.transactionalId} for ${outcome.topic}-${outcome.partition} failed with error ${outcome.errorCode} (${kafkaErrorName(outcome.errorCode) ?? 'unknown'}); the partition is skipped`);
          metadata.removePartition(outcome);
        }
      }
      // Whatever is left answered a retriable error (or was not answered at all): again after the backoff.
      if (metadata.partitions.length > 0) await this.sleep(job);
    }
    // Every marker is written: persist CompleteX, retrying while the log is unavailable.
    while (!job.cancelled && states.isCurrent(metadata, coordinatorEpoch)) {
      transit ??= metadata.state === 'PrepareCommit' || metadata.state === 'PrepareAbort' ? metadata.prepareComplete(this.ctx.time.milliseconds()) : undefined;
      if (transit === undefined) return;
      const errorCode = await states.appendTransit(metadata, coordinatorEpoch, transit);
      if (errorCode === 0) return;
      if (errorCode !== E.COORDINATOR_NOT_AVAILABLE.code) {
        logger.warn(`writing the completion of ${metadata.transactionalId} failed with error ${errorCode}; left to the next coordinator`);
        return;
      }
      transit = undefined;
      await this.sleep(job);
    }
  }

  private sleep(job: MarkerJob): Promise<void> {
    return new Promise<void>((resolve) => {
      job.wake = resolve;
      job.wait = this.ctx.scheduler.schedule(this.ctx.retryBackoffMs, resolve);
    });
  }

  private cancel(transactionalId: string): void {
    const job = this.jobs.get(transactionalId);
    if (job === undefined) return;
    job.cancelled = true;
    job.wait?.cancel();
    job.wake?.();
    this.jobs.delete(transactionalId);
  }

  /** The coordinator lost `partition` of __transaction_state: jobs of its ids stop. */
  cancelPartition(partition: number): void {
    for (const id of [...this.jobs.keys()]) if (this.ctx.states.partitionFor(id) === partition) this.cancel(id);
  }

  close(): void {
    for (const id of [...this.jobs.keys()]) this.cancel(id);
  }
}
