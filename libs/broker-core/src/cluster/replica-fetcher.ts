import { KAFKA_ERRORS, kafkaErrorName } from '../errors.js';
import type { KafkaClientConnection } from '../kafka-client/kafka-client-connection.js';
import { isKafkaClientError } from '../kafka-client/kafka-client-error.js';
import type { StorageLogger } from '../log/logger.js';
import type { FetchResponsePartitionData } from '../protocol/fetch/index.js';
import type { Cancellable, Scheduler } from '../timer/scheduler.js';
import type { FollowerReplica } from './follower-replica.js';
import { FetcherPartition, FetcherPartitions } from './replica-fetcher-partition.js';
import {
  EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, OFFSET_FOR_LEADER_EPOCH_VERSION, REPLICA_FETCH_VERSION, REPLICA_LIST_OFFSETS_VERSION,
  offsetForLeaderEpochRequest, replicaFetchRequest, replicaListOffsetsRequest, wholeBatchesLength, type FetchSettings,
} from './replica-fetcher-requests.js';
import type { FetcherErrorContext, ReplicaFetcherStats } from './replica-fetcher-stats.js';
import { actionForOutOfRange, truncationForLeaderEpoch, truncationWithoutEpochs, type TruncationDecision } from './replica-fetcher-truncation.js';

export interface ReplicaFetcherContext extends FetchSettings {
  readonly leaderId: number;
  readonly timer: Scheduler;
  readonly logger: StorageLogger;
  /** replica.fetch.backoff.ms: pause of a partition after its error, of the whole fetcher after a connection error. */
  readonly replicaFetchBackoffMs: number;
  /** The connection to the leader (made, or made again after a failure, by the caller's pool). */
  readonly connect: () => Promise<KafkaClientConnection>;
  /** Closes the connection to the leader, failing any request in flight (used by close()). */
  readonly disconnect: () => void;
  readonly onError: (error: unknown, context: FetcherErrorContext) => void;
}

/** Partition errors a follower expects around leadership changes: logged at info, retried after the backoff. */
const ROUTINE_ERRORS: ReadonlySet<number> = new Set([
  KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code, KAFKA_ERRORS.FENCED_LEADER_EPOCH.code,
  KAFKA_ERRORS.UNKNOWN_LEADER_EPOCH.code, KAFKA_ERRORS.UNKNOWN_TOPIC_OR_PARTITION.code,
]);

const errorText = (code: number): string => kafkaErrorName(code) ?? `error code ${code}`;

/**
 * Replicates the partitions this broker follows from one leader (Kafka's
 * ReplicaFetcherThread): a loop that, while it has partitions,
 * 1. truncates the partitions in the truncating phase (one OffsetForLeaderEpoch for all
 *    of them, or the high watermark when a replica has no epochs: KIP-101, KIP-279), then
 * 2. sends one Fetch for every partition ready to fetch and applies the response:
 *    appendAsFollower, then the leader's high watermark; a diverging epoch truncates
 *    (KIP-320); OFFSET_OUT_OF_RANGE asks the leader's log end and start (ListOffsets)
 *    and truncates or starts over. Other partition errors back that partition off.
 *
 * Waiting: the leader's long-poll (max_wait_ms) paces the fetches; with nothing to do the
 * loop awaits a wake-up (a partition added, a backoff over); backoffs are timer tasks. A
 * connection failure backs the whole fetcher off, then the pool reconnects.
 *
 * Removal: removing a partition (or closing) while a request is in flight marks its state
 * removed; the response is matched against the current states and dropped for it (see
 * FetcherPartition). Replicas are only called between awaits, synchronously, on the one
 * event loop.
 */
export class ReplicaFetcher {
  private readonly partitions = new FetcherPartitions();
  private running: Promise<void> | undefined;
  private closed = false;
  private wakeup: (() => void) | undefined;
  private backoff: Cancellable | undefined;
  private inFlight = false;
  private fetchRequests = 0;
  private bytesFetched = 0;
  private discardedResults = 0;
  private lastError: string | undefined;
  /** The failure being repeated since the last success: logged once, not at every retry (an unreachable or refusing leader fails every backoff). */
  private failureBurst: { message: string; count: number } | undefined;
  private readonly wake = (): void => {
    const wakeup = this.wakeup;
    this.wakeup = undefined;
    wakeup?.();
  };

  constructor(private readonly ctx: ReplicaFetcherContext) {}

  get leaderId(): number {
    return this.ctx.leaderId;
  }

  get partitionCount(): number {
    return this.partitions.size;
  }

  /** Starts (or restarts, at a new epoch) replicating these partitions: each truncates first. */
  addPartitions(replicas: readonly FollowerReplica[]): void {
    if (this.closed) throw new Error(`the fetcher from broker ${this.ctx.leaderId} is closed`);
    for (const replica of replicas) {
      const current = this.partitions.get(replica.topic, replica.partition);
      if (current !== undefined && current.replica === replica && current.addedAtEpoch === replica.leaderEpoch) continue;
      current?.remove();
      this.partitions.set(new FetcherPartition(replica));
    }
    this.running ??= this.run();
    this.wake();
  }

  /** Stops replicating these partitions; a response in flight is not applied to them. Returns how many were here. */
  removePartitions(refs: readonly { topic: string; partition: number }[]): number {
    let removed = 0;
    for (const { topic, partition } of refs) {
      const state = this.partitions.delete(topic, partition);
      if (state === undefined) continue;
      state.remove();
      removed++;
    }
    return removed;
  }

  has(topic: string, partition: number): boolean {
    return this.partitions.get(topic, partition) !== undefined;
  }

  stats(): ReplicaFetcherStats {
    return {
      leaderId: this.ctx.leaderId,
      partitions: this.partitions.select(() => true).map((s) => s.stats()),
      fetchRequests: this.fetchRequests,
      bytesFetched: this.bytesFetched,
      discardedResults: this.discardedResults,
      lastError: this.lastError,
      backingOff: this.backoff !== undefined,
      requestInFlight: this.inFlight,
    };
  }

  /** Stops the loop: drops every partition, fails the request in flight, and resolves once the loop has ended. */
  async close(): Promise<void> {
    if (this.closed) return this.running;
    this.closed = true;
    this.backoff?.cancel();
    this.backoff = undefined;
    for (const state of this.partitions.select(() => true)) {
      this.partitions.delete(state.topic, state.partition);
      state.remove();
    }
    this.ctx.disconnect();
    this.wake();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const truncating = this.backoff ? [] : this.partitions.select((s) => s.readyToTruncate);
      const fetching = this.backoff || truncating.length > 0 ? [] : this.partitions.select((s) => s.readyToFetch);
      if (truncating.length === 0 && fetching.length === 0) {
        await new Promise<void>((resolve) => (this.wakeup = resolve));
        continue;
      }
      this.inFlight = true;
      try {
        const connection = await this.ctx.connect();
        if (this.closed) break;
        if (truncating.length > 0) await this.truncate(connection, truncating);
        else await this.fetch(connection, fetching);
        this.burstEnded();
      } catch (err) {
        if (this.closed) break;
        this.fetcherFailed(err);
      } finally {
        this.inFlight = false;
      }
    }
  }

  private burstEnded(): void {
    if (this.failureBurst === undefined) return;
    this.ctx.logger.info(`replica fetcher from broker ${this.ctx.leaderId}: fetching again after ${this.failureBurst.count} failed attempt(s)`);
    this.failureBurst = undefined;
  }

  private fetcherFailed(err: unknown): void {
    const { logger, leaderId, replicaFetchBackoffMs, timer } = this.ctx;
    this.lastError = err instanceof Error ? err.message : String(err);
    if (this.failureBurst?.message === this.lastError) {
      this.failureBurst.count++;
    } else {
      this.failureBurst = { message: this.lastError, count: 1 };
      if (isKafkaClientError(err, 'authentication')) {
        logger.error(`replica fetcher from broker ${leaderId}: inter-broker authentication failed: ${this.lastError}; retrying every ${replicaFetchBackoffMs} ms (logged again when the failure changes)`);
      } else {
        logger.warn(`replica fetcher from broker ${leaderId}: ${this.lastError}; retrying every ${replicaFetchBackoffMs} ms (logged again when the failure changes)`);
      }
    }
    this.ctx.onError(err, { leaderId });
    this.backoff = timer.schedule(replicaFetchBackoffMs, () => {
      this.backoff = undefined;
      this.wake();
    });
  }

  private partitionFailed(state: FetcherPartition, error: string, cause?: unknown, routine = false): void {
    const { logger, leaderId } = this.ctx;
    const line = `replica fetcher from broker ${leaderId}: ${state.topic}-${state.partition}: ${error}`;
    if (routine) logger.info(line);
    else logger.error(line, cause);
    this.ctx.onError(cause ?? new Error(error), { leaderId, topic: state.topic, partition: state.partition });
    state.backOff(this.ctx.timer, this.ctx.replicaFetchBackoffMs, error, this.wake);
  }

  /** The state a response entry is for, if it is still the one the request was sent for. */
  private current(sent: Set<FetcherPartition>, topic: string, partition: number): FetcherPartition | undefined {
    const state = this.partitions.get(topic, partition);
    if (state !== undefined && sent.delete(state)) return state;
    this.discardedResults++;
    return undefined;
  }

  private async truncate(connection: KafkaClientConnection, states: readonly FetcherPartition[]): Promise<void> {
    const asking: FetcherPartition[] = [];
    for (const state of states) {
      if (state.replica.latestLocalEpoch < 0) this.applyTruncation(state, truncationWithoutEpochs(state.replica), -1);
      else asking.push(state);
    }
    if (asking.length === 0) return;
    const askedEpochs = new Map(asking.map((s) => [s, s.replica.latestLocalEpoch]));
    const sent = new Set(asking);
    const response = await connection.offsetForLeaderEpoch(OFFSET_FOR_LEADER_EPOCH_VERSION, offsetForLeaderEpochRequest(this.ctx.brokerId, asking));
    for (const topic of response.topics) {
      for (const result of topic.partitions) {
        const state = this.current(sent, topic.topic, result.partition);
        if (state === undefined) continue;
        if (result.errorCode !== KAFKA_ERRORS.NONE.code) {
          this.partitionFailed(state, `OffsetForLeaderEpoch: ${errorText(result.errorCode)}`, undefined, ROUTINE_ERRORS.has(result.errorCode));
          continue;
        }
        this.applyTruncation(state, truncationForLeaderEpoch(state.replica, result), askedEpochs.get(state)!);
      }
    }
    for (const state of sent) if (!state.removed) this.partitionFailed(state, 'missing from the OffsetForLeaderEpoch response');
  }

  /** Cuts the replica's log; moves on to fetching unless the decision asks for another round that can make progress. */
  private applyTruncation(state: FetcherPartition, decision: TruncationDecision, askedEpoch: number): void {
    try {
      if (decision.truncateTo < state.replica.logEndOffset) state.replica.truncateTo(decision.truncateTo);
    } catch (err) {
      this.partitionFailed(state, `truncation to ${decision.truncateTo} failed: ${String(err)}`, err);
      return;
    }
    if (decision.completed) {
      state.phase = 'fetching';
    } else if (state.replica.latestLocalEpoch >= askedEpoch) {
      // Another round would ask the same epoch again: the replica's epoch cache did not follow the cut.
      this.ctx.logger.warn(`${state.topic}-${state.partition}: epoch ${state.replica.latestLocalEpoch} still latest after truncating to ${decision.truncateTo}; fetching from there`);
      state.phase = 'fetching';
    }
  }

  private async fetch(connection: KafkaClientConnection, states: readonly FetcherPartition[]): Promise<void> {
    const request = replicaFetchRequest(this.ctx, states);
    const sent = new Set(states);
    this.fetchRequests++;
    const response = await connection.fetch(REPLICA_FETCH_VERSION, request);
    if (response.errorCode !== KAFKA_ERRORS.NONE.code) throw new Error(`Fetch failed: ${errorText(response.errorCode)}`);
    const outOfRange: FetcherPartition[] = [];
    for (const topic of response.responses) {
      for (const data of topic.partitions) {
        const state = this.current(sent, topic.topic, data.partitionIndex);
        if (state === undefined) continue;
        if (state.replica.logEndOffset !== state.requestedOffset) {
          this.discardedResults++;
          continue;
        }
        if (data.errorCode === KAFKA_ERRORS.OFFSET_OUT_OF_RANGE.code) outOfRange.push(state);
        else if (data.errorCode !== KAFKA_ERRORS.NONE.code) this.partitionFailed(state, `Fetch: ${errorText(data.errorCode)}`, undefined, ROUTINE_ERRORS.has(data.errorCode));
        else this.applyFetched(state, data);
      }
    }
    if (outOfRange.length > 0) await this.resetOutOfRange(connection, outOfRange);
  }

  private applyFetched(state: FetcherPartition, data: FetchResponsePartitionData): void {
    const { replica } = state;
    if (data.divergingEpoch.epoch >= 0) {
      const decision = truncationForLeaderEpoch(replica, { leaderEpoch: data.divergingEpoch.epoch, endOffset: data.divergingEpoch.endOffset });
      this.ctx.logger.info(`${state.topic}-${state.partition}: the leader reports divergence at epoch ${data.divergingEpoch.epoch}; truncating to ${decision.truncateTo}`);
      this.applyTruncation(state, { truncateTo: decision.truncateTo, completed: true }, -1);
      return;
    }
    const records = data.records;
    try {
      if (records !== null && records.length > 0) {
        const whole = wholeBatchesLength(records);
        if (whole === 0) {
          this.partitionFailed(state, `the fetched data at ${state.requestedOffset} holds no whole batch (${records.length} bytes)`);
          return;
        }
        replica.appendAsFollower(whole === records.length ? records : records.subarray(0, whole));
        state.bytesFetched += whole;
        this.bytesFetched += whole;
      }
      replica.updateFollowerHighWatermark(data.highWatermark, data.logStartOffset);
      state.leaderHighWatermark = data.highWatermark;
    } catch (err) {
      this.partitionFailed(state, `appending fetched data at ${state.requestedOffset} failed: ${String(err)}`, err);
    }
  }

  /** OFFSET_OUT_OF_RANGE at our log end: ask the leader where its log ends and starts, then cut or start over. */
  private async resetOutOfRange(connection: KafkaClientConnection, states: readonly FetcherPartition[]): Promise<void> {
    const { brokerId } = this.ctx;
    const [latest, earliest] = await Promise.all([
      connection.listOffsets(REPLICA_LIST_OFFSETS_VERSION, replicaListOffsetsRequest(brokerId, states, LATEST_TIMESTAMP)),
      connection.listOffsets(REPLICA_LIST_OFFSETS_VERSION, replicaListOffsetsRequest(brokerId, states, EARLIEST_TIMESTAMP)),
    ]);
    const offsetIn = (response: typeof latest, state: FetcherPartition) =>
      response.topics.find((t) => t.name === state.topic)?.partitions.find((p) => p.partitionIndex === state.partition);
    for (const state of states) {
      if (state.removed) continue;
      const end = offsetIn(latest, state);
      const start = offsetIn(earliest, state);
      const code = end === undefined || start === undefined ? undefined : end.errorCode || start.errorCode;
      if (code !== KAFKA_ERRORS.NONE.code) {
        this.partitionFailed(state, `out of range at ${state.requestedOffset}; ListOffsets: ${code === undefined ? 'no answer' : errorText(code)}`, undefined, code !== undefined && ROUTINE_ERRORS.has(code));
        continue;
      }
      const action = actionForOutOfRange(state.replica.logEndOffset, end!.offset, start!.offset);
      this.ctx.logger.info(`${state.topic}-${state.partition}: fetch offset ${state.requestedOffset} out of range at the leader (log ${start!.offset}..${end!.offset}): ${action.kind}`);
      try {
        if (action.kind === 'truncate') state.replica.truncateTo(action.offset);
        else if (action.kind === 'start-at') state.replica.truncateFullyAndStartAt(action.offset);
        // Our end is inside the leader's log now: it moved meanwhile. A pause keeps a leader that disagrees with itself from spinning us.
        else this.partitionFailed(state, `out of range at ${state.requestedOffset}, yet within the leader's log ${start!.offset}..${end!.offset}`, undefined, true);
      } catch (err) {
        this.partitionFailed(state, `resetting after out of range failed: ${String(err)}`, err);
      }
    }
  }
}
