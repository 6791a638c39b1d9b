import type { ClusterHealth, KafkaListener, LocalCluster } from '@weir/broker-core';
import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One clusterHealth() serves every cluster gauge of a scrape. */
const HEALTH_MEMO_MS = 500;

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's global
 * one), so that several gateways in one process (tests) never clash.
 *
 * Per-topic counters are read from `BrokerApi.topicCounters()` at scrape time: the
 * broker already counts, so nothing is counted twice and a deleted topic's series
 * disappear with it.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(cluster: LocalCluster) {
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({
      name: 'weir_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'weir_http_request_duration_seconds',
      help: 'HTTP request latency, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    const topicCounter = (name: string, help: string, pick: (c: { recordsIn: number; bytesIn: number; recordsOut: number; bytesOut: number }) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['topic'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const [topic, counters] of cluster.topicCounters()) this.inc({ topic }, pick(counters));
        },
      });
    this.kafkaListenerMetrics(cluster);
    this.clusterMetrics(cluster);
    topicCounter('weir_topic_records_in_total', 'Records appended to the topic since the broker started', (c) => c.recordsIn);
    topicCounter('weir_topic_bytes_in_total', 'Bytes appended to the topic since the broker started', (c) => c.bytesIn);
    topicCounter('weir_topic_records_out_total', 'Records fetched from the topic since the broker started', (c) => c.recordsOut);
    topicCounter('weir_topic_bytes_out_total', 'Bytes fetched from the topic since the broker started', (c) => c.bytesOut);
  }

  /**
   * Read from each hosted broker's listener at scrape time, like the topic counters,
   * labelled with the broker id. A restarted broker has a new listener, whose counters
   * start again from zero (a counter reset to Prometheus).
   */
  private kafkaListenerMetrics(cluster: LocalCluster): void {
    const listeners = (): Array<[string, KafkaListener]> => {
      const out: Array<[string, KafkaListener]> = [];
      for (const { brokerId } of cluster.hostedBrokers()) {
        const listener = cluster.kafkaListener(brokerId);
        if (listener !== undefined) out.push([String(brokerId), listener]);
      }
      return out;
    };
    new Counter({
      name: 'weir_kafka_requests_total',
      help: 'Kafka protocol requests read, by broker and API',
      labelNames: ['broker', 'api'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [broker, listener] of listeners()) for (const [api, count] of listener.stats.requests) this.inc({ broker, api }, count);
      },
    });
    const perBroker = (name: string, help: string, read: (listener: KafkaListener) => number, kind: typeof Counter | typeof Gauge) =>
      new kind({
        name,
        help,
        labelNames: ['broker'],
        registers: [this.registry],
        collect(this: Counter<'broker'> | Gauge<'broker'>) {
          this.reset();
          for (const [broker, listener] of listeners()) this.inc({ broker }, read(listener));
        },
      });
    perBroker('weir_kafka_protocol_errors_total', 'Kafka connections closed for a malformed or unsupported request, by broker', (l) => l.stats.protocolErrors, Counter);
    perBroker('weir_kafka_connections_accepted_total', 'Kafka protocol connections accepted, by broker', (l) => l.stats.connectionsAccepted, Counter);
    perBroker('weir_kafka_connections', 'Open Kafka protocol connections, by broker', (l) => l.connectionCount, Gauge);
  }

  /**
   * The cluster's health as Kafka's controller reports it (UnderReplicatedPartitions,
   * OfflinePartitionsCount, UnderMinIsrPartitionCount, live brokers). Absent from a scrape
   * while no broker of this process runs.
   */
  private clusterMetrics(cluster: LocalCluster): void {
    let memo: { atMs: number; health: ClusterHealth | undefined } = { atMs: -Infinity, health: undefined };
    const health = (): ClusterHealth | undefined => {
      const now = performance.now();
      if (now - memo.atMs > HEALTH_MEMO_MS) {
        let current: ClusterHealth | undefined;
        try {
          current = cluster.clusterHealth();
        } catch {
          current = undefined;
        }
        memo = { atMs: now, health: current };
      }
      return memo.health;
    };
    const gauge = (name: string, help: string, read: (h: ClusterHealth) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          const h = health();
          if (h !== undefined) this.set(read(h));
        },
      });
    gauge('weir_cluster_brokers_online', 'Brokers registered in the cluster', (h) => h.brokersOnline);
    gauge('weir_cluster_brokers_offline', 'Brokers named by replica assignments but not registered', (h) => h.brokersOffline);
    gauge('weir_cluster_partitions', 'Partitions in the cluster', (h) => h.partitions);
    gauge('weir_cluster_partitions_under_replicated', 'Partitions whose ISR is smaller than their replica list', (h) => h.underReplicated);
    gauge('weir_cluster_partitions_offline', 'Partitions without a live leader', (h) => h.offline);
    gauge('weir_cluster_partitions_under_min_isr', 'Partitions whose ISR is smaller than min.insync.replicas', (h) => h.underMinIsr);
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }
}
