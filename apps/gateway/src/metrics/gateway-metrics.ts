import type { BrokerApi, KafkaListener } from '@weir/broker-core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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

  constructor(broker: BrokerApi, listener: KafkaListener) {
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
          for (const [topic, counters] of broker.topicCounters()) this.inc({ topic }, pick(counters));
        },
      });
    this.kafkaListenerMetrics(listener);
    topicCounter('weir_topic_records_in_total', 'Records appended to the topic since the broker started', (c) => c.recordsIn);
    topicCounter('weir_topic_bytes_in_total', 'Bytes appended to the topic since the broker started', (c) => c.bytesIn);
    topicCounter('weir_topic_records_out_total', 'Records fetched from the topic since the broker started', (c) => c.recordsOut);
    topicCounter('weir_topic_bytes_out_total', 'Bytes fetched from the topic since the broker started', (c) => c.bytesOut);
  }

  /** Read from the listener's own counters at scrape time, like the topic counters. */
  private kafkaListenerMetrics(listener: KafkaListener): void {
    const { stats } = listener;
    new Counter({
      name: 'weir_kafka_requests_total',
      help: 'Kafka protocol requests read, by API',
      labelNames: ['api'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [api, count] of stats.requests) this.inc({ api }, count);
      },
    });
    new Counter({
      name: 'weir_kafka_protocol_errors_total',
      help: 'Kafka connections closed for a malformed or unsupported request',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(stats.protocolErrors);
      },
    });
    new Counter({
      name: 'weir_kafka_connections_accepted_total',
      help: 'Kafka protocol connections accepted',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(stats.connectionsAccepted);
      },
    });
    new Gauge({
      name: 'weir_kafka_connections',
      help: 'Open Kafka protocol connections',
      registers: [this.registry],
      collect() {
        this.set(listener.connectionCount);
      },
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }
}
