/** What every peer of the compare bench reports: the shapes of bench/results/compare.json. */
import type { Latency } from '../support/kcat-latency.js';

export type { Latency };

export interface Throughput {
  readonly valueBytes: number;
  readonly messages: number;
  /** A setting that tells this row from another of the same size (Weir: acks=1, acks=all). */
  readonly setting: string;
  /** Medians over the rounds. */
  readonly msgsPerSec: number;
  readonly payloadMBps: number;
  /** msgs/s of each round, in order. */
  readonly rounds: readonly number[];
  /** Server and load generator CPU over the run, as shares of one core (medians; NaN when unknown). */
  readonly serverCpu: number;
  readonly clientCpu: number;
}

export interface PeerResult {
  readonly name: string;
  readonly version: string;
  /** How it was reached and driven. */
  readonly setup: string;
  /** Durability as configured: where a write is when it is acknowledged. */
  readonly durability: string;
  /** Undefined when it ran; otherwise why not. */
  readonly notRun?: string;
  readonly produce: readonly Throughput[];
  readonly consume: readonly Throughput[];
  readonly latency?: Latency;
}

export const MiB = 1024 * 1024;

export function payloadMBps(messages: number, valueBytes: number, ms: number): number {
  return (messages * valueBytes) / MiB / (ms / 1000);
}
