import type { AppendEntry, AppendOptions, AppendResult, TransactionFilter, TransactionListing } from '../broker/broker-api.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import { errorCodeOf } from '../broker/error-codes.js';
import type { Partition } from '../broker/partition.js';
import { KAFKA_ERRORS as E } from '../errors.js';
import type { LeadershipChange } from '../group/group-cache.js';
import { CompressionType } from '../log/batch/batch-header.js';
import { encodeRecordBatch } from '../log/batch/record-batch-encoder.js';
import type { Time } from '../time.js';
import type { Scheduler } from '../timer/scheduler.js';
import type { TransactionDefaults } from './transaction-defaults.js';
import { TransactionPartitionLoad } from './transaction-loader.js';
import { encodeTransactionLogKey, encodeTransactionLogValue, TRANSACTION_STATE_TOPIC, type TransactionLogValue } from './transaction-log-record.js';
import { logValueOf, TransactionMetadata, type TxnTransit } from './transaction-metadata.js';
import { hasOpenTransaction, isExpirationAllowed, parseTxnState } from './transaction-state.js';
import type { TransactionTopic } from './transaction-topic.js';

export type AppendRecords = (entries: readonly AppendEntry[], options: AppendOptions) => Promise<AppendResult[]>;

export interface TransactionStateManagerContext {
  readonly brokerId: number;
  readonly topic: TransactionTopic;
  readonly time: Time;
  readonly scheduler: Scheduler;
  readonly logger: BrokerLogger;
  readonly settings: TransactionDefaults;
  /** The broker's produce path with internal topics allowed (acks=all is asked here). */
  readonly append: AppendRecords;
  /** A partition finished loading: its ids in PrepareCommit/PrepareAbort get their markers again. */
  readonly onPartitionLoaded: (partition: number, coordinatorEpoch: number, ids: readonly TransactionMetadata[]) => void;
  /** A partition is no longer led here: its marker work stops. */
  readonly onPartitionUnloaded: (partition: number) => void;
}

/** Where an id stands at this coordinator: an error to answer, or the id's metadata (undefined: unknown) and its partition's coordinator epoch. */
export type TxnLookup =
  | { readonly ok: false; readonly errorCode: number }
  | { readonly ok: true; readonly coordinatorEpoch: number; readonly metadata: TransactionMetadata | undefined };

/**
 * The transactional ids this broker coordinates (Kafka's TransactionStateManager): those of
 * every `__transaction_state` partition it leads, loaded when leadership arrives and
 * dropped when it leaves, with the partition's leader epoch as the coordinator epoch that
 * its markers carry (a newer coordinator's markers fence an older one's).
 *
 * Invariants: an id is cached only while its partition is owned; while a partition loads
 * its ids answer COORDINATOR_LOAD_IN_PROGRESS, when not led here NOT_COORDINATOR, once
 * closed COORDINATOR_NOT_AVAILABLE. A transit is applied to the cached metadata only after
 * its record is acknowledged by the ISR and only if the partition is still owned at the
 * same coordinator epoch.
 */
export class TransactionStateManager {
  private readonly ids = new Map<string, TransactionMetadata>();
  /** Owned partitions and their coordinator epoch. */
  private readonly owned = new Map<number, number>();
  private readonly loads = new Map<number, { load: TransactionPartitionLoad; coordinatorEpoch: number }>();
  private active = true;

  constructor(private readonly ctx: TransactionStateManagerContext) {}

  get isActive(): boolean { return this.active; }
  get isLoading(): boolean { return this.loads.size > 0; }
  partitionFor(transactionalId: string): number { return this.ctx.topic.partitionFor(transactionalId); }

  lookup(transactionalId: string): TxnLookup {
    if (!this.active) return { ok: false, errorCode: E.COORDINATOR_NOT_AVAILABLE.code };
    const partition = this.partitionFor(transactionalId);
    if (this.loads.has(partition)) return { ok: false, errorCode: E.COORDINATOR_LOAD_IN_PROGRESS.code };
    const coordinatorEpoch = this.owned.get(partition);
    if (coordinatorEpoch === undefined) return { ok: false, errorCode: E.NOT_COORDINATOR.code };
    return { ok: true, coordinatorEpoch, metadata: this.ids.get(transactionalId) };
  }

  /** Caches a new id's metadata unless another call cached one first (then that one is returned). */
  putIfNotExists(metadata: TransactionMetadata): TransactionMetadata {
    const existing = this.ids.get(metadata.transactionalId);
    if (existing !== undefined) return existing;
    this.ids.set(metadata.transactionalId, metadata);
    return metadata;
  }

  /** Whether `metadata` is still the cached one for its id, on a partition owned at `coordinatorEpoch`. */
  isCurrent(metadata: TransactionMetadata, coordinatorEpoch: number): boolean {
    return this.ids.get(metadata.transactionalId) === metadata && this.owned.get(this.partitionFor(metadata.transactionalId)) === coordinatorEpoch;
  }

  /**
   * Persists `transit` (a tombstone for Dead) with acks=all, then applies it to `metadata`
   * (or drops the pending transition when the write failed). Resolves with the error to
   * answer, mapped as Kafka's appendTransactionToLog maps append errors.
   */
  async appendTransit(metadata: TransactionMetadata, coordinatorEpoch: number, transit: TxnTransit): Promise<number> {
    const id = metadata.transactionalId;
    let errorCode: number;
    try {
      const nowMs = this.ctx.time.milliseconds();
      const value = transit.state === 'Dead' ? null : encodeTransactionLogValue(logValueOf(transit));
      const records = encodeRecordBatch({ records: [{ key: encodeTransactionLogKey(id), value, timestamp: nowMs }], defaultTimestamp: nowMs, compression: CompressionType.NONE });
      const [result] = await this.ctx.append(
        [{ topic: TRANSACTION_STATE_TOPIC, partition: this.partitionFor(id), records }],
        { acks: -1, timeoutMs: this.ctx.settings.transactionStateLogAppendTimeoutMs, internalTopicsAllowed: true },
      );
      errorCode = appendError(result!.errorCode);
    } catch (err) {
      errorCode = appendError(errorCodeOf(err).errorCode);
    }
    if (!this.isCurrent(metadata, coordinatorEpoch)) {
      // Leadership moved while the write was in flight: the new coordinator reads the log itself.
      return errorCode === 0 ? E.NOT_COORDINATOR.code : errorCode;
    }
    if (errorCode !== 0) {
      this.ctx.logger.warn(`writing ${transit.state} of transactional id ${id} failed with error ${errorCode}`);
      metadata.abortTransition();
      return errorCode;
    }
    metadata.completeTransition(transit);
    if (transit.state === 'Dead') this.ids.delete(id);
    return 0;
  }

  /** Loaded ids, optionally filtered (ListTransactions); Dead ones are left out. */
  list(filter: TransactionFilter = {}): { errorCode: number; unknownStates: string[]; transactions: TransactionListing[] } {
    if (!this.active) return { errorCode: E.COORDINATOR_NOT_AVAILABLE.code, unknownStates: [], transactions: [] };
    const states = filter.states ?? [];
    const unknownStates = states.filter((s) => parseTxnState(s) === undefined);
    const wanted = new Set(states);
    const producerIds = new Set(filter.producerIds ?? []);
    const minDurationMs = filter.minDurationMs ?? -1;
    const nowMs = this.ctx.time.milliseconds();
    const transactions: TransactionListing[] = [];
    for (const m of this.ids.values()) {
      if (m.state === 'Dead') continue;
      if (states.length > 0 && !wanted.has(m.state)) continue;
      if (producerIds.size > 0 && !producerIds.has(m.producerId)) continue;
      if (minDurationMs >= 0 && (!hasOpenTransaction(m.state) || nowMs - m.txnStartTimestampMs < minDurationMs)) continue;
      transactions.push({ transactionalId: m.transactionalId, producerId: m.producerId, state: m.state, coordinatorId: this.ctx.brokerId });
    }
    return { errorCode: this.isLoading ? E.COORDINATOR_LOAD_IN_PROGRESS.code : 0, unknownStates, transactions };
  }

  /** Ongoing transactions past their timeout with no transition pending, on loaded partitions. */
  timedOut(nowMs: number): { metadata: TransactionMetadata; coordinatorEpoch: number }[] {
    return this.loadedWhere((m) => m.state === 'Ongoing' && !m.hasPendingTransition && m.txnStartTimestampMs + m.txnTimeoutMs < nowMs);
  }

  /** Ids with no open transaction, idle for transactional.id.expiration.ms. */
  expired(nowMs: number): { metadata: TransactionMetadata; coordinatorEpoch: number }[] {
    return this.loadedWhere((m) => this.isExpired(m, nowMs));
  }

  isExpired(m: TransactionMetadata, nowMs: number): boolean {
    return isExpirationAllowed(m.state) && !m.hasPendingTransition && m.txnLastUpdateTimestampMs <= nowMs - this.ctx.settings.transactionalIdExpirationMs;
  }

  private loadedWhere(test: (m: TransactionMetadata) => boolean): { metadata: TransactionMetadata; coordinatorEpoch: number }[] {
    const out: { metadata: TransactionMetadata; coordinatorEpoch: number }[] = [];
    for (const metadata of this.ids.values()) {
      const coordinatorEpoch = this.owned.get(this.partitionFor(metadata.transactionalId));
      if (coordinatorEpoch !== undefined && test(metadata)) out.push({ metadata, coordinatorEpoch });
    }
    return out;
  }

  /** ReplicaRoles moved this broker's part in some partitions: transaction state partitions load or unload. */
  onLeadership(changes: readonly LeadershipChange[]): void {
    for (const { partition, leading } of changes) {
      if (partition.topic !== TRANSACTION_STATE_TOPIC) continue;
      if (leading && this.active) this.becomeLeader(partition);
      else this.resign(partition.partition);
    }
  }

  private becomeLeader(partition: Partition): void {
    const p = partition.partition;
    const coordinatorEpoch = partition.leaderEpoch;
    if (this.owned.get(p) === coordinatorEpoch || this.loads.get(p)?.coordinatorEpoch === coordinatorEpoch || partition.log === undefined) return;
    // A new epoch (or a load under way) starts over: whatever the old one cached may be stale.
    this.resign(p);
    const load = new TransactionPartitionLoad({
      log: partition.log, partition: p, bufferBytes: this.ctx.settings.transactionStateLogLoadBufferSize, scheduler: this.ctx.scheduler, logger: this.ctx.logger,
      onLoaded: (loaded) => this.finishLoad(p, coordinatorEpoch, load, loaded),
      onFailed: (err) => {
        this.ctx.logger.error(`loading ${TRANSACTION_STATE_TOPIC}-${p} failed; its transactional ids start empty`, err);
        this.finishLoad(p, coordinatorEpoch, load, new Map());
      },
    });
    this.loads.set(p, { load, coordinatorEpoch });
    load.start();
  }

  private finishLoad(p: number, coordinatorEpoch: number, load: TransactionPartitionLoad, loaded: Map<string, TransactionLogValue>): void {
    if (this.loads.get(p)?.load !== load) return;
    this.loads.delete(p);
    this.owned.set(p, coordinatorEpoch);
    const completing: TransactionMetadata[] = [];
    for (const [id, value] of loaded) {
      const metadata = TransactionMetadata.fromLog(id, value);
      this.ids.set(id, metadata);
      if (metadata.state === 'PrepareCommit' || metadata.state === 'PrepareAbort') completing.push(metadata);
    }
    if (loaded.size > 0) this.ctx.logger.info(`loaded ${loaded.size} transactional id(s) from ${TRANSACTION_STATE_TOPIC}-${p} at coordinator epoch ${coordinatorEpoch}`);
    this.ctx.onPartitionLoaded(p, coordinatorEpoch, completing);
  }

  private resign(p: number): void {
    const loading = this.loads.get(p);
    if (loading !== undefined) {
      loading.load.cancel();
      this.loads.delete(p);
    }
    if (!this.owned.delete(p)) return;
    this.ctx.onPartitionUnloaded(p);
    let count = 0;
    for (const id of [...this.ids.keys()]) {
      if (this.partitionFor(id) !== p) continue;
      this.ids.delete(id);
      count++;
    }
    if (count > 0) this.ctx.logger.info(`no longer the transaction coordinator for ${TRANSACTION_STATE_TOPIC}-${p}; unloaded ${count} transactional id(s)`);
  }

  close(): void {
    this.active = false;
    for (const p of [...this.loads.keys(), ...this.owned.keys()]) this.resign(p);
  }
}

/** An append error as the coordinator answers it (Kafka's appendTransactionToLog). */
function appendError(code: number): number {
  switch (code) {
    case E.UNKNOWN_TOPIC_OR_PARTITION.code:
    case E.NOT_ENOUGH_REPLICAS.code:
    case E.NOT_ENOUGH_REPLICAS_AFTER_APPEND.code:
    case E.REQUEST_TIMED_OUT.code:
      return E.COORDINATOR_NOT_AVAILABLE.code;
    case E.NOT_LEADER_OR_FOLLOWER.code:
    case E.KAFKA_STORAGE_ERROR.code:
      return E.NOT_COORDINATOR.code;
    case E.MESSAGE_TOO_LARGE.code:
    case E.RECORD_LIST_TOO_LARGE.code:
      return E.UNKNOWN_SERVER_ERROR.code;
    default:
      return code;
  }
}
