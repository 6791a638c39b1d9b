import { KafkaError } from '../errors.js';
import type { ClientSecurity } from '../kafka-client/client-security.js';
import { BrokerConnections } from '../kafka-client/broker-connections.js';
import type { KafkaClientConnection } from '../kafka-client/kafka-client-connection.js';
import { isKafkaClientError } from '../kafka-client/kafka-client-error.js';
import { DEFAULT_SOCKET_REQUEST_MAX_BYTES } from '../protocol/frame-decoder.js';
import type { Registry } from '../registry/registry.js';
import type { Scheduler } from '../timer/scheduler.js';
import { DEFAULT_CONNECTION_SETUP_TIMEOUT_MS } from './replica-fetcher-manager.js';
import { registeredEndpoint } from './replica-fetchers.js';

export interface RemoteBrokerCallsOptions {
  /** TLS and SASL towards brokers of other processes (the inter-broker security). */
  readonly security?: ClientSecurity;
  readonly registry: Registry;
  readonly timer: Scheduler;
  readonly clientId: string;
  readonly requestTimeoutMs: number;
}

/**
 * A LocalCluster's admin calls to brokers of other processes (their group and transaction
 * coordinators, their partitions' producer state), as an admin client sends them: one
 * connection per broker, made on use, its endpoint read from the shared registry. A
 * broker that cannot be reached is COORDINATOR_NOT_AVAILABLE, naming what was being done.
 */
export class RemoteBrokerCalls {
  private readonly connections: BrokerConnections;

  constructor(options: RemoteBrokerCallsOptions) {
    const { registry, timer, clientId, requestTimeoutMs } = options;
    this.connections = new BrokerConnections({
      clientId, timer, requestTimeoutMs,
      connectTimeoutMs: Math.min(requestTimeoutMs, DEFAULT_CONNECTION_SETUP_TIMEOUT_MS),
      maxResponseBytes: DEFAULT_SOCKET_REQUEST_MAX_BYTES,
      resolveBroker: (id) => registeredEndpoint(registry, id),
      ...(options.security === undefined ? {} : { security: options.security }),
    });
  }

  async call<T>(brokerId: number, doing: string, send: (connection: KafkaClientConnection) => Promise<T>): Promise<T> {
    try {
      return await send(await this.connections.get(brokerId));
    } catch (err) {
      if (isKafkaClientError(err)) throw new KafkaError('COORDINATOR_NOT_AVAILABLE', `${doing}: broker ${brokerId} cannot be reached (${err.message}).`);
      throw err;
    }
  }

  close(): void {
    this.connections.close();
  }
}
