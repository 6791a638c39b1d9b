import type { BrokerApi, TopicCounters } from '../broker/broker-api.js';
import { TopicCounterSet } from '../broker/broker-events.js';

/**
 * Per-topic counters of a LocalCluster: the running brokers' counts plus what stopped
 * brokers had counted, so the totals never go down when a broker stops (a throughput
 * figure would read a stop as a burst of negative traffic). A deleted topic's counts go.
 */
export class CounterSum {
  private readonly retired = new TopicCounterSet();
  private anyRetired = false;

  /** A stopping broker's counts, kept from now on. */
  retire(counters: ReadonlyMap<string, TopicCounters>): void {
    addTo(this.retired, counters);
    this.anyRetired ||= counters.size > 0;
  }

  forget(topic: string): void {
    this.retired.forget(topic);
  }

  sum(running: readonly BrokerApi[]): ReadonlyMap<string, TopicCounters> {
    if (running.length === 1 && !this.anyRetired) return running[0]!.topicCounters();
    const total = new TopicCounterSet();
    addTo(total, this.retired.snapshot());
    for (const broker of running) addTo(total, broker.topicCounters());
    return total.snapshot();
  }
}

function addTo(set: TopicCounterSet, counters: ReadonlyMap<string, TopicCounters>): void {
  for (const [topic, c] of counters) {
    set.recordIn(topic, c.recordsIn, c.bytesIn);
    set.recordOut(topic, c.recordsOut, c.bytesOut);
  }
}
