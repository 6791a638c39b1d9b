import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryRegistryStore } from '../../registry/memory-store.js';
import { Registry } from '../../registry/registry.js';
import { MockTime } from '../../time.js';
import { MockTimer } from '../../timer/mock-timer.js';
import { Broker } from '../broker.js';
import type { BrokerDefaults } from '../broker-options.js';

/**
 * A broker on a temp data dir, an in-memory registry store and a mock clock, for unit
 * tests. `restart()` closes cleanly and starts again on the same dir and store;
 * `crashAndRestart()` abandons the running broker without closing anything (its logs
 * stay open, its registry session stays alive until its lease runs out on the mock
 * clock), as a killed process would leave things.
 */
export class BrokerHarness {
  readonly time = new MockTime();
  readonly store = new InMemoryRegistryStore();
  private registries: Registry[] = [];
  private timers: MockTimer[] = [];
  /** The timer of the current incarnation: a crashed one's timer stops with it. */
  timer!: MockTimer;
  broker!: Broker;
  registry!: Registry;

  private constructor(readonly dataDir: string, private readonly defaults: Partial<BrokerDefaults>) {}

  static async start(defaults: Partial<BrokerDefaults> = {}): Promise<BrokerHarness> {
    const harness = new BrokerHarness(mkdtempSync(join(tmpdir(), 'weir-broker-')), defaults);
    await harness.startBroker();
    return harness;
  }

  private async startBroker(): Promise<void> {
    this.timer = new MockTimer(this.time);
    this.timers.push(this.timer);
    this.registry = await Registry.open({ store: this.store, time: this.time, scheduler: this.timer, onError: () => undefined });
    this.registries.push(this.registry);
    const starting = Broker.start({
      brokerId: 1, dataDir: this.dataDir, registry: this.registry, timer: this.timer, time: this.time,
      advertisedHost: 'localhost', advertisedPort: 9092, defaults: this.defaults,
    });
    this.broker = await driveUntilSettled(this.time, starting);
  }

  async restart(): Promise<void> {
    await this.broker.close();
    await this.registry.close();
    await this.startBroker();
  }

  /** The old broker and registry are left as they are, as after SIGKILL; only their timer stops. */
  async crashAndRestart(): Promise<void> {
    this.timer.close();
    await this.startBroker();
  }

  async close(): Promise<void> {
    await this.broker.close();
    for (const registry of this.registries) await registry.close();
    for (const timer of this.timers) timer.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Awaits `promise` while moving the mock clock on whenever it is still pending after the
 * microtask queue drained, so work waiting on timers (a stale session's expiry) proceeds.
 */
export async function driveUntilSettled<T>(time: MockTime, promise: Promise<T>, stepMs = 1000, maxSteps = 1000): Promise<T> {
  let settled = false;
  const tracked = promise.finally(() => void (settled = true));
  for (let i = 0; i < maxSteps && !settled; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!settled) time.advance(stepMs);
  }
  return tracked;
}
