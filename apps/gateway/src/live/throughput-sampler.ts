import type { TopicCounters } from '@weir/broker-core';
import type { Throughput, TopicThroughput } from '@weir/contracts';

export interface ThroughputSample {
  readonly intervalMs: number;
  readonly topics: readonly TopicThroughput[];
  readonly total: Throughput;
}

/**
 * Turns the broker's since-start counters into rates: each `sample` compares with the
 * previous snapshot. A topic new since the last sample counts from zero; a topic whose
 * counters went down (deleted and created again) starts over rather than reporting a
 * negative rate.
 */
export class ThroughputSampler {
  private previous = new Map<string, TopicCounters>();
  private previousAtMs: number | undefined;

  /** Forgets history, so that the next sample measures from now (used when sampling resumes). */
  reset(counters: ReadonlyMap<string, TopicCounters>, nowMs: number): void {
    this.previous = new Map(counters);
    this.previousAtMs = nowMs;
  }

  sample(counters: ReadonlyMap<string, TopicCounters>, nowMs: number): ThroughputSample {
    const intervalMs = this.previousAtMs === undefined ? 0 : nowMs - this.previousAtMs;
    const perSec = (delta: number) => (intervalMs > 0 ? Math.max(0, delta) * (1000 / intervalMs) : 0);
    const topics: TopicThroughput[] = [];
    const total = { records_in_per_sec: 0, bytes_in_per_sec: 0, records_out_per_sec: 0, bytes_out_per_sec: 0 };
    for (const [topic, now] of counters) {
      const before = this.previous.get(topic);
      const restarted = before !== undefined && (now.recordsIn < before.recordsIn || now.recordsOut < before.recordsOut);
      const base = before === undefined || restarted ? ZERO : before;
      const rates = {
        topic,
        records_in_per_sec: round(perSec(now.recordsIn - base.recordsIn)),
        bytes_in_per_sec: round(perSec(now.bytesIn - base.bytesIn)),
        records_out_per_sec: round(perSec(now.recordsOut - base.recordsOut)),
        bytes_out_per_sec: round(perSec(now.bytesOut - base.bytesOut)),
      };
      topics.push(rates);
      total.records_in_per_sec += rates.records_in_per_sec;
      total.bytes_in_per_sec += rates.bytes_in_per_sec;
      total.records_out_per_sec += rates.records_out_per_sec;
      total.bytes_out_per_sec += rates.bytes_out_per_sec;
    }
    this.reset(counters, nowMs);
    return { intervalMs, topics, total };
  }
}

/**
 * Per-topic rates for readers that ask now and then (the topic summaries REST call), with
 * the live channel's arithmetic (a ThroughputSampler of its own): a read at least
 * `minIntervalMs` after the last sample samples again, over the time since it; a read
 * sooner reuses that sample, so rates are never older than `minIntervalMs`. The first read
 * only starts measuring (rates 0); after a quiet spell a read averages over the spell.
 */
export class OnDemandRates {
  private readonly sampler = new ThroughputSampler();
  private last: { atMs: number; byTopic: ReadonlyMap<string, TopicThroughput> } | undefined;

  constructor(
    private readonly counters: () => ReadonlyMap<string, TopicCounters>,
    private readonly minIntervalMs: number,
  ) {}

  byTopic(nowMs: number): ReadonlyMap<string, TopicThroughput> {
    if (this.last !== undefined && nowMs - this.last.atMs < this.minIntervalMs) return this.last.byTopic;
    const { topics } = this.sampler.sample(this.counters(), nowMs);
    this.last = { atMs: nowMs, byTopic: new Map(topics.map((t) => [t.topic, t])) };
    return this.last.byTopic;
  }
}

const ZERO: TopicCounters = { recordsIn: 0, bytesIn: 0, recordsOut: 0, bytesOut: 0 };

function round(rate: number): number {
  return Math.round(rate * 100) / 100;
}
