import type { BrokerApi, BrokerEndpointInfo, NewTopic, TopicPartitionRef, TransactionDescription, TransactionFilter, TransactionListing } from '../broker/broker-api.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import { errorCodeOf } from '../broker/error-codes.js';
import { PeriodicTask } from '../broker/periodic-task.js';
import type { TopicTable } from '../broker/topic-table.js';
import { KafkaError, KAFKA_ERRORS as E, kafkaErrorName } from '../errors.js';
import { CONSUMER_OFFSETS_TOPIC } from '../group/consumer-offsets-record.js';
import type { LeadershipChange } from '../group/group-cache.js';
import { coordinatorNotFound, type CoordinatorLookup } from '../group/group-results.js';
import type { Registry } from '../registry/registry.js';
import type { Time } from '../time.js';
import type { Timer } from '../timer/system-timer.js';
import { prepareEndTransit } from './end-transaction.js';
import { prepareInitTransit } from './init-producer-id.js';
import { ProducerIdManager } from './producer-id-manager.js';
import { resolveTransactionDefaults, type TransactionDefaults } from './transaction-defaults.js';
import { NO_PRODUCER_EPOCH, NO_PRODUCER_ID, TransactionMetadata } from './transaction-metadata.js';
import { TransactionStateManager, type AppendRecords } from './transaction-state-manager.js';
import { TransactionTopic } from './transaction-topic.js';
import { TxnMarkerChannel, type TxnMarkerWriter } from './txn-marker-channel.js';
import type { AddOffsetsInput, AddPartitionsInput, EndTxnInput, InitProducerIdInput, InitProducerIdResult, TxnProducer, TxnResult } from './txn-requests.js';

export interface TransactionCoordinatorContext {
  readonly brokerId: number;
  readonly time: Time;
  readonly timer: Timer;
  readonly logger: BrokerLogger;
  readonly table: TopicTable;
  /** Overrides of Kafka's transaction settings (TRANSACTION_DEFAULTS); the broker maps its options onto them. */
  readonly settings?: Partial<TransactionDefaults>;
  readonly liveBrokers: () => readonly BrokerEndpointInfo[];
  /** The broker's topic creation (validated, one registry multi, the local table refreshed). */
  readonly createTopic: (topic: NewTopic) => Promise<unknown>;
  /** The broker's produce path; the coordinator asks acks=all and internalTopicsAllowed. */
  readonly append: AppendRecords;
  /** Where producer id blocks are claimed (/latest_producer_id_block). */
  readonly registry: Registry;
  /** Writes COMMIT/ABORT markers to partition leaders. */
  readonly markers: TxnMarkerWriter;
  /** The `__consumer_offsets` partition of a group (AddOffsetsToTxn adds it to the transaction). */
  readonly groupPartitionFor: (groupId: string) => number;
}

/**
 * The transaction coordinator of one broker (Kafka's TransactionCoordinator): it coordinates
 * the transactional ids whose `__transaction_state` partition this broker leads, and hands
 * out producer ids to idempotent producers. See docs/transactions.md.
 *
 * Parts: TransactionTopic (the partition of an id, its leader, creating the topic),
 * TransactionStateManager (the loaded ids, their persisted transitions, loading and
 * unloading as leadership moves), TxnMarkerChannel (markers, then CompleteX),
 * ProducerIdManager (id blocks on the registry), and two timer tasks: aborting transactions
 * past their timeout, and removing ids idle for transactional.id.expiration.ms.
 *
 * Request methods answer with Kafka error codes and never throw for a request's content;
 * the admin views (describeTransaction, abortTransaction) throw KafkaErrors as BrokerApi
 * does. Callers: the Kafka handlers (kafka-server/handlers/transactions.ts), the broker's
 * BrokerApi methods, ReplicaRoles (`onLeadership`).
 */
export class TransactionCoordinator {
  readonly settings: TransactionDefaults;
  readonly topic: TransactionTopic;
  private readonly states: TransactionStateManager;
  private readonly channel: TxnMarkerChannel;
  private readonly producerIds: ProducerIdManager;
  private readonly timeouts: PeriodicTask;
  private readonly expiration: PeriodicTask;

  constructor(private readonly ctx: TransactionCoordinatorContext) {
    const { time, timer, logger, table } = ctx;
    const settings = (this.settings = resolveTransactionDefaults(ctx.settings));
    this.topic = new TransactionTopic({ table, settings, logger, liveBrokers: ctx.liveBrokers, createTopic: ctx.createTopic });
    this.states = new TransactionStateManager({
      brokerId: ctx.brokerId, topic: this.topic, time, scheduler: timer, logger, settings, append: ctx.append,
      onPartitionLoaded: (_p, coordinatorEpoch, ids) => {
        for (const m of ids) void this.channel.send(coordinatorEpoch, m, m.prepareComplete(time.milliseconds()));
      },
      onPartitionUnloaded: (p) => this.channel.cancelPartition(p),
    });
    this.channel = new TxnMarkerChannel({
      markers: ctx.markers, states: this.states, scheduler: timer, time, logger, retryBackoffMs: settings.transactionMarkerRetryBackoffMs,
      partitionExists: (tp) => table.partition(tp.topic, tp.partition) !== undefined,
    });
    this.producerIds = new ProducerIdManager({ brokerId: ctx.brokerId, registry: ctx.registry, logger, blockSize: settings.producerIdBlockSize });
    this.timeouts = new PeriodicTask('transaction timeout pass', timer, settings.transactionAbortTimedOutTransactionCleanupIntervalMs,
      async () => void (await this.abortTimedOutTransactions()), logger);
    this.expiration = new PeriodicTask('transactional id expiration', timer, settings.transactionRemoveExpiredTransactionCleanupIntervalMs,
      async () => void (await this.expireTransactionalIds()), logger);
  }

  /** Starts the timeout and expiration tasks (ids load as leadership arrives, from construction on). */
  start(): void {
    this.timeouts.start();
    this.expiration.start();
  }

  /** FindCoordinator with key type 1. */
  async findCoordinator(transactionalId: string): Promise<CoordinatorLookup> {
    if (!this.states.isActive) return coordinatorNotFound(E.COORDINATOR_NOT_AVAILABLE.code, 'The coordinator is shutting down.');
    if (transactionalId === '') return coordinatorNotFound(E.INVALID_REQUEST.code, 'The transactional id is empty.');
    return this.topic.findCoordinator(transactionalId);
  }

  /** Whether the partition exists (AddPartitionsToTxn refuses unknown ones with UNKNOWN_TOPIC_OR_PARTITION). */
  partitionExists(topic: string, partition: number): boolean {
    return this.ctx.table.partition(topic, partition) !== undefined;
  }

  /** The __transaction_state partition of an id (tools and tests). */
  partitionFor(transactionalId: string): number {
    return this.states.partitionFor(transactionalId);
  }

  async initProducerId(input: InitProducerIdInput): Promise<InitProducerIdResult> {
    const { transactionalId, transactionTimeoutMs } = input;
    const failed = (errorCode: number): InitProducerIdResult => ({ errorCode, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH });
    if (transactionalId === null) {
      try {
        return { errorCode: 0, producerId: await this.producerIds.generateProducerId(), producerEpoch: 0 };
      } catch (err) {
        return failed(errorCodeOf(err).errorCode);
      }
    }
    if (transactionalId === '') return failed(E.INVALID_REQUEST.code);
    if (transactionTimeoutMs <= 0 || transactionTimeoutMs > this.settings.transactionMaxTimeoutMs) return failed(E.INVALID_TRANSACTION_TIMEOUT.code);
    const expected = input.producerId === NO_PRODUCER_ID && input.producerEpoch === NO_PRODUCER_EPOCH ? undefined : { producerId: input.producerId, producerEpoch: input.producerEpoch };
    if (expected !== undefined && (expected.producerId < 0n || expected.producerEpoch < 0)) return failed(E.INVALID_REQUEST.code);
    // A fresh producer id may be needed (a new id, exhausted epochs): it is claimed first, then the checks run again on the state as it is then.
    let spare: bigint | undefined;
    const claimSpare = async (): Promise<number> => {
      try {
        spare = await this.producerIds.generateProducerId();
        return 0;
      } catch (err) {
        return errorCodeOf(err).errorCode;
      }
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = this.states.lookup(transactionalId);
      if (!found.ok) return failed(found.errorCode);
      let metadata = found.metadata;
      if (metadata === undefined && spare === undefined) {
        const claimed = await claimSpare();
        if (claimed !== 0) return failed(claimed);
        continue;
      }
      if (metadata === undefined) {
        metadata = this.states.putIfNotExists(new TransactionMetadata(transactionalId, {
          producerId: spare!, lastProducerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH, lastProducerEpoch: NO_PRODUCER_EPOCH,
          txnTimeoutMs: transactionTimeoutMs, state: 'Empty', partitions: [], txnStartTimestampMs: -1, txnLastUpdateTimestampMs: this.ctx.time.milliseconds(),
        }));
        spare = undefined;
      }
      const prepared = prepareInitTransit(metadata, transactionTimeoutMs, expected, spare, this.ctx.time.milliseconds());
      if (prepared === 'needs-producer-id') {
        const claimed = await claimSpare();
        if (claimed !== 0) return failed(claimed);
        continue;
      }
      if (typeof prepared === 'number') return failed(prepared);
      if (prepared.state === 'PrepareEpochFence') {
        // An open transaction is aborted first (the producer it belongs to is fenced); the caller retries and then gets its epoch.
        const errorCode = await this.endTransaction(metadata.transactionalId, prepared.producerId, prepared.producerEpoch, 'ABORT', false);
        return failed(errorCode === 0 ? E.CONCURRENT_TRANSACTIONS.code : errorCode);
      }
      const errorCode = await this.states.appendTransit(metadata, found.coordinatorEpoch, prepared);
      if (errorCode !== 0) return failed(errorCode);
      this.ctx.logger.info(`initialized transactional id ${transactionalId} with producer id ${prepared.producerId} and epoch ${prepared.producerEpoch}`);
      return { errorCode: 0, producerId: prepared.producerId, producerEpoch: prepared.producerEpoch };
    }
    return failed(E.CONCURRENT_TRANSACTIONS.code);
  }

  /** AddPartitionsToTxn (v0-3, and v4 without verifyOnly): the partitions join the open transaction, starting it if none is. */
  async addPartitionsToTxn(input: AddPartitionsInput): Promise<number> {
    const checked = this.checkProducer(input);
    if (typeof checked === 'number') return checked;
    const { metadata, coordinatorEpoch } = checked;
    if (metadata.hasPendingTransition || metadata.state === 'PrepareCommit' || metadata.state === 'PrepareAbort') return E.CONCURRENT_TRANSACTIONS.code;
    if (metadata.state === 'Ongoing' && metadata.containsAll(input.partitions)) return 0;
    return this.states.appendTransit(metadata, coordinatorEpoch, metadata.prepareAddPartitions(input.partitions, this.ctx.time.milliseconds()));
  }

  /** AddPartitionsToTxn v4 with verifyOnly (KIP-890): whether each partition is in the open transaction, nothing written. */
  verifyPartitionsInTxn(input: AddPartitionsInput): Map<TopicPartitionRef, number> {
    const answer = (code: (tp: TopicPartitionRef) => number): Map<TopicPartitionRef, number> => new Map(input.partitions.map((tp) => [tp, code(tp)]));
    const checked = this.checkProducer(input);
    if (typeof checked === 'number') return answer(() => checked);
    const { metadata } = checked;
    if (metadata.state === 'PrepareCommit' || metadata.state === 'PrepareAbort') return answer(() => E.CONCURRENT_TRANSACTIONS.code);
    return answer((tp) => (metadata.containsAll([tp]) ? 0 : E.INVALID_TXN_STATE.code));
  }

  /** AddOffsetsToTxn: the group's `__consumer_offsets` partition joins the transaction (its TxnOffsetCommits become part of it). */
  addOffsetsToTxn(input: AddOffsetsInput): Promise<number> {
    const partition = { topic: CONSUMER_OFFSETS_TOPIC, partition: this.ctx.groupPartitionFor(input.groupId) };
    return this.addPartitionsToTxn({ ...input, partitions: [partition] });
  }

  /** EndTxn: PrepareCommit/PrepareAbort persisted, answered, then markers and CompleteX in the background. */
  endTxn(input: EndTxnInput): Promise<number> {
    return this.endTransaction(input.transactionalId, input.producerId, input.producerEpoch, input.committed ? 'COMMIT' : 'ABORT', true);
  }

  listTransactions(filter: TransactionFilter = {}): { errorCode: number; unknownStates: string[]; transactions: TransactionListing[] } {
    return this.states.list(filter);
  }

  /** Throws TRANSACTIONAL_ID_NOT_FOUND, NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, INVALID_REQUEST. */
  describeTransaction(transactionalId: string): TransactionDescription {
    return this.requireMetadata(transactionalId).describe(this.ctx.brokerId);
  }

  private requireMetadata(transactionalId: string): TransactionMetadata {
    if (transactionalId === '') throw new KafkaError('INVALID_REQUEST', 'the transactional id is empty');
    const found = this.states.lookup(transactionalId);
    if (!found.ok) throw codeError(found.errorCode, `transactional id ${transactionalId}`);
    if (found.metadata === undefined || found.metadata.state === 'Dead') throw new KafkaError('TRANSACTIONAL_ID_NOT_FOUND', `transactional id ${transactionalId} is not known to its coordinator`);
    return found.metadata;
  }

  /**
   * An admin's abort of an open transaction, as its timeout would do it: the epoch bumped
   * (fencing the producer), PrepareAbort persisted; resolves once prepared (the markers
   * follow). INVALID_TXN_STATE when no transaction is open, CONCURRENT_TRANSACTIONS while
   * one is completing.
   */
  async abortTransaction(transactionalId: string): Promise<TransactionDescription> {
    const m = this.requireMetadata(transactionalId);
    if (m.hasPendingTransition || m.state === 'PrepareAbort' || m.state === 'PrepareCommit') throw new KafkaError('CONCURRENT_TRANSACTIONS', `the transaction of ${transactionalId} is completing`);
    if (m.state !== 'Ongoing') throw new KafkaError('INVALID_TXN_STATE', `transactional id ${transactionalId} has no open transaction (${m.state})`);
    const errorCode = await this.abortOngoing(m);
    if (errorCode !== 0) throw codeError(errorCode, `aborting the transaction of ${transactionalId}`);
    this.ctx.logger.info(`aborted the transaction of ${transactionalId} on request (producer id ${m.producerId}, fenced at epoch ${m.producerEpoch})`);
    return m.describe(this.ctx.brokerId);
  }

  /** One pass of the timeout task now: aborts Ongoing transactions past their timeout; resolves with how many were aborted. */
  async abortTimedOutTransactions(): Promise<number> {
    const due = this.states.timedOut(this.ctx.time.milliseconds());
    const codes = await Promise.all(due.map(({ metadata }) => this.abortOngoing(metadata).then((code) => {
      if (code === 0) this.ctx.logger.info(`aborted the transaction of ${metadata.transactionalId}: open longer than its timeout of ${metadata.txnTimeoutMs} ms`);
      else if (code !== E.CONCURRENT_TRANSACTIONS.code && code !== E.PRODUCER_FENCED.code) this.ctx.logger.warn(`aborting the timed-out transaction of ${metadata.transactionalId} failed with error ${code}`);
      return code;
    })));
    return codes.filter((c) => c === 0).length;
  }

  /** One pass of the expiration task now: ids idle past transactional.id.expiration.ms get a tombstone; resolves with how many went. */
  async expireTransactionalIds(): Promise<number> {
    let removed = 0;
    for (const { metadata, coordinatorEpoch } of this.states.expired(this.ctx.time.milliseconds())) {
      // Earlier tombstones were awaited: the id may have been used (or unloaded) since the list was made.
      if (!this.states.isCurrent(metadata, coordinatorEpoch) || !this.states.isExpired(metadata, this.ctx.time.milliseconds())) continue;
      if ((await this.states.appendTransit(metadata, coordinatorEpoch, metadata.prepareDead())) === 0) removed++;
    }
    if (removed > 0) this.ctx.logger.info(`removed ${removed} expired transactional id(s)`);
    return removed;
  }

  /** ReplicaRoles' hook: __transaction_state partitions led here load, those no longer led unload. */
  onLeadership(changes: readonly LeadershipChange[]): void {
    this.states.onLeadership(changes);
  }

  /** Stops: ids unload (marker jobs stop; the next coordinator completes them), the timer tasks stop. */
  async close(): Promise<void> {
    this.states.close();
    this.channel.close();
    await this.timeouts.stop();
    await this.expiration.stop();
  }

  /** The id's metadata if the request's producer owns it; else the error to answer. */
  private checkProducer(p: TxnProducer): { metadata: TransactionMetadata; coordinatorEpoch: number } | number {
    if (p.transactionalId === '') return E.INVALID_REQUEST.code;
    const found = this.states.lookup(p.transactionalId);
    if (!found.ok) return found.errorCode;
    const metadata = found.metadata;
    if (metadata === undefined || metadata.producerId !== p.producerId) return E.INVALID_PRODUCER_ID_MAPPING.code;
    if (metadata.producerEpoch !== p.producerEpoch) return E.PRODUCER_FENCED.code;
    return { metadata, coordinatorEpoch: found.coordinatorEpoch };
  }

  /** Fences the producer of an Ongoing transaction and aborts it (timeouts, admin aborts). */
  private abortOngoing(m: TransactionMetadata): Promise<number> {
    if (m.hasPendingTransition || m.state !== 'Ongoing') return Promise.resolve(E.CONCURRENT_TRANSACTIONS.code);
    const fence = m.prepareFenceProducerEpoch();
    return this.endTransaction(m.transactionalId, fence.producerId, fence.producerEpoch, 'ABORT', false);
  }

  /**
   * Kafka's endTransaction. `fromClient` false: an abort after an epoch fence, whose
   * bumped epoch is taken on here (in memory at once, persisted with PrepareAbort).
   */
  private async endTransaction(transactionalId: string, producerId: bigint, producerEpoch: number, result: TxnResult, fromClient: boolean): Promise<number> {
    if (transactionalId === '') return E.INVALID_REQUEST.code;
    const found = this.states.lookup(transactionalId);
    if (!found.ok) return found.errorCode;
    const m = found.metadata;
    if (m === undefined) return E.INVALID_PRODUCER_ID_MAPPING.code;
    const { coordinatorEpoch } = found;
    const fencing = m.pendingState === 'PrepareEpochFence';
    const prepared = prepareEndTransit(m, producerId, producerEpoch, result, fromClient, this.ctx.time.milliseconds());
    if (typeof prepared === 'number') {
      // A fence that could not proceed must not leave the id pending for ever.
      if (m.pendingState === 'PrepareEpochFence') m.abortTransition();
      return prepared;
    }
    const errorCode = await this.states.appendTransit(m, coordinatorEpoch, prepared);
    if (errorCode !== 0) {
      // The bumped epoch was never told to anyone: the next fence reuses it rather than bumping again.
      if (fencing && this.states.isCurrent(m, coordinatorEpoch)) m.hasFailedEpochFence = true;
      return errorCode;
    }
    if (!this.states.isCurrent(m, coordinatorEpoch)) return E.NOT_COORDINATOR.code;
    if (m.producerId !== producerId) return E.INVALID_PRODUCER_ID_MAPPING.code;
    if (m.producerEpoch !== producerEpoch) return E.PRODUCER_FENCED.code;
    if (m.hasPendingTransition) return E.CONCURRENT_TRANSACTIONS.code;
    if (m.state !== prepared.state) return E.INVALID_TXN_STATE.code;
    void this.channel.send(coordinatorEpoch, m, m.prepareComplete(this.ctx.time.milliseconds()));
    return 0;
  }
}


function codeError(code: number, what: string): KafkaError {
  const name = kafkaErrorName(code);
  const known = name === undefined || name === 'NONE' ? 'UNKNOWN_SERVER_ERROR' : name;
  return new KafkaError(known, `${what}: ${known}`);
}

/** The coordinator of a broker that has one (a Broker's `txns`; other BrokerApi implementations have none). */
export function transactionCoordinatorOf(broker: BrokerApi): TransactionCoordinator | undefined {
  const txns = (broker as { readonly txns?: unknown }).txns;
  return txns instanceof TransactionCoordinator ? txns : undefined;
}
