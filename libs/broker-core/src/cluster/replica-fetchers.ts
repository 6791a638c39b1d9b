import type { BrokerDefaults, BrokerLogger } from '../broker/broker-options.js';
import type { BrokerEndpoint } from '../kafka-client/broker-connections.js';
import type { ClientSecurity } from '../kafka-client/client-security.js';
import { BrokerIdZNode, KafkaPaths } from '../registry/kafka-znodes.js';
import type { Registry } from '../registry/registry.js';
import type { Time } from '../time.js';
import type { Scheduler } from '../timer/scheduler.js';
import { ReplicaFetcherManager, type ReplicaFetcherManagerOptions } from './replica-fetcher-manager.js';

export interface ReplicaFetchersOptions {
  readonly brokerId: number;
  readonly timer: Scheduler;
  /** Unused for now: the fetchers' waits are all on the timer. */
  readonly time?: Time;
  readonly logger: BrokerLogger;
  readonly registry: Registry;
  readonly defaults: Pick<BrokerDefaults, 'replicaFetchWaitMaxMs' | 'replicaFetchMaxBytes' | 'replicaFetchBackoffMs'>;
  readonly onError?: ReplicaFetcherManagerOptions['onError'];
  /** TLS and SASL towards leaders in other processes (the inter-broker security). */
  readonly security?: ClientSecurity;
}

/**
 * The broker's replica fetchers: a ReplicaFetcherManager with the broker's replica.fetch.*
 * settings, finding leaders where they registered (/brokers/ids/<id>, read at each
 * connection attempt, so a leader that restarted on another port is found again).
 */
export function createReplicaFetchers(options: ReplicaFetchersOptions): ReplicaFetcherManager {
  const { brokerId, timer, logger, registry, defaults } = options;
  return new ReplicaFetcherManager({
    brokerId, timer, logger,
    resolveBroker: (id) => registeredEndpoint(registry, id),
    replicaFetchWaitMaxMs: defaults.replicaFetchWaitMaxMs,
    replicaFetchMaxBytes: defaults.replicaFetchMaxBytes,
    replicaFetchBackoffMs: defaults.replicaFetchBackoffMs,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
    ...(options.security === undefined ? {} : { security: options.security }),
  });
}

/** Where broker `brokerId` listens, from its live registration; undefined when it is not registered. */
export function registeredEndpoint(registry: Registry, brokerId: number): BrokerEndpoint | undefined {
  const path = KafkaPaths.brokerId(brokerId);
  if (registry.exists(path) === null) return undefined;
  const { host, port } = BrokerIdZNode.decode(registry.getData(path).data);
  return port > 0 ? { host, port } : undefined;
}
