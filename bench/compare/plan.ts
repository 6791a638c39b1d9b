import type { LatencyPlan } from '../support/kcat-latency.js';

/** The workload every peer runs: sizes and counts, rounds, the latency plan. */
export interface Plan {
  readonly quick: boolean;
  readonly rounds: number;
  readonly sizes: readonly { readonly valueBytes: number; readonly messages: number }[];
  readonly latency: LatencyPlan;
  /** Bytes the loopback TCP reference streams. */
  readonly loopbackBytes: number;
  /** Partitions of Weir's throughput topics (librdkafka spreads keyless messages over them). */
  readonly partitions: number;
}

export function makePlan(quick: boolean): Plan {
  return {
    quick,
    rounds: quick ? 1 : 3,
    sizes: [
      { valueBytes: 100, messages: quick ? 200_000 : 1_000_000 },
      { valueBytes: 1024, messages: quick ? 50_000 : 250_000 },
    ],
    latency: { rate: 10_000, seconds: quick ? 3 : 6, warmupSeconds: 1, valueBytes: 100 },
    loopbackBytes: (quick ? 256 : 1024) * 1024 * 1024,
    partitions: 4,
  };
}
