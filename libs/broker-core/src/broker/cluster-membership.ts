import { randomBytes } from 'node:crypto';
import type { BrokerLogger } from './broker-options.js';
import type { BrokerEndpointInfo } from './broker-api.js';
import { ignoreRegistryError as ignoreCode } from './registry-calls.js';
import {
  BrokerIdZNode,
  ClusterIdZNode,
  ControllerEpochZNode,
  ControllerZNode,
  KAFKA_PERSISTENT_PATHS,
  KafkaPaths,
  type BrokerRegistration,
} from '../registry/kafka-znodes.js';
import { isRegistryError } from '../registry/registry-error.js';
import type { Registry } from '../registry/registry.js';
import { Ops } from '../registry/types.js';
import type { Time } from '../time.js';
import type { Cancellable } from '../timer/scheduler.js';
import type { Timer } from '../timer/system-timer.js';

export interface MembershipOptions {
  readonly registry: Registry;
  readonly timer: Timer;
  readonly time: Time;
  readonly logger: BrokerLogger;
  readonly brokerId: number;
  readonly registration: BrokerRegistration;
  readonly sessionTimeoutMs: number;
  /** This broker won /controller: `epoch` and the /controller_epoch version its writes are fenced with. */
  readonly onControllerElected?: (epoch: number, epochZkVersion: number) => void;
  /** This broker no longer holds /controller (its session expired, or it was fenced). */
  readonly onControllerLost?: () => void;
}

/** Kafka's Uuid.toString: base64url of 16 random bytes, never starting with '-' (it reads as a CLI flag). */
export function randomKafkaUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && id !== 'AAAAAAAAAAAAAAAAAAAAAA') return id;
  }
}

/**
 * This broker's place in the cluster, kept in the registry as Kafka keeps it in ZooKeeper:
 * the cluster id (`/cluster/id`, created once by the first broker), the broker's
 * ephemeral registration (`/brokers/ids/<id>`) owned by a registry session that a timer
 * task heartbeats, and the controller claim (`/controller` ephemeral plus a bumped
 * `/controller_epoch`, in one multi).
 *
 * Invariants: while joined, the registration and (if held) the controller node belong to
 * `sessionId`. A registration left by an earlier run of this broker id (a crash) is
 * awaited until its session expires rather than taken over, as Kafka does, so two live
 * processes never both believe they are broker N. If our own session expires, the
 * broker joins again with a new session.
 *
 * Self-fencing (on a registry other processes share): a lease is renewed from the time its heartbeat was sent, so once a whole
 * session timeout passed since the last renewal that went through, another process may
 * have expired the session and elected a new controller and new leaders. The broker then
 * assumes so (`fenced`): it gives up the controller role at once, and its produce path
 * and ISR writes refuse to act as leader, until the registry answers again: a renewal
 * that succeeds (the session was still alive: it catches up and resumes) or a new
 * registration after SESSIONEXPIRED (it follows the registry's current leaders).
 */
export class ClusterMembership {
  private heartbeatTask: Cancellable | undefined;
  private sessionIdValue = 0;
  private controllerEpochValue = 0;
  private closed = false;
  private rejoining: Promise<void> | undefined;
  private fenceTask: Cancellable | undefined;
  private fencedValue = false;
  private heartbeatFailing = false;

  private constructor(private readonly options: MembershipOptions, readonly clusterId: string) {}

  static async join(options: MembershipOptions): Promise<ClusterMembership> {
    await ensurePersistentPaths(options.registry);
    const membership = new ClusterMembership(options, await ensureClusterId(options.registry));
    await membership.register();
    return membership;
  }

  get sessionId(): number { return this.sessionIdValue; }
  /** True while this broker must assume its session expired (no renewal for a session timeout). */
  get fenced(): boolean { return this.fencedValue; }
  /** The epoch this broker was elected controller with (0 if it is not the controller). */
  get controllerEpoch(): number { return this.controllerEpochValue; }

  /** The broker epoch (Kafka's): the zxid that created this broker's current registration. */
  get brokerEpoch(): number {
    return this.options.registry.exists(KafkaPaths.brokerId(this.options.brokerId))?.czxid ?? -1;
  }

  /** The broker id in /controller, or -1 when there is none. */
  controllerId(): number {
    const { registry } = this.options;
    if (registry.exists(KafkaPaths.controller) === null) return -1;
    return ControllerZNode.decode(registry.getData(KafkaPaths.controller).data).brokerId;
  }

  /** Live brokers: the registrations under /brokers/ids, by id. */
  liveBrokers(): BrokerEndpointInfo[] {
    const { registry } = this.options;
    const brokers: BrokerEndpointInfo[] = [];
    for (const child of registry.getChildren(KafkaPaths.brokerIds)) {
      const path = KafkaPaths.brokerId(Number(child));
      if (registry.exists(path) === null) continue;
      const b = BrokerIdZNode.decode(registry.getData(path).data);
      brokers.push({ brokerId: Number(child), host: b.host, port: b.port, rack: b.rack ?? null });
    }
    return brokers.sort((a, b) => a.brokerId - b.brokerId);
  }

  private async register(): Promise<void> {
    const { registry, brokerId, registration, sessionTimeoutMs, time } = this.options;
    const createdAtMs = time.hiResMilliseconds();
    this.sessionIdValue = await registry.createSession(sessionTimeoutMs, { onExpired: (id) => this.onSessionExpired(id) });
    this.renewed(createdAtMs);
    this.scheduleHeartbeat();
    const path = KafkaPaths.brokerId(brokerId);
    await this.awaitStaleNodeGone(path);
    await registry.create(path, BrokerIdZNode.encode(registration), { mode: 'EPHEMERAL', sessionId: this.sessionIdValue });
    this.unfence(`registered again with session ${this.sessionIdValue}`);
    await this.electController();
  }

  /**
   * Waits (up to two session timeouts) for an ephemeral node owned by another session to
   * disappear, expiring overdue sessions on the way: a crashed run's registration lives
   * until its lease runs out.
   */
  private async awaitStaleNodeGone(path: string): Promise<void> {
    const { registry, timer, time, sessionTimeoutMs } = this.options;
    const deadline = time.hiResMilliseconds() + 2 * sessionTimeoutMs;
    for (;;) {
      const stat = registry.exists(path);
      if (stat === null || stat.ephemeralOwner === this.sessionIdValue) return;
      const remaining = deadline - time.hiResMilliseconds();
      if (remaining <= 0) {
        throw new Error(`${path} is held by registry session ${stat.ephemeralOwner}, which has not expired: is another broker running with id ${this.options.brokerId}?`);
      }
      this.options.logger.info(`waiting for ${path} of an earlier session (${stat.ephemeralOwner}) to expire`);
      await new Promise<void>((resolve) => {
        const wake = timer.schedule(Math.min(remaining, Math.max(1, Math.floor(sessionTimeoutMs / 6))), resolve);
        registry.exists(path, () => {
          wake.cancel();
          resolve();
        });
      });
      await registry.expireSessions();
    }
  }

  /**
   * Claims /controller if nobody holds it (Kafka's registerControllerAndIncrementControllerEpoch):
   * create the ephemeral node and move /controller_epoch on at its expected version in one
   * multi, so two claimants cannot both win. Watches /controller to claim it again if freed.
   */
  private async electController(): Promise<void> {
    const { registry, brokerId, time } = this.options;
    if (this.closed) return;
    if (registry.exists(KafkaPaths.controller, this.onControllerChange) !== null || this.fencedValue) return;
    if (registry.exists(KafkaPaths.controllerEpoch) === null) {
      await ignoreCode(registry.create(KafkaPaths.controllerEpoch, ControllerEpochZNode.encode(0)), 'NODEEXISTS');
    }
    const { data, stat } = registry.getData(KafkaPaths.controllerEpoch);
    const epoch = ControllerEpochZNode.decode(data) + 1;
    try {
      const results = await registry.multi([
        Ops.create(KafkaPaths.controller, ControllerZNode.encode(brokerId, time.milliseconds()), 'EPHEMERAL', this.sessionIdValue),
        Ops.setData(KafkaPaths.controllerEpoch, ControllerEpochZNode.encode(epoch), stat.version),
      ]);
      const epochResult = results[1];
      const epochZkVersion = epochResult?.type === 'setData' ? epochResult.stat.version : stat.version + 1;
      this.controllerEpochValue = epoch;
      this.options.logger.info(`broker ${brokerId} is the controller (epoch ${epoch})`);
      this.options.onControllerElected?.(epoch, epochZkVersion);
    } catch (err) {
      if (!isRegistryError(err, 'NODEEXISTS') && !isRegistryError(err, 'BADVERSION')) throw err;
    }
    registry.exists(KafkaPaths.controller, this.onControllerChange);
  }

  private readonly onControllerChange = (): void => {
    if (this.closed) return;
    if (this.controllerEpochValue > 0 && !this.holdsController()) this.resignController();
    this.electController().catch((err: unknown) => {
      // A session that expired (or was dropped) cannot claim anything; re-registering handles it.
      if (!isRegistryError(err, 'SESSIONEXPIRED')) this.options.logger.error('controller election failed', err);
    });
  };

  private holdsController(): boolean {
    const stat = this.options.registry.exists(KafkaPaths.controller);
    return stat !== null && stat.ephemeralOwner === this.sessionIdValue;
  }

  /** Gives up the controller role locally (the controller was fenced, or /controller is no longer ours). */
  resignController(): void {
    if (this.controllerEpochValue === 0) return;
    this.options.logger.info(`broker ${this.options.brokerId} is no longer the controller (epoch ${this.controllerEpochValue})`);
    this.controllerEpochValue = 0;
    this.options.onControllerLost?.();
  }

  private scheduleHeartbeat(): void {
    const { timer, registry, sessionTimeoutMs, time } = this.options;
    const sessionId = this.sessionIdValue;
    this.heartbeatTask = timer.schedule(Math.max(1, Math.floor(sessionTimeoutMs / 3)), () => {
      if (this.closed || sessionId !== this.sessionIdValue) return;
      const sentAtMs = time.hiResMilliseconds();
      registry.heartbeat(sessionId).then(
        () => {
          if (sessionId !== this.sessionIdValue) return;
          this.heartbeatFailing = false;
          this.renewed(sentAtMs);
          this.scheduleHeartbeat();
          // Alive after all: catch up with what happened meanwhile before leading again.
          if (this.fencedValue) void registry.sync().then(() => this.unfence(`session ${sessionId} is still alive`), () => undefined);
        },
        (err: unknown) => {
          if (!isRegistryError(err, 'SESSIONEXPIRED')) {
            // Not an expiry: the registry was not reached. Retry; an outage is logged once.
            if (!this.heartbeatFailing) this.options.logger.error(`registry heartbeat of session ${sessionId} failed; retrying`, err);
            this.heartbeatFailing = true;
            this.scheduleHeartbeat();
          }
        },
      );
    });
  }

  /**
   * A renewal sent at `sentAtMs` went through: the lease runs for a session timeout from
   * then. Only a registry other processes share can move on without this one (expire its
   * session, elect other leaders), so only then does a missed renewal fence the broker: on
   * an embedded registry the process that would expire the session is this one.
   */
  private renewed(sentAtMs: number): void {
    const { timer, time, sessionTimeoutMs, registry } = this.options;
    this.fenceTask?.cancel();
    if (!registry.shared) return;
    const leftMs = Math.max(1, Math.ceil(sentAtMs + sessionTimeoutMs - time.hiResMilliseconds()));
    this.fenceTask = timer.schedule(leftMs, () => this.fence());
  }

  private fence(): void {
    if (this.closed || this.fencedValue) return;
    this.fencedValue = true;
    this.options.logger.warn(`broker ${this.options.brokerId}: registry session ${this.sessionIdValue} not renewed for ${this.options.sessionTimeoutMs} ms; `
      + 'assuming it expired: not acting as controller or leader until the registry answers');
    this.resignController();
  }

  private unfence(why: string): void {
    if (!this.fencedValue || this.closed) return;
    this.fencedValue = false;
    const { logger, brokerId, registry } = this.options;
    logger.info(`broker ${brokerId}: registry reachable again (${why}); acting on the registry's current state`);
    if (this.controllerEpochValue === 0 && this.holdsController()) {
      // Still ours (the session lived): nobody else can have been elected, so the epoch is still this broker's.
      const { data, stat } = registry.getData(KafkaPaths.controllerEpoch);
      this.controllerEpochValue = ControllerEpochZNode.decode(data);
      logger.info(`broker ${brokerId} is the controller again (epoch ${this.controllerEpochValue})`);
      this.options.onControllerElected?.(this.controllerEpochValue, stat.version);
    }
    // The controller may have gone meanwhile; claim it if it is free.
    this.onControllerChange();
  }

  private onSessionExpired(sessionId: number): void {
    if (this.closed || sessionId !== this.sessionIdValue || this.rejoining) return;
    this.options.logger.warn(`registry session ${sessionId} expired; registering broker ${this.options.brokerId} again`);
    this.heartbeatTask?.cancel();
    this.resignController();
    this.rejoin();
  }

  /** Registers with a new session, retrying (every third of the session timeout) while the registry cannot be reached. */
  private rejoin(): void {
    this.rejoining = this.register()
      .catch((err: unknown) => {
        this.options.logger.error('registering again after session expiry failed; retrying', err);
        if (this.closed) return;
        this.heartbeatTask?.cancel();
        this.heartbeatTask = this.options.timer.schedule(Math.max(1, Math.floor(this.options.sessionTimeoutMs / 3)), () => {
          if (!this.closed && this.rejoining === undefined) this.rejoin();
        });
      })
      .finally(() => (this.rejoining = undefined));
  }

  /** Gives up the controller role and the registration (closing the session deletes both). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.heartbeatTask?.cancel();
    this.fenceTask?.cancel();
    this.resignController();
    await this.rejoining;
    await ignoreCode(this.options.registry.closeSession(this.sessionIdValue), 'SESSIONEXPIRED');
  }
}

async function ensurePersistentPaths(registry: Registry): Promise<void> {
  for (const path of KAFKA_PERSISTENT_PATHS) {
    if (registry.exists(path) === null) await ignoreCode(registry.create(path), 'NODEEXISTS');
  }
}

/** Reads /cluster/id, creating it with a fresh id if this is the cluster's first broker. */
async function ensureClusterId(registry: Registry): Promise<string> {
  if (registry.exists(KafkaPaths.clusterId) === null) {
    await ignoreCode(registry.create(KafkaPaths.clusterId, ClusterIdZNode.encode(randomKafkaUuid())), 'NODEEXISTS');
  }
  return ClusterIdZNode.decode(registry.getData(KafkaPaths.clusterId).data);
}
