import { Registry, SystemTimer, isRegistryError, type WatchedEvent } from '@weir/broker-core';
import { openRegistryStore } from './open-store.js';
import type { RegistryStoreLogger } from './pg-connection.js';
import { TcpCutProxy } from './testing/tcp-cut-proxy.js';
import { createPgTestSchema, eventually, TEST_DATABASE_URL, type PgTestSchema } from './testing/test-databases.js';

const describePg = TEST_DATABASE_URL === undefined ? describe.skip : describe;

/** A logger that keeps what it was told. */
function recordingLogger(): RegistryStoreLogger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (m) => warnings.push(m), info: (m) => infos.push(m) };
}

/** Retries `call` while it fails with CONNECTIONLOSS (pooled connections of a cut path are replaced on demand). */
async function untilReachable(call: () => Promise<unknown>, what: string): Promise<void> {
  await eventually(() => call().then(() => true, (err: unknown) => {
    if (!isRegistryError(err, 'CONNECTIONLOSS')) throw err;
    return false;
  }), 15_000, what);
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const QUERY_TIMEOUT_MS = 1000;
/** Long enough that only a notification (not the periodic catch-up) can explain a prompt watch. */
const SLOW_SWEEP_MS = 60_000;

describePg('registry on PostgreSQL through a cut network path', () => {
  let db: PgTestSchema;
  let proxy: TcpCutProxy;
  let timer: SystemTimer;
  const open: Registry[] = [];

  beforeAll(async () => {
    db = await createPgTestSchema('w12_outage');
    proxy = await TcpCutProxy.toServerOf(db.url);
    timer = new SystemTimer();
  });
  // A failed test leaves the path cut; the next one starts healed.
  afterEach(() => proxy.heal());
  afterAll(async () => {
    for (const r of open) await r.close();
    await proxy.close();
    timer.close();
    await db.drop();
  });

  async function openThroughProxy(logger: RegistryStoreLogger, sweepIntervalMs = SLOW_SWEEP_MS, reconnectGraceMs?: number): Promise<Registry> {
    const store = await openRegistryStore({
      databaseUrl: proxy.rewriteUrl(db.url), schema: db.schema, logger,
      queryTimeoutMs: QUERY_TIMEOUT_MS, connectTimeoutMs: QUERY_TIMEOUT_MS, notifierPingIntervalMs: 200,
    });
    const registry = await Registry.open({ store, scheduler: timer, sweepIntervalMs, reconnectGraceMs, onError: () => undefined });
    open.push(registry);
    return registry;
  }

  async function openDirect(sweepIntervalMs = SLOW_SWEEP_MS): Promise<Registry> {
    const store = await openRegistryStore({ databaseUrl: db.url, schema: db.schema, logger: recordingLogger() });
    const registry = await Registry.open({ store, scheduler: timer, sweepIntervalMs });
    open.push(registry);
    return registry;
  }

  it.each(['blackhole', 'reset'] as const)('re-syncs watches after a %s of the listening connection, before any sweep', async (cut) => {
    const logger = recordingLogger();
    const listener = await openThroughProxy(logger);
    const peer = await openDirect();
    const path = `/resync-${cut}`;
    const events: WatchedEvent[] = [];
    expect(listener.exists(path, (e) => events.push(e))).toBeNull();

    proxy.blackhole();
    if (cut === 'reset') proxy.reset();
    await eventually(() => logger.warnings.length > 0, 10_000, 'the notifier to notice the cut');
    await peer.create(path, bytes('written while cut off'));
    const healedAt = Date.now();
    proxy.heal();
    await eventually(() => events.length > 0, 10_000, 'the watch to fire after the heal');
    const resyncMs = Date.now() - healedAt;
    console.info(`notifier re-sync after a ${cut}: watch fired ${resyncMs} ms after the heal`);

    expect(resyncMs).toBeLessThan(SLOW_SWEEP_MS / 4);
    expect(events).toEqual([{ type: 'NodeCreated', path }]);
    expect(listener.getData(path).data).toEqual(bytes('written while cut off'));
    await eventually(() => logger.infos.length > 0, 5000, 'the recovery line');
    expect(logger.warnings).toHaveLength(1);
    expect(logger.infos).toHaveLength(1);
  });

  it('fails a write on a dead path with CONNECTIONLOSS within seconds, and writes again after the heal', async () => {
    const registry = await openThroughProxy(recordingLogger());
    await registry.create('/bounded', bytes('0'));
    proxy.blackhole();
    const startedAt = Date.now();
    const failure = await registry.setData('/bounded', bytes('1')).then(() => undefined, (err: unknown) => err);
    const failedAfterMs = Date.now() - startedAt;
    // The queue moved on: the next write is attempted (and fails the same way) rather than waiting behind the first.
    const second = await registry.setData('/bounded', bytes('2')).then(() => undefined, (err: unknown) => err);
    proxy.heal();
    console.info(`write on a blackholed path failed after ${failedAfterMs} ms`);
    expect(isRegistryError(failure, 'CONNECTIONLOSS')).toBe(true);
    expect(isRegistryError(second, 'CONNECTIONLOSS')).toBe(true);
    expect(failedAfterMs).toBeLessThan(4 * QUERY_TIMEOUT_MS);

    await untilReachable(() => registry.setData('/bounded', bytes('3')), 'a write to succeed after the heal');
    expect(registry.getData('/bounded').data).toEqual(bytes('3'));
  });

  it('reports a write whose commit answer was lost as CONNECTIONLOSS, and reads it back before the next write', async () => {
    const registry = await openThroughProxy(recordingLogger());
    const peer = await openDirect();
    await registry.create('/unknown', bytes('before'));
    proxy.blackholeAfterClientSends('COMMIT', 'pg_notify');
    const outcome = await registry.setData('/unknown', bytes('committed, answer lost')).then(() => 'resolved', (err: unknown) => err);
    expect(isRegistryError(outcome, 'CONNECTIONLOSS')).toBe(true);
    // Memory was left as it was; the database has the write.
    expect(registry.getData('/unknown').data).toEqual(bytes('before'));
    await peer.sync();
    expect(peer.getData('/unknown').data).toEqual(bytes('committed, answer lost'));
    proxy.heal();

    const events: WatchedEvent[] = [];
    registry.getData('/unknown', (e) => events.push(e));
    await untilReachable(() => registry.create('/unknown-next', bytes('')), 'the next write to go through');
    expect(registry.getData('/unknown').data).toEqual(bytes('committed, answer lost'));
    expect(registry.getData('/unknown').stat.version).toBe(1);
    expect(events).toEqual([{ type: 'NodeDataChanged', path: '/unknown' }]);
  });

  it('closes within seconds while cut off', async () => {
    const registry = await openThroughProxy(recordingLogger(), 100);
    await registry.create('/closing', bytes(''));
    proxy.blackhole();
    const pending = Promise.all([1, 2, 3, 4, 5].map((n) => registry.setData('/closing', bytes(String(n))).catch(() => undefined)));
    const startedAt = Date.now();
    open.splice(open.indexOf(registry), 1);
    await registry.close();
    await pending;
    const closedAfterMs = Date.now() - startedAt;
    proxy.heal();
    console.info(`registry closed ${closedAfterMs} ms into an outage`);
    expect(closedAfterMs).toBeLessThan(4 * QUERY_TIMEOUT_MS);
  });

  it('expires no session because of an outage longer than the leases: owners renew within the grace', async () => {
    const sessionTimeoutMs = 1500;
    // Both processes reach the database through the cut path: the whole database is away.
    const sweeper = await openThroughProxy(recordingLogger(), 100);
    // The owner sweeps too (as every broker process does): that is how it learns of the outage.
    const owner = await openThroughProxy(recordingLogger(), 200);
    const survivor = await owner.createSession(sessionTimeoutMs);
    const dead = await owner.createSession(sessionTimeoutMs);
    await owner.create('/alive', bytes(''), { mode: 'EPHEMERAL', sessionId: survivor });
    await owner.create('/abandoned', bytes(''), { mode: 'EPHEMERAL', sessionId: dead });
    await sweeper.createSession(sessionTimeoutMs); // the sweeper's own lease sets its grace
    const cutAt = Date.now();

    proxy.blackhole();
    // Both leases run out while nobody can reach the database.
    await eventually(() => Date.now() - cutAt > sessionTimeoutMs + 300, 10_000, 'the leases to run out');
    const healedAt = Date.now();
    proxy.heal();
    // The owner renews one lease some time after the heal, later than the sweeper's next sweeps.
    await eventually(() => Date.now() - healedAt > 500, 5000, 'the owner to be slow');
    await untilReachable(() => owner.heartbeat(survivor), 'the renewal to reach the database');
    expect(Date.now() - healedAt).toBeLessThan(sessionTimeoutMs);
    await sweeper.sync();
    expect(sweeper.exists('/alive')).not.toBeNull();
    // From now on the owner heartbeats as a broker does (a third of the timeout).
    const beats = setInterval(() => void owner.heartbeat(survivor).catch(() => undefined), sessionTimeoutMs / 3);
    try {
      // The abandoned lease goes once the sweeper has been in contact for a session timeout.
      await eventually(() => sweeper.exists('/abandoned') === null, 15_000, 'the abandoned session to expire');
      expect(Date.now() - healedAt).toBeGreaterThanOrEqual(sessionTimeoutMs);
      await eventually(() => Date.now() - healedAt > 2 * sessionTimeoutMs, 10_000, 'two more session timeouts');
      await sweeper.sync();
      expect(sweeper.exists('/alive')).not.toBeNull();
    } finally {
      clearInterval(beats);
    }
  });
});
