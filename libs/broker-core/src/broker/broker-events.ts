import type { BrokerChange, TopicCounters } from './broker-api.js';
import type { BrokerLogger } from './broker-options.js';

/**
 * Change listeners. A listener that throws is logged and the others still run: one bad
 * WebSocket subscriber must not stop an append from being acknowledged.
 */
export class BrokerEvents {
  private readonly listeners = new Set<(event: BrokerChange) => void>();

  constructor(private readonly logger: BrokerLogger) {}

  onChange(listener: (event: BrokerChange) => void): () => void {
    // Wrapped so one function subscribed twice gets two independent subscriptions.
    const entry = (event: BrokerChange): void => listener(event);
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  emit(event: BrokerChange): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error(`broker change listener failed on ${event.type}`, err);
      }
    }
  }
}

interface MutableCounters {
  recordsIn: number;
  bytesIn: number;
  recordsOut: number;
  bytesOut: number;
}

/** Per-topic counters since start (Kafka's BrokerTopicStats: messages/bytes in and out). */
export class TopicCounterSet {
  private readonly counters = new Map<string, MutableCounters>();

  private get(topic: string): MutableCounters {
    let c = this.counters.get(topic);
    if (c === undefined) {
      c = { recordsIn: 0, bytesIn: 0, recordsOut: 0, bytesOut: 0 };
      this.counters.set(topic, c);
    }
    return c;
  }

  recordIn(topic: string, records: number, bytes: number): void {
    const c = this.get(topic);
    c.recordsIn += records;
    c.bytesIn += bytes;
  }

  recordOut(topic: string, records: number, bytes: number): void {
    if (records === 0 && bytes === 0) return;
    const c = this.get(topic);
    c.recordsOut += records;
    c.bytesOut += bytes;
  }

  forget(topic: string): void {
    this.counters.delete(topic);
  }

  /** A copy: callers may keep it while counting goes on. */
  snapshot(): ReadonlyMap<string, TopicCounters> {
    const out = new Map<string, TopicCounters>();
    for (const [topic, c] of this.counters) out.set(topic, { ...c });
    return out;
  }
}
