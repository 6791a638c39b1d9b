import { KAFKA_ERRORS, kafkaErrorName } from '../errors.js';
import type { ClientSecurity } from '../kafka-client/client-security.js';
import { BrokerConnections } from '../kafka-client/broker-connections.js';
import { API_KEYS } from '../protocol/api-keys.js';
import { DEFAULT_SOCKET_REQUEST_MAX_BYTES } from '../protocol/frame-decoder.js';
import type { Registry } from '../registry/registry.js';
import type { Timer } from '../timer/system-timer.js';
import { DEFAULT_CONNECTION_SETUP_TIMEOUT_MS } from '../cluster/replica-fetcher-manager.js';
import { registeredEndpoint } from '../cluster/replica-fetchers.js';
import type { PartitionOutcome, TopicPartitionRef, TxnMarkerEntry } from './broker-api.js';
import type { BrokerLogger } from './broker-options.js';
import type { TopicTable } from './topic-table.js';

/** WriteTxnMarkers v1 (flexible): every broker of this codebase speaks it. */
export const WRITE_TXN_MARKERS_VERSION = 1;

export interface TxnMarkerRouterOptions {
  readonly brokerId: number;
  readonly table: TopicTable;
  readonly registry: Registry;
  readonly timer: Timer;
  readonly logger: BrokerLogger;
  readonly requestTimeoutMs: number;
  /** This broker's own marker append (Broker.writeTxnMarkers) for the partitions it leads. */
  readonly writeLocal: (entry: TxnMarkerEntry) => Promise<PartitionOutcome[]>;
  /** TLS and SASL towards leaders in other processes. */
  readonly interBrokerSecurity?: ClientSecurity;
}

/**
 * How the transaction coordinator's markers reach the partitions (Kafka's
 * TransactionMarkerChannelManager's sending; the retry queue is the coordinator's, txn/txn-marker-channel.ts):
 * the partitions of one marker are grouped by their leader as this broker's topic table
 * knows it; those led here are appended directly, the rest go to their leader as one
 * WriteTxnMarkers request each, over a connection per broker made on first use.
 *
 * Every partition gets an outcome, never a thrown error: unknown topics
 * UNKNOWN_TOPIC_OR_PARTITION (the coordinator drops them once the topic is gone), no live
 * leader or an unreachable one NOT_LEADER_OR_FOLLOWER (retriable: the coordinator sends
 * again after its backoff, by which time the table may name a new leader).
 */
export class TxnMarkerRouter {
  private readonly connections: BrokerConnections;

  constructor(private readonly options: TxnMarkerRouterOptions) {
    const { registry, timer, requestTimeoutMs, brokerId } = options;
    this.connections = new BrokerConnections({
      clientId: `weir-broker-${brokerId}-txn-markers`, timer, requestTimeoutMs,
      connectTimeoutMs: Math.min(requestTimeoutMs, DEFAULT_CONNECTION_SETUP_TIMEOUT_MS),
      maxResponseBytes: DEFAULT_SOCKET_REQUEST_MAX_BYTES,
      resolveBroker: (id) => registeredEndpoint(registry, id),
      ...(options.interBrokerSecurity === undefined ? {} : { security: options.interBrokerSecurity }),
    });
  }

  async write(entry: TxnMarkerEntry): Promise<PartitionOutcome[]> {
    const byLeader = new Map<number, TopicPartitionRef[]>();
    const outcomes: PartitionOutcome[] = [];
    for (const ref of entry.partitions) {
      const partition = this.options.table.partition(ref.topic, ref.partition);
      if (partition === undefined) {
        outcomes.push(outcome(ref, KAFKA_ERRORS.UNKNOWN_TOPIC_OR_PARTITION.code, `${ref.topic}-${ref.partition} does not exist`));
      } else if (partition.leader < 0) {
        outcomes.push(outcome(ref, KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code, `${ref.topic}-${ref.partition} has no leader`));
      } else {
        const refs = byLeader.get(partition.leader);
        if (refs === undefined) byLeader.set(partition.leader, [ref]);
        else refs.push(ref);
      }
    }
    const sent = await Promise.all([...byLeader].map(([leader, partitions]) => {
      const part = { ...entry, partitions };
      return leader === this.options.brokerId ? this.options.writeLocal(part) : this.writeRemote(leader, part);
    }));
    return outcomes.concat(...sent);
  }

  close(): void {
    this.connections.close();
  }

  private async writeRemote(leader: number, entry: TxnMarkerEntry): Promise<PartitionOutcome[]> {
    const topics = new Map<string, number[]>();
    for (const p of entry.partitions) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p.partition]);
    try {
      const connection = await this.connections.get(leader);
      const response = await connection.send(API_KEYS.WriteTxnMarkers, WRITE_TXN_MARKERS_VERSION, {
        markers: [{
          producerId: entry.producerId, producerEpoch: entry.producerEpoch, transactionResult: entry.result === 'COMMIT',
          coordinatorEpoch: entry.coordinatorEpoch, topics: [...topics].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
        }],
      });
      const answered = new Map<string, number>();
      for (const m of response.markers) for (const t of m.topics) for (const p of t.partitions) answered.set(`${t.name}-${p.partitionIndex}`, p.errorCode);
      return entry.partitions.map((ref) => {
        const code = answered.get(`${ref.topic}-${ref.partition}`) ?? KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code;
        return outcome(ref, code, code === 0 ? null : `broker ${leader} answered ${kafkaErrorName(code) ?? code}`);
      });
    } catch (err) {
      this.options.logger.warn(`sending transaction markers to broker ${leader} failed: ${(err as Error).message}`);
      return entry.partitions.map((ref) => outcome(ref, KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code, `broker ${leader} could not be reached`));
    }
  }
}

function outcome(ref: TopicPartitionRef, errorCode: number, errorMessage: string | null): PartitionOutcome {
  return { topic: ref.topic, partition: ref.partition, errorCode, errorMessage };
}
