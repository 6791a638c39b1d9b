import { BrokerConnections, type BrokerLookup } from '../kafka-client/broker-connections.js';
import type { ClientSecurity } from '../kafka-client/client-security.js';
import type { KafkaClientConnection } from '../kafka-client/kafka-client-connection.js';
import type { StorageLogger } from '../log/logger.js';
import { DEFAULT_SOCKET_REQUEST_MAX_BYTES } from '../protocol/frame-decoder.js';
import type { Scheduler } from '../timer/scheduler.js';
import type { FollowerReplica } from './follower-replica.js';
import { ReplicaFetcher } from './replica-fetcher.js';
import type { FetcherErrorContext, ReplicaFetcherStats } from './replica-fetcher-stats.js';

/** What the manager needs from a connection pool (BrokerConnections has it all). */
export interface FetcherConnections {
  get(brokerId: number): Promise<KafkaClientConnection>;
  disconnect(brokerId: number): void;
}

/** Kafka's defaults for the settings the broker does not carry in BrokerDefaults. */
export const DEFAULT_REPLICA_FETCH_MIN_BYTES = 1;
/** replica.fetch.response.max.bytes */
export const DEFAULT_REPLICA_FETCH_RESPONSE_MAX_BYTES = 10 * 1024 * 1024;
/** replica.socket.timeout.ms: a fetcher's request timeout; must exceed replica.fetch.wait.max.ms. */
export const DEFAULT_REPLICA_SOCKET_TIMEOUT_MS = 30_000;
/** socket.connection.setup.timeout.ms */
export const DEFAULT_CONNECTION_SETUP_TIMEOUT_MS = 10_000;

export interface ReplicaFetcherManagerOptions {
  readonly brokerId: number;
  readonly timer: Scheduler;
  readonly logger: StorageLogger;
  /**
   * Either a pool for the fetchers' use alone (a long-poll Fetch delays whatever follows
   * it on a connection), which the manager does not close, or `resolveBroker`, from which
   * the manager makes and owns such a pool.
   */
  readonly connections?: FetcherConnections;
  readonly resolveBroker?: BrokerLookup;
  readonly replicaFetchWaitMaxMs: number;
  readonly replicaFetchMaxBytes: number;
  readonly replicaFetchMinBytes?: number;
  readonly replicaFetchResponseMaxBytes?: number;
  readonly replicaFetchBackoffMs: number;
  readonly replicaSocketTimeoutMs?: number;
  /** With an owned pool: the largest response frame accepted (default: socket.request.max.bytes, 100 MiB). */
  readonly maxResponseBytes?: number;
  /** Told of every fetcher and partition error (they are also logged and retried after the backoff). */
  readonly onError?: (error: unknown, context: FetcherErrorContext) => void;
  /** With an owned pool: TLS and SASL towards leaders in other processes. */
  readonly security?: ClientSecurity;
}

/**
 * The follower side of replication (Kafka's ReplicaFetcherManager): one ReplicaFetcher
 * per leader broker, each driving the follower replicas whose leader that broker is. A
 * partition is in at most one fetcher; adding it under another leader moves it. A fetcher
 * left without partitions is shut down, and its connection closed.
 *
 * Callers: the broker, on the one event loop, when the registry says its role in a
 * partition changed (ReplicaRoles): removePartitions for partitions it now leads or no
 * longer hosts, addPartitions(leader, replicas) for those it follows, at a new epoch.
 */
export class ReplicaFetcherManager {
  private readonly fetchers = new Map<number, ReplicaFetcher>();
  private readonly stopping = new Set<Promise<void>>();
  private readonly connections: FetcherConnections;
  private readonly ownedPool: BrokerConnections | undefined;
  private closed = false;
  private idleCheckQueued = false;

  constructor(private readonly options: ReplicaFetcherManagerOptions) {
    const socketTimeoutMs = options.replicaSocketTimeoutMs ?? DEFAULT_REPLICA_SOCKET_TIMEOUT_MS;
    if (socketTimeoutMs <= options.replicaFetchWaitMaxMs) {
      throw new RangeError(`replica.socket.timeout.ms (${socketTimeoutMs}) must exceed replica.fetch.wait.max.ms (${options.replicaFetchWaitMaxMs})`);
    }
    if ((options.connections === undefined) === (options.resolveBroker === undefined)) {
      throw new TypeError('ReplicaFetcherManager takes either connections or resolveBroker');
    }
    if (options.resolveBroker !== undefined) {
      this.ownedPool = new BrokerConnections({
        clientId: `broker-${options.brokerId}-fetcher`,
        timer: options.timer,
        resolveBroker: options.resolveBroker,
        connectTimeoutMs: DEFAULT_CONNECTION_SETUP_TIMEOUT_MS,
        requestTimeoutMs: socketTimeoutMs,
        maxResponseBytes: options.maxResponseBytes ?? DEFAULT_SOCKET_REQUEST_MAX_BYTES,
        ...(options.security === undefined ? {} : { security: options.security }),
      });
    }
    this.connections = options.connections ?? this.ownedPool!;
  }

  /** Follows `replicas` from broker `leaderId`: each truncates, then fetches. Re-adding one at the same epoch changes nothing. */
  addPartitions(leaderId: number, replicas: readonly FollowerReplica[]): void {
    if (this.closed) throw new Error('the replica fetcher manager is closed');
    if (leaderId === this.options.brokerId) throw new RangeError(`broker ${leaderId} cannot fetch from itself`);
    for (const [otherLeader, fetcher] of this.fetchers) {
      if (otherLeader !== leaderId) fetcher.removePartitions(replicas);
    }
    let fetcher = this.fetchers.get(leaderId);
    if (fetcher === undefined) {
      fetcher = this.createFetcher(leaderId);
      this.fetchers.set(leaderId, fetcher);
    }
    fetcher.addPartitions(replicas);
    this.shutDownIdleFetchersSoon();
  }

  /** Stops fetching these partitions; a response in flight is not applied to them. */
  removePartitions(refs: readonly { topic: string; partition: number }[]): void {
    for (const fetcher of this.fetchers.values()) fetcher.removePartitions(refs);
    this.shutDownIdleFetchersSoon();
  }

  /** The leader a partition is fetched from, or undefined. */
  leaderOf(topic: string, partition: number): number | undefined {
    for (const [leaderId, fetcher] of this.fetchers) if (fetcher.has(topic, partition)) return leaderId;
    return undefined;
  }

  fetcherStats(): ReplicaFetcherStats[] {
    return [...this.fetchers.values()].map((f) => f.stats()).sort((a, b) => a.leaderId - b.leaderId);
  }

  /** Stops every fetcher (requests in flight fail and are not applied) and closes the pool the manager made. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const fetchers = [...this.fetchers.values()];
    this.fetchers.clear();
    await Promise.all([...fetchers.map((f) => f.close()), ...this.stopping]);
    this.ownedPool?.close();
  }

  private createFetcher(leaderId: number): ReplicaFetcher {
    const { options, connections } = this;
    return new ReplicaFetcher({
      leaderId,
      brokerId: options.brokerId,
      timer: options.timer,
      logger: options.logger,
      replicaFetchWaitMaxMs: options.replicaFetchWaitMaxMs,
      replicaFetchMinBytes: options.replicaFetchMinBytes ?? DEFAULT_REPLICA_FETCH_MIN_BYTES,
      replicaFetchMaxBytes: options.replicaFetchMaxBytes,
      replicaFetchResponseMaxBytes: options.replicaFetchResponseMaxBytes ?? DEFAULT_REPLICA_FETCH_RESPONSE_MAX_BYTES,
      replicaFetchBackoffMs: options.replicaFetchBackoffMs,
      connect: () => connections.get(leaderId),
      disconnect: () => connections.disconnect(leaderId),
      onError: (error, context) => options.onError?.(error, context),
    });
  }

  /**
   * At the end of the current turn, so that a partition removed and added back under the
   * same leader in one turn (a new epoch, see ReplicaRoles.apply) keeps its fetcher and
   * connection rather than closing and reconnecting.
   */
  private shutDownIdleFetchersSoon(): void {
    if (this.idleCheckQueued) return;
    this.idleCheckQueued = true;
    queueMicrotask(() => {
      this.idleCheckQueued = false;
      if (!this.closed) this.shutDownIdleFetchers();
    });
  }

  private shutDownIdleFetchers(): void {
    for (const [leaderId, fetcher] of this.fetchers) {
      if (fetcher.partitionCount > 0) continue;
      this.fetchers.delete(leaderId);
      const stopping = fetcher.close().finally(() => this.stopping.delete(stopping));
      this.stopping.add(stopping);
    }
  }
}
