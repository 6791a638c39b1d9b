import type {
  AppendEntry, AppendOptions, AppendResult, FetchOptions, FetchRequest, FetchResult, ProduceRecord, ProduceResult, ReadQuery, ReadResult, IsolationLevel, ListOffsetOptions,
} from '../broker/broker-api.js';
import type { ClientSecurity } from '../kafka-client/client-security.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import { planProduce, produceResults } from '../broker/produce-batches.js';
import { DefaultPartitioner } from '../broker/partitioner.js';
import { KAFKA_ERRORS, KafkaError } from '../errors.js';
import { BrokerConnections } from '../kafka-client/broker-connections.js';
import type { KafkaClientConnection } from '../kafka-client/kafka-client-connection.js';
import { isKafkaClientError } from '../kafka-client/kafka-client-error.js';
import { DEFAULT_LOG_CONFIG, parseTopicConfig, type TopicCompressionType } from '../log/config/log-config.js';
import { DEFAULT_SOCKET_REQUEST_MAX_BYTES } from '../protocol/frame-decoder.js';
import { API_KEYS } from '../protocol/api-keys.js';
import { makeDescribeLogDirsRequest } from '../protocol/describeLogDirs/index.js';
import type { Registry } from '../registry/registry.js';
import { SystemTime, type Time } from '../time.js';
import type { Scheduler } from '../timer/scheduler.js';
import { scatter } from './local-cluster-routing.js';
import { DEFAULT_CONNECTION_SETUP_TIMEOUT_MS } from './replica-fetcher-manager.js';
import { registeredEndpoint } from './replica-fetchers.js';
import { countRemoteControlRecords } from './remote-control-records.js';
import { readRemoteRecords, type LogBounds, type RemoteLog } from './remote-partitions-reader.js';
import {
  appendResults, deleteRecordsRequest, deletionAnswer, failedAppend, failedFetch, fetchRequest, fetchResults, FETCH_VERSION, listOffsetsRequest,
  LIST_OFFSETS_VERSION, offsetAnswers, produceRequest, PRODUCE_VERSION, sendDeleteRecords, type OffsetAnswer,
} from './remote-partitions-requests.js';
import { answeredError, forwardingError, LeaderLookup, refusalMessage, type PartitionRoute } from './remote-partitions-routing.js';

/** Kafka's request.timeout.ms default: the longest a forwarded produce or fetch asks its leader to wait. */
export const DEFAULT_MAX_LEADER_WAIT_MS = 30_000;
/** What Broker.produce uses when the caller names no timeout. */
const DEFAULT_PRODUCE_TIMEOUT_MS = 30_000;
const EARLIEST_TIMESTAMP = -2n;
/** DescribeLogDirs v1: the first version with a top-level error code; sizes only. */
const LOG_DIRS_VERSION = 1;
const LATEST_TIMESTAMP = -1n;

export interface RemotePartitionsOptions {
  /** TLS and SASL towards brokers of other processes (the inter-broker security). */
  readonly security?: ClientSecurity;
  readonly registry: Registry;
  /** Runs every connect and request timeout (the timing wheel). */
  readonly timer: Scheduler;
  readonly logger: BrokerLogger;
  /** Sent in every request header. */
  readonly clientId: string;
  /** How long a forwarded request may go unanswered beyond the wait it asks of its leader. */
  readonly requestTimeoutMs: number;
  /** Produce timeouts and fetch max waits forwarded are cut to this (default DEFAULT_MAX_LEADER_WAIT_MS). */
  readonly maxLeaderWaitMs?: number;
  /** For the timestamps of produced records that carry none (default: the system clock). */
  readonly time?: Time;
  /** The largest response frame accepted (default: socket.request.max.bytes, 100 MiB). */
  readonly maxResponseBytes?: number;
}

/** What describeTopic shows of a partition's log; only the leader's broker knows its log end and size. */
export interface PartitionOffsets {
  readonly logStartOffset: bigint;
  readonly highWatermark: bigint;
  readonly lastStableOffset: bigint;
  /** -1: unknown here. */
  readonly logEndOffset: bigint;
  readonly sizeBytes: number;
}

/**
 * Which connection a request goes on. A broker answers a connection's requests in the
 * order they came, so a request the leader may hold (an acks=all produce, a long-poll
 * fetch) would delay everything behind it: produces, long polls and quick requests
 * (ListOffsets, fetches that do not wait) each have a pool of their own, as a producer
 * and a consumer of Kafka's REST Proxy have clients of their own.
 */
type Lane = 'produce' | 'longPoll' | 'quick';

/**
 * The REST door's way to partitions led by a broker of another process: per-partition
 * data calls forwarded to the leader over the Kafka protocol, as Confluent's REST Proxy
 * (a Kafka client) does, with BrokerApi's result shapes and per-partition error codes.
 *
 * Leaders come from the registry: each call reads the partitions' state znodes (the
 * leader) and connects to the leader's registered endpoint (/brokers/ids/<id>, read at
 * each connection attempt). Answers without asking anyone: UNKNOWN_TOPIC_OR_PARTITION for
 * what the registry does not hold, LEADER_NOT_AVAILABLE for a partition without a leader.
 * A leader that cannot be reached answers the call's partitions NOT_LEADER_OR_FOLLOWER,
 * one that does not answer in time REQUEST_TIMED_OUT (both retriable): every connect and
 * request has its timeout on the timer, so no call hangs.
 *
 * Multi-partition calls (appendRecords, produce, fetch) send one request per leader and
 * answer per partition in call order; single-partition calls throw KafkaErrors, as the
 * local broker's do. Callers: the LocalCluster door, on the one event loop.
 */
export class RemotePartitions {
  private readonly registry: Registry;
  private readonly logger: BrokerLogger;
  private readonly time: Time;
  private readonly maxLeaderWaitMs: number;
  private readonly lanes: Readonly<Record<Lane, BrokerConnections>>;
  private readonly partitioner = new DefaultPartitioner();

  constructor(options: RemotePartitionsOptions) {
    const { registry, timer, clientId, requestTimeoutMs } = options;
    this.registry = registry;
    this.logger = options.logger;
    this.time = options.time ?? new SystemTime();
    this.maxLeaderWaitMs = options.maxLeaderWaitMs ?? DEFAULT_MAX_LEADER_WAIT_MS;
    const pool = (timeoutMs: number) => new BrokerConnections({
      clientId, timer, requestTimeoutMs: timeoutMs,
      connectTimeoutMs: Math.min(requestTimeoutMs, DEFAULT_CONNECTION_SETUP_TIMEOUT_MS),
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_SOCKET_REQUEST_MAX_BYTES,
      resolveBroker: (id) => registeredEndpoint(registry, id),
      ...(options.security === undefined ? {} : { security: options.security }),
    });
    this.lanes = { produce: pool(requestTimeoutMs + this.maxLeaderWaitMs), longPoll: pool(requestTimeoutMs + this.maxLeaderWaitMs), quick: pool(requestTimeoutMs) };
  }

  /** The partition's leader as the registry names it, or undefined when it has none (or does not exist). */
  leaderOf(topic: string, partition: number): number | undefined {
    const route = new LeaderLookup(this.registry).route(topic, partition);
    return typeof route === 'number' ? route : undefined;
  }

  async appendRecords(entries: readonly AppendEntry[], options: AppendOptions): Promise<AppendResult[]> {
    return this.append(new LeaderLookup(this.registry), entries, options);
  }

  /**
   * Broker.produce for a topic whose leaders are elsewhere: records without a partition
   * are placed by the default partitioner, each partition's records become one batch
   * (compressed as the topic's compression.type says), sent to its leader. Throws
   * UNKNOWN_TOPIC_OR_PARTITION for a topic the registry does not hold.
   */
  async produce(topic: string, records: readonly ProduceRecord[], options: Partial<AppendOptions> = {}): Promise<ProduceResult[]> {
    const lookup = new LeaderLookup(this.registry);
    const found = lookup.topic(topic);
    if (found === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic: ${topic}`);
    const nowMs = this.time.milliseconds();
    const plan = planProduce(topic, records, found.assignment.size, this.partitioner, compressionOf(found.overrides), nowMs);
    const appendOptions: AppendOptions = { acks: options.acks ?? -1, timeoutMs: options.timeoutMs ?? DEFAULT_PRODUCE_TIMEOUT_MS };
    const appended = plan.entries.length === 0 ? [] : await this.append(lookup, plan.entries, appendOptions);
    return produceResults(topic, plan, appended, records, nowMs);
  }

  /**
   * Consumer fetches (replica id -1; `options.replicaId` is not forwarded: followers
   * fetch with their own fetchers). A fetch that may wait goes on the long-poll lane.
   */
  async fetch(requests: readonly FetchRequest[], options: FetchOptions = {}): Promise<FetchResult[]> {
    const lookup = new LeaderLookup(this.registry);
    const maxWaitMs = this.leaderWait(options.maxWaitMs ?? 0);
    const lane: Lane = maxWaitMs > 0 ? 'longPoll' : 'quick';
    return scatter(requests, (r) => lookup.route(r.topic, r.partition), async (route, subset) => {
      if (typeof route === 'string') return subset.map((r) => failedFetch(r, KAFKA_ERRORS[route].code));
      return this.forward(route, lane, true, subset, async (connection) => {
        const response = await connection.fetch(FETCH_VERSION, fetchRequest(subset, options, maxWaitMs));
        return fetchResults(subset, response);
      }, (r, error) => failedFetch(r, error.code));
    }, unrouted);
  }

  /** ListOffsets as BrokerApi.listOffset answers it: undefined when no record has the timestamp. */
  async listOffset(topic: string, partition: number, timestamp: bigint, options: ListOffsetOptions = {}): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
    const [answer] = await this.listOffsets(topic, partition, [timestamp], options.currentLeaderEpoch ?? -1, options.isolation);
    return answer!.offset < 0n ? undefined : { offset: answer!.offset, timestamp: answer!.timestamp };
  }

  /** Offsets of control records (transaction markers) in [from, to), below the leader's HW (remote-control-records.ts). */
  countControlRecords(topic: string, partition: number, fromOffset: bigint, toOffset: bigint): Promise<number> {
    return countRemoteControlRecords(this.remoteLog(topic, partition), fromOffset, toOffset);
  }

  /** DeleteRecords (-1: up to the HW); resolves with the partition's new log start offset. */
  async deleteRecords(topic: string, partition: number, beforeOffset: bigint): Promise<bigint> {
    const ref = { topic, partition };
    const request = deleteRecordsRequest(ref, beforeOffset, this.maxLeaderWaitMs);
    // A Kafka leader holds a deletion until its followers have moved their log start too: the produce lane.
    const answer = await this.request(topic, partition, 'produce', async (connection) => deletionAnswer(ref, await sendDeleteRecords(connection, request)));
    if (answer.errorCode !== 0) throw answeredError(answer.errorCode, `DeleteRecords of ${topic}-${partition}`);
    return answer.lowWatermark;
  }

  /** BrokerApi.readRecords, from ListOffsets and Fetch (see remote-partitions-reader.ts). */
  async readRecords(topic: string, partition: number, query: ReadQuery): Promise<ReadResult> {
    return readRemoteRecords(this.remoteLog(topic, partition), partition, query);
  }

  /** The leader's log start and HW, for describeTopic; the log end and size are not known here. */
  async partitionOffsets(topic: string, partition: number): Promise<PartitionOffsets> {
    const [bounds, [stable]] = await Promise.all([this.bounds(topic, partition), this.listOffsets(topic, partition, [LATEST_TIMESTAMP], -1, 'read_committed')]);
    return { ...bounds, lastStableOffset: stable!.offset, logEndOffset: -1n, sizeBytes: 0 };
  }

  /** Closes every connection; calls in flight answer NOT_LEADER_OR_FOLLOWER, later ones too. */
  close(): void {
    for (const pool of Object.values(this.lanes)) pool.close();
  }

  // ---- internals ----

  private append(lookup: LeaderLookup, entries: readonly AppendEntry[], options: AppendOptions): Promise<AppendResult[]> {
    // A leader does not answer an acks=0 produce, and a connection only sends requests that
    // are answered: acks=0 is forwarded as acks=1, and the caller gets the outcome that a
    // local acks=0 append returns too.
    const acks = options.acks === -1 ? -1 : 1;
    const timeoutMs = this.leaderWait(options.timeoutMs);
    return scatter(entries, (e) => lookup.route(e.topic, e.partition), async (route, subset) => {
      if (typeof route === 'string') return subset.map((e) => failedAppend(e, KAFKA_ERRORS[route].code, refusalMessage(route, e.topic, e.partition)));
      return this.forward(route, 'produce', false, subset, async (connection) => {
        const response = await connection.produce(PRODUCE_VERSION, produceRequest(subset, acks, timeoutMs));
        return appendResults(subset, response);
      }, (e, error) => failedAppend(e, error.code, error.message));
    }, unrouted);
  }

  /** One request to `leaderId` for `items`; when it gets no answer, every item gets the error. */
  private async forward<T, R>(
    leaderId: number, lane: Lane, resend: boolean, items: readonly T[],
    exchange: (connection: KafkaClientConnection) => Promise<R[]>,
    failed: (item: T, error: KafkaError) => R,
  ): Promise<R[]> {
    try {
      return await this.exchange(leaderId, lane, resend, exchange);
    } catch (err) {
      const error = forwardingError(err, leaderId);
      this.logger.warn(`forwarding ${items.length} partition(s) to broker ${leaderId} failed: ${error.message}`);
      return items.map((item) => failed(item, error));
    }
  }

  /** One idempotent request about one partition to its leader; any failure is thrown as a KafkaError. */
  /** Bytes in the log directories of broker `brokerId` (Kafka's DescribeLogDirs, every replica). */
  async logDirSize(brokerId: number): Promise<number> {
    const response = await this.exchange(brokerId, 'quick', true, (connection) => connection.send(API_KEYS.DescribeLogDirs, LOG_DIRS_VERSION, makeDescribeLogDirsRequest({ topics: null })));
    let bytes = 0;
    for (const dir of response.results) for (const t of dir.topics) for (const p of t.partitions) bytes += Number(p.partitionSize);
    return bytes;
  }

  private async request<R>(topic: string, partition: number, lane: Lane, exchange: (connection: KafkaClientConnection) => Promise<R>): Promise<R> {
    const route: PartitionRoute = new LeaderLookup(this.registry).route(topic, partition);
    if (typeof route === 'string') throw new KafkaError(route, refusalMessage(route, topic, partition));
    try {
      return await this.exchange(route, lane, true, exchange);
    } catch (err) {
      throw forwardingError(err, route);
    }
  }

  /**
   * Runs `exchange` on the lane's connection to the leader. A connection made earlier may
   * have died unseen (a leader that restarted closes it, but the close arrives after the
   * request is written): with `resend`, a request that fails that way is sent once more on
   * a new connection. Produces are not resent: the leader may have appended them.
   */
  private async exchange<R>(leaderId: number, lane: Lane, resend: boolean, exchange: (connection: KafkaClientConnection) => Promise<R>): Promise<R> {
    const pool = this.lanes[lane];
    const reused = pool.peek(leaderId) !== undefined;
    try {
      return await exchange(await pool.get(leaderId));
    } catch (err) {
      if (!resend || !reused || !isKafkaClientError(err, 'disconnected')) throw err;
      return exchange(await pool.get(leaderId));
    }
  }

  /** ListOffsets for each timestamp, sent together on one connection (Kafka refuses a partition named twice in one request). */
  private async listOffsets(
    topic: string, partition: number, timestamps: readonly bigint[], currentLeaderEpoch: number, isolation: IsolationLevel = 'read_uncommitted',
  ): Promise<OffsetAnswer[]> {
    const answers = await this.request(topic, partition, 'quick', (connection) => Promise.all(timestamps.map(async (timestamp) => {
      const query = { topic, partition, timestamp, currentLeaderEpoch, isolation };
      const [answer] = offsetAnswers([query], await connection.listOffsets(LIST_OFFSETS_VERSION, listOffsetsRequest([query])));
      return answer!;
    })));
    for (const answer of answers) if (answer.errorCode !== 0) throw answeredError(answer.errorCode, `ListOffsets of ${topic}-${partition}`);
    return answers;
  }

  private async bounds(topic: string, partition: number): Promise<LogBounds> {
    const [earliest, latest] = await this.listOffsets(topic, partition, [EARLIEST_TIMESTAMP, LATEST_TIMESTAMP], -1);
    return { logStartOffset: earliest!.offset, highWatermark: latest!.offset };
  }

  private remoteLog(topic: string, partition: number): RemoteLog {
    return {
      bounds: () => this.bounds(topic, partition),
      offsetForTimestamp: async (timestampMs) => (await this.listOffset(topic, partition, timestampMs))?.offset,
      read: async (offset, maxBytes) => {
        const wanted = [{ topic, partition, fetchOffset: offset, maxBytes }];
        const [result] = await this.request(topic, partition, 'quick', async (connection) => fetchResults(wanted, await connection.fetch(FETCH_VERSION, fetchRequest(wanted, { maxBytes }, 0))));
        if (result!.errorCode !== 0) throw answeredError(result!.errorCode, `Fetch of ${topic}-${partition} at ${offset}`);
        return result!.records;
      },
    };
  }

  /** A wait to ask of a leader: whole milliseconds, at most maxLeaderWaitMs (the lanes' timeouts allow for that much). */
  private leaderWait(ms: number): number {
    return Math.min(Math.max(0, Math.floor(ms)), this.maxLeaderWaitMs);
  }
}

/** scatter's refusal: never called, every item has a route (a leader or a refusal). */
function unrouted(): never {
  throw new Error('every partition has a route');
}

/** The topic's compression.type, as the broker applies it when it encodes a produce's batches. */
function compressionOf(overrides: Readonly<Record<string, string>>): TopicCompressionType {
  const value = overrides['compression.type'];
  if (value === undefined) return DEFAULT_LOG_CONFIG.compressionType;
  try {
    return parseTopicConfig({ 'compression.type': value }).compressionType;
  } catch {
    return DEFAULT_LOG_CONFIG.compressionType;
  }
}
