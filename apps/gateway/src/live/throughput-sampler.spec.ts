import type { TopicCounters } from '@weir/broker-core';
import { OnDemandRates, ThroughputSampler } from './throughput-sampler.js';

const counters = (entries: Record<string, Partial<TopicCounters>>) =>
  new Map(Object.entries(entries).map(([t, c]) => [t, { recordsIn: 0, bytesIn: 0, recordsOut: 0, bytesOut: 0, ...c }]));

describe('ThroughputSampler', () => {
  it('reports per-second deltas per topic and in total', () => {
    const sampler = new ThroughputSampler();
    sampler.reset(counters({ a: { recordsIn: 10, bytesIn: 100 } }), 0);
    const s = sampler.sample(counters({ a: { recordsIn: 30, bytesIn: 500, recordsOut: 5 }, b: { recordsIn: 4 } }), 2000);
    expect(s.intervalMs).toBe(2000);
    expect(s.topics).toEqual([
      { topic: 'a', records_in_per_sec: 10, bytes_in_per_sec: 200, records_out_per_sec: 2.5, bytes_out_per_sec: 0 },
      { topic: 'b', records_in_per_sec: 2, bytes_in_per_sec: 0, records_out_per_sec: 0, bytes_out_per_sec: 0 },
    ]);
    expect(s.total.records_in_per_sec).toBe(12);
  });

  it('starts over for a topic whose counters went down, and reports zero without a baseline', () => {
    const sampler = new ThroughputSampler();
    expect(sampler.sample(counters({ a: { recordsIn: 10 } }), 1000).total.records_in_per_sec).toBe(0);
    expect(sampler.sample(counters({ a: { recordsIn: 3 } }), 2000).topics[0]?.records_in_per_sec).toBe(3);
  });
});

describe('OnDemandRates', () => {
  it('starts at zero, reuses a sample younger than the interval, then measures over the time since it', () => {
    let current = counters({ a: { recordsIn: 100 } });
    let reads = 0;
    const rates = new OnDemandRates(() => {
      reads++;
      return current;
    }, 1000);
    expect(rates.byTopic(0).get('a')?.records_in_per_sec).toBe(0);
    current = counters({ a: { recordsIn: 150 } });
    expect(rates.byTopic(400).get('a')?.records_in_per_sec).toBe(0);
    expect(reads).toBe(1);
    expect(rates.byTopic(2000).get('a')?.records_in_per_sec).toBe(25);
    expect(reads).toBe(2);
  });
});
