import type { Cancellable } from '../timer/scheduler.js';
import { KafkaClientConnection, type KafkaClientConnectionOptions } from './kafka-client-connection.js';
import { KafkaClientError } from './kafka-client-error.js';

export interface BrokerEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Where a broker listens now (from the registry's /brokers/ids/<id>), or undefined when it is not registered. */
export type BrokerLookup = (brokerId: number) => BrokerEndpoint | undefined;

/** Kafka's reconnect.backoff.ms and reconnect.backoff.max.ms defaults. */
export const DEFAULT_RECONNECT_BACKOFF_MS = 50;
export const DEFAULT_RECONNECT_BACKOFF_MAX_MS = 1000;

export interface BrokerConnectionsOptions extends Omit<KafkaClientConnectionOptions, 'host' | 'port'> {
  readonly resolveBroker: BrokerLookup;
  /** Wait before reconnecting to a broker whose connection failed or closed (doubles per failed attempt). */
  readonly reconnectBackoffMs?: number;
  readonly reconnectBackoffMaxMs?: number;
}

/** What the pool knows about one broker. */
interface BrokerSlot {
  connection: KafkaClientConnection | undefined;
  /** The connection being made (after any backoff), shared by every get() meanwhile. */
  connecting: Promise<KafkaClientConnection> | undefined;
  /** Failed connection attempts since the last success: the backoff's exponent. */
  failures: number;
  /** Pending backoff: no attempt before `task` runs; `release` ends the wait early (close). */
  backoff: { task: Cancellable; done: Promise<void>; release: () => void } | undefined;
}

/**
 * At most one connection per broker id, made on first use and made again after it dies.
 * Each (re)connection resolves the broker's endpoint through the caller's lookup, so a
 * broker that restarted on another address is found. After a connection fails or closes,
 * the next attempt waits out a backoff on the timer (reconnectBackoffMs, doubling per
 * failed attempt up to reconnectBackoffMaxMs, back to the base after a success): get()
 * called meanwhile resolves once the backoff has passed and the connection is made.
 *
 * Callers: one event loop. A replica fetcher's long-poll Fetch delays every request
 * behind it on its connection, so fetchers get a pool of their own.
 */
export class BrokerConnections {
  private readonly slots = new Map<number, BrokerSlot>();
  private readonly backoffMs: number;
  private readonly backoffMaxMs: number;
  private closedNow = false;

  constructor(private readonly options: BrokerConnectionsOptions) {
    this.backoffMs = options.reconnectBackoffMs ?? DEFAULT_RECONNECT_BACKOFF_MS;
    this.backoffMaxMs = Math.max(this.backoffMs, options.reconnectBackoffMaxMs ?? DEFAULT_RECONNECT_BACKOFF_MAX_MS);
  }

  /** The live connection to `brokerId`, connecting (after any backoff) when there is none. Rejects with a KafkaClientError. */
  get(brokerId: number): Promise<KafkaClientConnection> {
    if (this.closedNow) return Promise.reject(this.closedError());
    const slot = this.slot(brokerId);
    if (slot.connection && !slot.connection.isClosed) return Promise.resolve(slot.connection);
    slot.connecting ??= this.connect(brokerId, slot).finally(() => (slot.connecting = undefined));
    return slot.connecting;
  }

  /** The live connection to `brokerId` if there is one, without connecting. */
  peek(brokerId: number): KafkaClientConnection | undefined {
    const connection = this.slots.get(brokerId)?.connection;
    return connection && !connection.isClosed ? connection : undefined;
  }

  /** Closes the connection to `brokerId` (its pending requests reject) and forgets the broker: no backoff for the next get(). */
  disconnect(brokerId: number): void {
    const slot = this.slots.get(brokerId);
    if (slot === undefined) return;
    this.slots.delete(brokerId);
    slot.backoff?.task.cancel();
    slot.backoff?.release();
    slot.connection?.close();
  }

  /** Closes every connection; pending and later get()s reject with 'disconnected'. */
  close(): void {
    this.closedNow = true;
    for (const brokerId of [...this.slots.keys()]) this.disconnect(brokerId);
  }

  private slot(brokerId: number): BrokerSlot {
    let slot = this.slots.get(brokerId);
    if (slot === undefined) {
      slot = { connection: undefined, connecting: undefined, failures: 0, backoff: undefined };
      this.slots.set(brokerId, slot);
    }
    return slot;
  }

  private async connect(brokerId: number, slot: BrokerSlot): Promise<KafkaClientConnection> {
    if (slot.backoff) await slot.backoff.done;
    if (this.closedNow || this.slots.get(brokerId) !== slot) throw this.droppedError(brokerId);
    const endpoint = this.options.resolveBroker(brokerId);
    if (endpoint === undefined) {
      this.startBackoff(slot, ++slot.failures);
      throw new KafkaClientError('disconnected', `broker ${brokerId} has no known endpoint`);
    }
    let connection: KafkaClientConnection;
    try {
      connection = await KafkaClientConnection.connect({ ...this.options, host: endpoint.host, port: endpoint.port });
    } catch (err) {
      this.startBackoff(slot, ++slot.failures);
      throw err;
    }
    if (this.closedNow || this.slots.get(brokerId) !== slot) {
      connection.close();
      throw this.droppedError(brokerId);
    }
    slot.failures = 0;
    slot.connection = connection;
    void connection.closed.then(() => {
      if (slot.connection !== connection) return;
      slot.connection = undefined;
      if (this.slots.get(brokerId) === slot) this.startBackoff(slot, 1);
    });
    return connection;
  }

  private startBackoff(slot: BrokerSlot, failures: number): void {
    const delayMs = Math.min(this.backoffMaxMs, this.backoffMs * 2 ** Math.min(failures - 1, 30));
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const backoff = {
      task: this.options.timer.schedule(delayMs, () => {
        if (slot.backoff === backoff) slot.backoff = undefined;
        release();
      }),
      done,
      release,
    };
    slot.backoff = backoff;
  }

  private closedError(): KafkaClientError {
    return new KafkaClientError('disconnected', 'the broker connection pool is closed');
  }

  /** For a connect that close() or disconnect() overtook. */
  private droppedError(brokerId: number): KafkaClientError {
    return this.closedNow ? this.closedError() : new KafkaClientError('disconnected', `the connection to broker ${brokerId} was dropped by disconnect()`);
  }
}
