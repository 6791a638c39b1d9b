import { randomUUID } from 'node:crypto';
import type { Cancellable, Scheduler, Time } from '@weir/broker-core';
import type { CreateConsumerSettings } from '@weir/contracts';
import { ConsumerInstance } from './consumer-instance.js';
import { V2_ERRORS } from './v2-errors.js';
import { groupSettingsOf, type GroupSettings } from './v2-group-settings.js';

const DEFAULT_GROUP_SETTINGS: GroupSettings = groupSettingsOf({
  'partition.assignment.strategy': ['range', 'cooperative-sticky'], 'session.timeout.ms': 45_000, 'heartbeat.interval.ms': 3_000, 'max.poll.interval.ms': 300_000,
});

/**
 * The live v2 consumer instances of this gateway, by group then name, and their idle
 * expiry. Each instance has one task on the shared timer, armed for when it would
 * expire; a request only records the time (no re-scheduling per request), and the task,
 * when it fires early because of later activity, re-arms itself for the remainder.
 * Instances live in this process only: behind a load balancer a client must keep
 * reaching the same gateway (as with Confluent's REST Proxy).
 */
export class ConsumerInstances {
  private readonly groups = new Map<string, Map<string, ConsumerInstance>>();
  private readonly expiryTasks = new Map<ConsumerInstance, Cancellable>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly time: Time,
    private readonly instanceTimeoutMs: number,
    /** Told of every instance removed (deleted, expired or closed), e.g. to leave its group. */
    private readonly onRemoved: (instance: ConsumerInstance) => void = () => undefined,
  ) {}

  create(group: string, settings: CreateConsumerSettings, groupSettings: GroupSettings = DEFAULT_GROUP_SETTINGS): ConsumerInstance {
    const name = settings.name ?? settings.id ?? `rest-consumer-${randomUUID()}`;
    let members = this.groups.get(group);
    if (members?.has(name)) throw V2_ERRORS.alreadyExists();
    if (members === undefined) {
      members = new Map();
      this.groups.set(group, members);
    }
    const instance = new ConsumerInstance(group, name, settings, groupSettings, this.time.hiResMilliseconds());
    members.set(name, instance);
    this.armExpiry(instance, this.instanceTimeoutMs);
    return instance;
  }

  /** The instance, marked active now; 404 40403 if it does not exist (or expired). */
  get(group: string, name: string): ConsumerInstance {
    const instance = this.groups.get(group)?.get(name);
    if (instance === undefined) throw V2_ERRORS.instanceNotFound();
    instance.lastActiveMs = this.time.hiResMilliseconds();
    return instance;
  }

  /**
   * Runs one request against an instance: marks it active before and after (a long
   * poll counts as activity for its whole length) and serialises it with the
   * instance's other requests.
   */
  async use<T>(group: string, name: string, work: (instance: ConsumerInstance) => Promise<T> | T): Promise<T> {
    const instance = this.get(group, name);
    instance.inFlight++;
    try {
      return await instance.exclusive(async () => {
        if (instance.closed) throw V2_ERRORS.instanceNotFound();
        return await work(instance);
      });
    } finally {
      instance.inFlight--;
      instance.lastActiveMs = this.time.hiResMilliseconds();
    }
  }

  delete(group: string, name: string): void {
    this.remove(this.get(group, name));
  }

  /** Whether the instance exists, without counting as activity. */
  has(group: string, name: string): boolean {
    return this.groups.get(group)?.has(name) ?? false;
  }

  count(): number {
    let n = 0;
    for (const members of this.groups.values()) n += members.size;
    return n;
  }

  close(): void {
    for (const task of this.expiryTasks.values()) task.cancel();
    this.expiryTasks.clear();
    const all = [...this.groups.values()].flatMap((members) => [...members.values()]);
    this.groups.clear();
    for (const instance of all) {
      instance.closed = true;
      this.onRemoved(instance);
    }
  }

  private armExpiry(instance: ConsumerInstance, delayMs: number): void {
    this.expiryTasks.set(
      instance,
      this.scheduler.schedule(delayMs, () => this.checkExpiry(instance)),
    );
  }

  private checkExpiry(instance: ConsumerInstance): void {
    this.expiryTasks.delete(instance);
    if (instance.closed) return;
    const idleMs = this.time.hiResMilliseconds() - instance.lastActiveMs;
    if (instance.inFlight === 0 && idleMs >= this.instanceTimeoutMs) {
      this.remove(instance);
      return;
    }
    const remaining = instance.inFlight > 0 ? this.instanceTimeoutMs : this.instanceTimeoutMs - idleMs;
    this.armExpiry(instance, Math.max(1, remaining));
  }

  private remove(instance: ConsumerInstance): void {
    instance.closed = true;
    this.expiryTasks.get(instance)?.cancel();
    this.expiryTasks.delete(instance);
    const members = this.groups.get(instance.group);
    members?.delete(instance.name);
    if (members?.size === 0) this.groups.delete(instance.group);
    this.onRemoved(instance);
  }
}
