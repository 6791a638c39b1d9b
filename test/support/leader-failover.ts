import type { Producer } from 'kafkajs';
import type { ProcessCluster } from './cluster-processes.js';

/** Key of the probe records a failover measurement writes (readers of the topic skip them). */
export const PROBE_KEY = 'failover-probe';

export interface FailoverSample {
  readonly partition: number;
  /** The leader that was SIGKILLed. */
  readonly killed: number;
  readonly newLeader: number;
  /** From the kill until a running broker's REST reports a different live leader. */
  readonly leaderMs: number;
  /** From the kill until an acks=all produce to the partition was acknowledged: the failover time. */
  readonly failoverMs: number;
  /** From the restart until the killed broker was back in the ISR of every partition of the topic; null when the bounded wait ran out. */
  readonly rejoinMs: number | null;
}

export interface LeaderKillOptions {
  readonly topic: string;
  readonly partition: number;
  /** A connected kafkajs producer for the probe records (acks=all, explicit partition). */
  readonly probe: Producer;
  /** Value of the probe record, so a reader can tell probes apart. */
  readonly probeValue: string;
  /** Bound on the kill-to-acknowledged-produce wait; the measurement fails beyond it. */
  readonly failoverWithinMs: number;
  /** Bound on the wait for the restarted broker to rejoin every ISR (recorded as null when exceeded). */
  readonly rejoinWithinMs: number;
  /** Called right after the kill (the chaos run notes which broker is down). */
  readonly onKilled?: (brokerId: number) => void;
}

/**
 * One leader failure, as an operator would see it: SIGKILL the partition's current
 * leader, time until the cluster reports another leader and until a produce with
 * acks=all to that partition succeeds, then restart the broker (same id, dir, port) and
 * wait, bounded, until it is back in sync everywhere, so the next kill starts from a
 * healthy cluster.
 */
export async function killLeaderAndRecover(cluster: ProcessCluster, options: LeaderKillOptions): Promise<FailoverSample> {
  const { topic, partition } = options;
  const before = await cluster.waitForPartition(topic, partition, 'a leader to kill', (v) => v.leader >= 0, options.failoverWithinMs);
  const killed = before.leader;
  const started = performance.now();
  await cluster.kill(killed);
  options.onKilled?.(killed);
  const after = await cluster.waitForPartition(topic, partition, `a leader other than the killed ${killed}`, (v) => v.leader >= 0 && v.leader !== killed, options.failoverWithinMs);
  const leaderMs = performance.now() - started;
  await produceUntilAcknowledged(options, started + options.failoverWithinMs);
  const failoverMs = performance.now() - started;

  await cluster.restart(killed);
  const restarted = performance.now();
  let rejoinMs: number | null = null;
  try {
    await cluster.waitUntilFullyReplicated(topic, options.rejoinWithinMs);
    rejoinMs = performance.now() - restarted;
  } catch {
    // bounded: the next kill starts anyway, and the summary shows the miss
  }
  return { partition, killed, newLeader: after.leader, leaderMs, failoverMs, rejoinMs };
}

async function produceUntilAcknowledged(options: LeaderKillOptions, deadline: number): Promise<void> {
  for (;;) {
    try {
      await options.probe.send({ topic: options.topic, acks: -1, timeout: 2000, messages: [{ partition: options.partition, key: PROBE_KEY, value: options.probeValue }] });
      return;
    } catch (err) {
      if (performance.now() > deadline) throw new Error(`no acknowledged produce to ${options.topic}-${options.partition} before the deadline: ${(err as Error).message}`, { cause: err });
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface Spread {
  readonly count: number;
  readonly p50: number;
  readonly max: number;
}

/** Median (nearest rank) and maximum; NaN for no samples. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { count: 0, p50: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: sorted[Math.ceil(sorted.length / 2) - 1]!, max: sorted[sorted.length - 1]! };
}
