import type { PartitionOutcome, TxnMarkerEntry } from '../../broker/broker-api.js';
import type { Broker } from '../../broker/broker.js';
import { BrokerHarness } from '../../broker/testing/broker-harness.js';
import type { TopicTable } from '../../broker/topic-table.js';
import { iterateBatches } from '../../log/batch/record-batch-decoder.js';
import { SILENT_STORAGE_LOGGER } from '../../log/logger.js';
import { partitionForGroup } from '../../group/partition-for-group.js';
import { TransactionCoordinator } from '../transaction-coordinator.js';
import type { TransactionDefaults } from '../transaction-defaults.js';
import { decodeTransactionLogKey, decodeTransactionLogValue, TRANSACTION_STATE_TOPIC, type TransactionLogValue } from '../transaction-log-record.js';
import type { TxnMarkerWriter } from '../txn-marker-channel.js';

/** Lets queued promise continuations run. */
export const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The marker channel of the specs: records every entry and answers success, except for
 * scripted failures (a partition answering an error code a number of times) and while
 * `hold()` parks answers until `release()`. The real channel (local appends, WriteTxnMarkers
 * to other brokers) belongs to the broker; the coordinator only sees this interface.
 */
export class RecordingMarkers implements TxnMarkerWriter {
  readonly entries: TxnMarkerEntry[] = [];
  /** Scripted answers by partition: an error code, or 'omit' (no outcome at all), `times` more times. */
  private readonly failures = new Map<string, { code: number | 'omit'; times: number }>();
  private held: (() => void)[] | undefined;

  failNext(topic: string, partition: number, code: number, times: number): void {
    this.failures.set(`${topic}-${partition}`, { code, times });
  }

  /** The partition's next `times` answers are left out of the outcomes altogether. */
  omitNext(topic: string, partition: number, times: number): void {
    this.failures.set(`${topic}-${partition}`, { code: 'omit', times });
  }

  hold(): void { this.held ??= []; }

  release(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const go of waiting) go();
  }

  async write(entry: TxnMarkerEntry): Promise<PartitionOutcome[]> {
    this.entries.push(entry);
    if (this.held !== undefined) await new Promise<void>((resolve) => this.held!.push(resolve));
    return entry.partitions.flatMap((tp) => {
      const failure = this.failures.get(`${tp.topic}-${tp.partition}`);
      if (failure !== undefined && failure.times > 0) {
        failure.times--;
        return failure.code === 'omit' ? [] : [{ ...tp, errorCode: failure.code, errorMessage: null }];
      }
      return [{ ...tp, errorCode: 0, errorMessage: null }];
    });
  }
}

/** Settings the specs use: three state partitions, short intervals. */
export const SPEC_SETTINGS: Partial<TransactionDefaults> = {
  transactionStateLogNumPartitions: 3,
  transactionAbortTimedOutTransactionCleanupIntervalMs: 1000,
  transactionRemoveExpiredTransactionCleanupIntervalMs: 60_000,
  transactionMarkerRetryBackoffMs: 100,
};

/**
 * A real broker on a mock clock (BrokerHarness) with a topic `t` of 3 partitions and a
 * TransactionCoordinator over it: the broker's topic table, produce path (appends to
 * `__transaction_state` with acks=all), topic creation and registry, with recording
 * markers instead of the broker's marker router. The broker's own coordinator is closed
 * first, so this one is the only one reading and writing the state topic; it is told of
 * its leadership of the state partitions as ReplicaRoles tells the broker's own.
 */
export class TxnHarness {
  coordinator!: TransactionCoordinator;

  private constructor(readonly h: BrokerHarness, readonly markers: RecordingMarkers, private readonly settings: Partial<TransactionDefaults>) {}

  static async start(settings: Partial<TransactionDefaults> = {}): Promise<TxnHarness> {
    const h = await BrokerHarness.start({ groupInitialRebalanceDelayMs: 0 });
    await h.broker.txns.close();
    await h.broker.createTopic({ name: 't', partitions: 3 });
    const harness = new TxnHarness(h, new RecordingMarkers(), { ...SPEC_SETTINGS, ...settings });
    await harness.startCoordinator();
    return harness;
  }

  get broker(): Broker { return this.h.broker; }
  get time(): BrokerHarness['time'] { return this.h.time; }

  /** The broker's topic table (private to Broker: the coordinator is handed it at construction, as here). */
  private get table(): TopicTable { return (this.h.broker as unknown as { readonly table: TopicTable }).table; }

  /** A coordinator on the current broker incarnation; it creates the state topic if needed and loads every partition. */
  async startCoordinator(): Promise<void> {
    const broker = this.h.broker;
    this.coordinator = new TransactionCoordinator({
      brokerId: broker.brokerId, time: this.h.time, timer: this.h.timer, logger: SILENT_STORAGE_LOGGER, table: this.table, settings: this.settings,
      liveBrokers: () => broker.describeCluster().brokers, createTopic: (topic) => broker.createTopic(topic),
      append: (entries, options) => broker.appendRecords(entries, { ...options, internalTopicsAllowed: true }),
      registry: this.h.registry, markers: this.markers, groupPartitionFor: (groupId) => partitionForGroup(groupId, 50),
    });
    const found = await this.coordinator.findCoordinator('any');
    if (found.errorCode !== 0) throw new Error(`FindCoordinator answered ${found.errorCode}`);
    this.lead(true);
    this.coordinator.start();
  }

  /** Tells the coordinator it leads (or no longer leads) every state partition. */
  lead(leading: boolean): void {
    this.coordinator.onLeadership(this.table.require(TRANSACTION_STATE_TOPIC).partitions.map((partition) => ({ partition, leading })));
  }

  /** Moves the mock clock on in steps, letting continuations run between them. */
  async advance(ms: number, stepMs = 100): Promise<void> {
    for (let left = ms; left > 0; left -= stepMs) {
      this.time.advance(Math.min(stepMs, left));
      await settle();
    }
  }

  /** Lets the coordinator's background work (markers, completion writes) run until `done` holds. */
  async until(what: string, done: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !done(); i++) {
      this.time.advance(0);
      await settle();
    }
    if (!done()) throw new Error(`never happened: ${what}`);
  }

  /** Every record of the id's state partition, oldest first (null: a tombstone). */
  stateRecords(transactionalId: string): (TransactionLogValue | null)[] {
    const log = this.table.require(TRANSACTION_STATE_TOPIC).partitions[this.coordinator.partitionFor(transactionalId)]!.log!;
    const data = log.read(log.logStartOffset, 1 << 20, { minOneMessage: true });
    const out: (TransactionLogValue | null)[] = [];
    for (const batch of iterateBatches(data.records, 0, { verifyCrc: true, allowPartialTail: false })) {
      for (const record of batch.records) {
        if (record.key === null || decodeTransactionLogKey(record.key) !== transactionalId) continue;
        out.push(record.value === null ? null : decodeTransactionLogValue(record.value));
      }
    }
    return out;
  }

  /**
   * The coordinator moves: this one stops where it is (marker work abandoned, as a crashed
   * broker's would be) and a new one, at the partitions' current leader epoch, loads the
   * state topic from the log.
   */
  async moveCoordinator(): Promise<void> {
    await this.coordinator.close();
    await this.startCoordinator();
  }

  async close(): Promise<void> {
    await this.coordinator.close();
    await this.h.close();
  }
}
