import { Broker } from '../broker/broker.js';
import type { ClientSecurity } from '../kafka-client/client-security.js';
import type { BrokerDefaults, BrokerLogger } from '../broker/broker-options.js';
import { KafkaListener } from '../kafka-server/kafka-listener.js';
import type { AuditSink } from '../security/audit.js';
import type { ListenerSecurity } from '../security/listener-security.js';
import type { AuthorizerSettings } from '../security/authorizer.js';
import { KafkaPaths } from '../registry/kafka-znodes.js';
import { isRegistryError } from '../registry/registry-error.js';
import type { Registry } from '../registry/registry.js';
import type { Time } from '../time.js';
import type { Timer } from '../timer/system-timer.js';

/** How a hosted broker stops. */
export type StopMode =
  /** Kafka's controlled shutdown: leadership moves away before the logs close (when controlled.shutdown.enable). */
  | 'controlled'
  /** As a crash: stop serving, drop the registry session at once, then close the logs. */
  | 'uncontrolled'
  /** Whatever the broker's controlled.shutdown.enable says (closing the whole process). */
  | 'configured';

/** What every broker of a LocalCluster shares. */
export interface SharedBrokerSettings {
  /** Shared by every hosted broker; owned by the caller. */
  readonly registry: Registry;
  /** Shared by every hosted broker; owned by the caller. */
  readonly timer: Timer;
  readonly time?: Time;
  /** Interface the Kafka listeners bind. */
  readonly host: string;
  readonly advertisedHost: string;
  readonly maxRequestBytes?: number;
  readonly defaults?: Partial<BrokerDefaults>;
  readonly rack?: string;
  /** How the Kafka listeners secure connections (PLAINTEXT by default). */
  readonly listenerSecurity?: ListenerSecurity;
  /** Receives the Kafka door's admin operations for the audit log. */
  readonly audit?: AuditSink;
  /** Super users and the no-ACL default of every hosted broker's ACL authorizer. */
  readonly authorizer?: AuthorizerSettings;
  /** How hosted brokers reach brokers of other processes (security.inter.broker.protocol); plaintext when absent. */
  readonly interBrokerSecurity?: ClientSecurity;
}

export interface HostedBrokerSettings extends SharedBrokerSettings {
  readonly brokerId: number;
  /** This broker's own data dir (its logs go to `<dataDir>/logs`). */
  readonly dataDir: string;
  /** The configured Kafka port; 0 picks a free one on the first start, kept for restarts. */
  readonly kafkaPort: number;
  readonly logger: BrokerLogger;
}

/**
 * Why LocalCluster refused to start or stop a broker: it is not hosted by this process,
 * is already in the asked state, or is starting or stopping.
 */
export type LocalClusterRefusal = 'not-hosted' | 'already-running' | 'not-running' | 'busy';

export class LocalClusterError extends Error {
  override readonly name = 'LocalClusterError';

  constructor(
    readonly brokerId: number,
    readonly reason: LocalClusterRefusal,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One broker slot of a LocalCluster: a Broker and the Kafka listener serving it, which
 * can be stopped and started again on the same data dir and port.
 *
 * Start binds the listener first (so the broker advertises the port actually bound),
 * starts the broker, then serves. The first bound port is kept, so a restarted broker
 * comes back at the address clients and the registry knew. Stop takes the broker out of
 * `broker` before anything closes, so callers route nothing more to it.
 *
 * Invariant: at most one start or stop runs at a time (`busy` refusals otherwise); the
 * caller (LocalCluster) runs on the one event loop.
 */
export class HostedBroker {
  private current: { readonly broker: Broker; readonly listener: KafkaListener } | undefined;
  private transition: Promise<unknown> | undefined;
  private portValue: number;

  constructor(private readonly settings: HostedBrokerSettings) {
    this.portValue = settings.kafkaPort;
  }

  get brokerId(): number { return this.settings.brokerId; }
  get dataDir(): string { return this.settings.dataDir; }
  /** The running broker, or undefined while stopped, starting or stopping. */
  get broker(): Broker | undefined { return this.current?.broker; }
  get listener(): KafkaListener | undefined { return this.current?.listener; }
  get running(): boolean { return this.current !== undefined; }
  /** The Kafka port this broker listens (or last listened) on; null before its first start with port 0. */
  get kafkaPort(): number | null { return this.portValue === 0 ? null : this.portValue; }

  start(): Promise<Broker> {
    if (this.current !== undefined && this.transition === undefined) {
      return Promise.reject(this.refusal('already-running', `broker ${this.brokerId} is already running`));
    }
    return this.exclusive(() => this.startNow());
  }

  stop(mode: StopMode): Promise<void> {
    if (this.current === undefined && this.transition === undefined) {
      return Promise.reject(this.refusal('not-running', `broker ${this.brokerId} is not running`));
    }
    return this.exclusive(() => this.stopNow(mode));
  }

  /** Waits for a start or stop in progress, whatever its outcome. */
  async settled(): Promise<void> {
    await this.transition?.catch(() => undefined);
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.transition !== undefined) throw this.refusal('busy', `broker ${this.brokerId} is starting or stopping`);
    const running = work();
    this.transition = running;
    try {
      return await running;
    } finally {
      this.transition = undefined;
    }
  }

  private async startNow(): Promise<Broker> {
    const s = this.settings;
    const listener = await KafkaListener.bind({
      host: s.host, port: this.portValue, logger: s.logger,
      ...(s.maxRequestBytes === undefined ? {} : { maxRequestBytes: s.maxRequestBytes }),
      ...(s.listenerSecurity === undefined ? {} : { security: s.listenerSecurity }),
      ...(s.audit === undefined ? {} : { audit: s.audit }),
    });
    this.portValue = listener.port;
    let broker: Broker;
    try {
      broker = await Broker.start({
        brokerId: s.brokerId, dataDir: s.dataDir, registry: s.registry, timer: s.timer, advertisedHost: s.advertisedHost,
        advertisedPort: listener.port, logger: s.logger,
        ...(s.time === undefined ? {} : { time: s.time }),
        ...(s.defaults === undefined ? {} : { defaults: s.defaults }),
        ...(s.rack === undefined ? {} : { rack: s.rack }),
        ...(s.authorizer === undefined ? {} : { authorizer: s.authorizer }),
        ...(s.interBrokerSecurity === undefined ? {} : { interBrokerSecurity: s.interBrokerSecurity }),
      });
    } catch (err) {
      await listener.close();
      throw err;
    }
    listener.serve(broker);
    this.current = { broker, listener };
    return broker;
  }

  private async stopNow(mode: StopMode): Promise<void> {
    const { broker, listener } = this.current!;
    this.current = undefined;
    // Clients find the new leaders through metadata from the other brokers either way.
    await listener.close();
    switch (mode) {
      case 'controlled':
        return broker.close({ controlledShutdown: true });
      case 'uncontrolled':
        await this.dropRegistration();
        return broker.close({ controlledShutdown: false });
      case 'configured':
        return broker.close();
      default: {
        const never: never = mode;
        throw new Error(`unknown stop mode ${String(never)}`);
      }
    }
  }

  /**
   * Ends the registry session that owns this broker's registration, as a lease running
   * out after a crash would: the registration (and /controller, if it held it) goes now,
   * and the controller reacts as to a failed broker. The logs are then closed normally,
   * so nothing on disk is left torn.
   */
  private async dropRegistration(): Promise<void> {
    const { registry } = this.settings;
    const stat = registry.exists(KafkaPaths.brokerId(this.brokerId));
    if (stat === null || stat.ephemeralOwner === 0) return;
    try {
      await registry.closeSession(stat.ephemeralOwner);
    } catch (err) {
      if (!isRegistryError(err, 'SESSIONEXPIRED')) throw err;
    }
  }

  private refusal(reason: LocalClusterRefusal, message: string): LocalClusterError {
    return new LocalClusterError(this.brokerId, reason, message);
  }
}
