import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerDefaults, BrokerLogger } from '../../broker/broker-options.js';
import { InMemoryRegistryStore } from '../../registry/memory-store.js';
import { Registry } from '../../registry/registry.js';
import { SystemTime } from '../../time.js';
import { SystemTimer } from '../../timer/system-timer.js';
import { LocalCluster } from '../local-cluster.js';

/** Settings that make replication tests quick: short session, lag, fetch waits and backoffs; no auto rebalance. */
export const FAST_REPLICATION: Partial<BrokerDefaults> = {
  sessionTimeoutMs: 6000, replicaLagTimeMaxMs: 2000, replicaFetchWaitMaxMs: 50, replicaFetchBackoffMs: 50,
  controlledShutdownTimeoutMs: 5000, autoLeaderRebalanceEnable: false,
};

/**
 * Real brokers of one LocalCluster in a temp dir, on an in-memory registry, the system
 * timer and real TCP on 127.0.0.1 (each broker on a free port): what the cluster specs
 * start. `close` stops everything and removes the dir.
 */
export class LocalClusterHarness {
  private constructor(
    readonly cluster: LocalCluster,
    readonly registry: Registry,
    readonly timer: SystemTimer,
    readonly dataDir: string,
  ) {}

  static async start(brokerIds: readonly number[], defaults: Partial<BrokerDefaults> = { sessionTimeoutMs: 6000 }, logger?: BrokerLogger): Promise<LocalClusterHarness> {
    const dataDir = mkdtempSync(join(tmpdir(), 'weir-local-cluster-'));
    const time = new SystemTime();
    const timer = new SystemTimer();
    const registry = await Registry.open({ store: new InMemoryRegistryStore(), time, scheduler: timer, onError: () => undefined });
    const cluster = await LocalCluster.start({
      brokerIds: [...brokerIds], dataDir, registry, timer, time, host: '127.0.0.1', advertisedHost: '127.0.0.1',
      kafkaPorts: brokerIds.map(() => 0), defaults, ...(logger === undefined ? {} : { logger }),
    });
    return new LocalClusterHarness(cluster, registry, timer, dataDir);
  }

  async close(): Promise<void> {
    try {
      await this.cluster.close();
      await this.registry.close();
      this.timer.close();
    } finally {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}

/** Polls `condition` on real time until it holds, failing after `withinMs`. */
export async function until(what: string, condition: () => boolean, withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
