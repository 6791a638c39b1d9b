import { KAFKA_ERRORS, KafkaError } from '../errors.js';
import { iterateBatchHeaders } from '../log/batch/record-batch-decoder.js';
import { DelayedOperationPurgatory, type PurgatoryMetrics } from '../timer/delayed-operation-purgatory.js';
import type { Timer } from '../timer/system-timer.js';
import type { AppendEntry, AppendOptions, AppendResult, FetchOptions, FetchRequest, FetchResult } from './broker-api.js';
import type { BrokerEvents, TopicCounterSet } from './broker-events.js';
import type { BrokerLogger } from './broker-options.js';
import { DelayedFetch } from './delayed-fetch.js';
import { errorCodeOf } from './error-codes.js';
import type { Partition } from './partition.js';
import { readPartition, type Isolation } from './partition-fetch.js';
import type { TopicTable } from './topic-table.js';
import { isInternalTopic } from './topic-name.js';
import type { Time } from '../time.js';
import { DelayedProduce, type PendingAppend } from './delayed-produce.js';

const MAX_WAIT_MS = 0x7fffffff;

export interface ReplicaManagerContext {
  readonly table: TopicTable;
  readonly timer: Timer;
  readonly time: Time;
  readonly events: BrokerEvents;
  readonly counters: TopicCounterSet;
  readonly logger: BrokerLogger;
  /** True while the broker must assume its registry session expired (ClusterMembership.fenced): it leads nothing. */
  readonly fenced?: () => boolean;
}

/**
 * The produce and fetch paths both doors share (Kafka's ReplicaManager.appendRecords and
 * fetchMessages), over the partitions this broker leads.
 *
 * Invariants: one bad partition never fails a request: every entry gets its own error
 * code. Each successful append raises the HW as far as the ISR allows (an ISR of one: to
 * the LEO), then tells listeners and completes the fetches waiting on that partition, in
 * that order, so a woken fetch sees the new data. acks=all appends whose records are not
 * yet below the HW wait in the produce purgatory until followers' fetches move it
 * (DelayedProduce). A follower's fetch (replica id >= 0) reads to the log end and
 * reports its LEO. Waiting produces and fetches live in purgatories keyed by
 * `<topic>-<partition>`, with their timeouts on the shared timer; `close()` answers
 * every one still waiting, so no caller's promise is left hanging.
 */
export class ReplicaManager {
  private readonly fetchPurgatory: DelayedOperationPurgatory<DelayedFetch>;
  private readonly producePurgatory: DelayedOperationPurgatory<DelayedProduce>;
  private readonly waitingFetches = new Set<DelayedFetch>();
  private readonly waitingProduces = new Set<DelayedProduce>();
  private closed = false;
  /** Told after a follower's fetch, to consider adding it to the ISR (see ReplicaRoles). */
  onFollowerFetch: (partition: Partition, followerId: number) => void = () => {};

  constructor(private readonly ctx: ReplicaManagerContext) {
    this.fetchPurgatory = new DelayedOperationPurgatory<DelayedFetch>('Fetch', ctx.timer);
    this.producePurgatory = new DelayedOperationPurgatory<DelayedProduce>('Produce', ctx.timer);
  }

  async appendRecords(entries: readonly AppendEntry[], options: AppendOptions): Promise<AppendResult[]> {
    const { acks } = options;
    if (acks !== 0 && acks !== 1 && acks !== -1) {
      return entries.map((e) => failedAppend(e, KAFKA_ERRORS.INVALID_REQUIRED_ACKS.code, `acks must be 0, 1 or -1, got ${String(acks)}`));
    }
    const results: AppendResult[] = [];
    const durable: (Promise<void> | undefined)[] = [];
    const pending: PendingAppend[] = [];
    for (const entry of entries) {
      try {
        if (this.closed) throw new KafkaError('NOT_LEADER_OR_FOLLOWER', 'the broker is shutting down');
        if (this.ctx.fenced?.() === true) throw new KafkaError('NOT_LEADER_OR_FOLLOWER', 'the broker lost contact with the registry and may no longer lead');
        const partition = this.ctx.table.requirePartition(entry.topic, entry.partition);
        if (!options.internalTopicsAllowed && isInternalTopic(entry.topic)) {
          throw new KafkaError('INVALID_TOPIC_EXCEPTION', `Cannot append to internal topic ${entry.topic}`);
        }
        const bytes = entry.records.length;
        // The log refuses control batches (transaction markers) from clients, in its validation pass.
        const info = partition.appendAsLeader(entry.records, acks, options.origin ?? 'client');
        this.ctx.counters.recordIn(entry.topic, info.recordCount, bytes);
        results.push({
          topic: entry.topic, partition: entry.partition, errorCode: 0, errorMessage: null,
          baseOffset: info.firstOffset, logAppendTime: info.logAppendTime, logStartOffset: info.logStartOffset,
        });
        // acks=0 waits for nothing, but a failed fsync must still not become an unhandled rejection.
        durable.push(acks === 0 ? void info.durable.catch((err: unknown) => this.ctx.logger.error('fsync after an acks=0 append failed', err)) : info.durable);
        if (info.recordCount > 0) this.afterAppend(partition);
        const requiredOffset = info.lastOffset + 1n;
        // A duplicate (a retried batch already in the log) is acknowledged once the original is replicated.
        if (acks === -1 && (info.recordCount > 0 || info.duplicate === true) && partition.highWatermark < requiredOffset) {
          pending.push({ index: results.length - 1, partition, requiredOffset });
        }
      } catch (err) {
        const { errorCode, errorMessage } = errorCodeOf(err);
        if (errorCode === KAFKA_ERRORS.UNKNOWN_SERVER_ERROR.code) this.ctx.logger.error(`append to ${entry.topic}-${entry.partition} failed`, err);
        results.push(failedAppend(entry, errorCode, errorMessage));
        durable.push(undefined);
      }
    }
    // The flush policy (flush.messages / flush.ms) decides whether `durable` waits for an fsync.
    const settled = await Promise.allSettled(durable);
    const local = results.map((result, i) => {
      const outcome = settled[i]!;
      if (outcome.status === 'fulfilled') return result;
      const { errorCode, errorMessage } = errorCodeOf(outcome.reason);
      return { ...failedAppend(result, errorCode, errorMessage) };
    });
    const replicated = pending.filter((p) => local[p.index]!.errorCode === 0);
    return replicated.length === 0 ? local : this.awaitReplication(replicated, local, options.timeoutMs);
  }

  /** acks=all: parks the response in the produce purgatory until the ISR has the records. */
  private awaitReplication(pending: readonly PendingAppend[], results: AppendResult[], timeoutMs: number): Promise<AppendResult[]> {
    return new Promise<AppendResult[]>((resolve) => {
      const delayMs = Math.min(Math.max(0, Math.floor(timeoutMs)), MAX_WAIT_MS);
      const operation: DelayedProduce = new DelayedProduce(delayMs, this.ctx.table, pending, results, (done) => {
        this.waitingProduces.delete(operation);
        resolve(done);
      });
      this.waitingProduces.add(operation);
      this.producePurgatory.tryCompleteElseWatch(operation, [...new Set(pending.map((p) => p.partition.key))]);
    });
  }

  /** The HW or the state of a partition moved: waiting produces and fetches may complete. */
  highWatermarkMoved(partition: Partition): void {
    this.producePurgatory.checkAndComplete(partition.key);
    this.fetchPurgatory.checkAndComplete(partition.key);
    this.ctx.events.emit({ type: 'records-appended', topic: partition.topic, partition: partition.partition, highWatermark: partition.highWatermark });
  }

  /** After a leader append: the HW may have moved (an ISR of one), and followers' fetches wait for these bytes. */
  private afterAppend(partition: Partition): void {
    this.ctx.events.emit({ type: 'records-appended', topic: partition.topic, partition: partition.partition, highWatermark: partition.highWatermark });
    this.fetchPurgatory.checkAndComplete(partition.key);
  }

  /** Wakes produces and fetches waiting on a partition whose state changed (deleted, leadership moved, log start moved). */
  partitionChanged(topic: string, partition: number): void {
    this.producePurgatory.checkAndComplete(`${topic}-${partition}`);
    this.fetchPurgatory.checkAndComplete(`${topic}-${partition}`);
  }

  fetch(requests: readonly FetchRequest[], options: FetchOptions = {}): Promise<FetchResult[]> {
    const isolation: Isolation = options.isolation ?? 'read_uncommitted';
    // Kafka's max_wait_ms is an int32; anything longer is not a wait a client can mean.
    const maxWaitMs = Math.min(Math.max(0, Math.floor(options.maxWaitMs ?? 0)), MAX_WAIT_MS);
    const minBytes = Math.max(0, options.minBytes ?? 1);
    const responseMaxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
    const replicaId = options.replicaId ?? -1;
    const readAll = (): FetchResult[] => {
      const results = readPartitions(this.ctx.table, requests, isolation, responseMaxBytes, replicaId);
      if (replicaId >= 0) this.recordFollowerFetches(replicaId, requests, results);
      return results;
    };
    const read = (): FetchResult[] => (replicaId >= 0 ? readAll() : this.countOut(readAll()));
    const first = readAll();
    const bytes = first.reduce((sum, r) => sum + r.records.length, 0);
    if (this.closed || maxWaitMs === 0 || requests.length === 0 || bytes >= minBytes || first.some((r) => r.errorCode !== 0)) {
      return Promise.resolve(replicaId >= 0 ? first : this.countOut(first));
    }
    return new Promise<FetchResult[]>((resolve) => {
      const operation: DelayedFetch = new DelayedFetch(maxWaitMs, this.ctx.table, first, requests, minBytes, replicaId >= 0, read, (results) => {
        this.waitingFetches.delete(operation);
        resolve(results);
      });
      this.waitingFetches.add(operation);
      const keys = [...new Set(requests.map((r) => `${r.topic}-${r.partition}`))];
      this.fetchPurgatory.tryCompleteElseWatch(operation, keys);
    });
  }

  /**
   * A follower's fetch offsets are its LEOs (Kafka's updateFollowerFetchState): recorded
   * against the LEO the read saw, which may move the HW (completing waiting produces and
   * consumer fetches) and may bring the follower back into the ISR.
   */
  private recordFollowerFetches(replicaId: number, requests: readonly FetchRequest[], results: readonly FetchResult[]): void {
    const nowMs = this.ctx.time.milliseconds();
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i]!;
      if (results[i]!.errorCode !== 0) continue;
      const partition = this.ctx.table.partition(request.topic, request.partition);
      if (partition === undefined || !partition.isLeader) continue;
      const moved = partition.recordFollowerFetch(replicaId, request.fetchOffset, request.logStartOffset ?? -1n, partition.logEndOffset, nowMs);
      if (moved) this.highWatermarkMoved(partition);
      this.onFollowerFetch(partition, replicaId);
    }
  }

  private countOut(results: FetchResult[]): FetchResult[] {
    for (const r of results) {
      if (r.records.length === 0) continue;
      let records = 0;
      for (const batch of iterateBatchHeaders(r.records, 0, { verifyCrc: false, allowPartialTail: true })) records += batch.recordsCount;
      this.ctx.counters.recordOut(r.topic, records, r.records.length);
    }
    return results;
  }

  /** The produce and fetch purgatories' sizes and totals (operators' views). */
  purgatoryMetrics(): PurgatoryMetrics[] {
    return [this.producePurgatory.metrics(), this.fetchPurgatory.metrics()];
  }

  /** Answers every waiting fetch with what is readable now, then stops the purgatory. */
  close(): void {
    this.closed = true;
    for (const operation of [...this.waitingFetches]) operation.forceComplete();
    for (const operation of [...this.waitingProduces]) operation.forceComplete();
    this.fetchPurgatory.shutdown();
    this.producePurgatory.shutdown();
  }
}

/**
 * Reads every partition of a fetch within the response's `max_bytes` (KIP-74): partitions
 * are filled in request order from what is left of the budget; the first partition that
 * has data may exceed it by one whole batch so a consumer is never stuck, and once the
 * budget is spent the remaining partitions answer empty (no error), to be asked again.
 */
function readPartitions(table: TopicTable, requests: readonly FetchRequest[], isolation: Isolation, maxBytes: number, replicaId: number): FetchResult[] {
  let budget = Math.max(0, maxBytes);
  let served = false;
  return requests.map((request) => {
    const limit = Math.min(request.maxBytes, budget);
    const result = readPartition(table, limit === request.maxBytes ? request : { ...request, maxBytes: limit }, isolation, !served, replicaId);
    if (result.records.length > 0) served = true;
    budget = Math.max(0, budget - result.records.length);
    return result;
  });
}

function failedAppend(entry: { topic: string; partition: number }, errorCode: number, errorMessage: string): AppendResult {
  return { topic: entry.topic, partition: entry.partition, errorCode, errorMessage, baseOffset: -1n, logAppendTime: -1n, logStartOffset: -1n };
}
