import { Broker, ControllerEpochZNode, KAFKA_ERRORS, KafkaPaths, Registry, SystemTimer, type StorageLogger } from '@weir/broker-core';
import { openRegistryStore } from './open-store.js';
import type { RegistryStoreLogger } from './pg-connection.js';
import { TcpCutProxy } from './testing/tcp-cut-proxy.js';
import { createPgTestSchema, eventually, tempDir, TEST_DATABASE_URL, type PgTestSchema } from './testing/test-databases.js';

const describePg = TEST_DATABASE_URL === undefined ? describe.skip : describe;

const SESSION_TIMEOUT_MS = 1500;
const quiet: RegistryStoreLogger = { warn: () => undefined, info: () => undefined };

/** Broker log lines, kept to assert on. */
function recordingLogger(): StorageLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`INFO ${m}`), warn: (m) => lines.push(`WARN ${m}`), error: (m) => lines.push(`ERROR ${m}`) };
}

/**
 * Two brokers in one process on one PostgreSQL registry (a fresh schema per test); a
 * broker reaches the database directly or through a proxy that cuts it off (packets
 * vanish, nothing is closed). Broker 2 starts first, so it is the controller.
 */
describePg('a broker cut off from the registry database', () => {
  let db: PgTestSchema;
  let proxy: TcpCutProxy;
  let timer: SystemTimer;
  let dirs: { path: string; remove(): void }[];
  const registries: Registry[] = [];
  const brokers: Broker[] = [];

  beforeEach(async () => {
    db = await createPgTestSchema('w12_fencing');
    proxy = await TcpCutProxy.toServerOf(db.url);
    timer = new SystemTimer();
    dirs = [tempDir('weir-fence-1'), tempDir('weir-fence-2')];
  });
  afterEach(async () => {
    proxy.heal();
    for (const b of brokers.splice(0)) await b.close();
    for (const r of registries.splice(0)) await r.close();
    await proxy.close();
    timer.close();
    await db.drop();
    for (const d of dirs) d.remove();
  });

  async function registry(url: string): Promise<Registry> {
    const store = await openRegistryStore({
      databaseUrl: url, schema: db.schema, logger: quiet, queryTimeoutMs: 500, connectTimeoutMs: 500, notifierPingIntervalMs: 200,
    });
    const r = await Registry.open({ store, scheduler: timer, sweepIntervalMs: 100, onError: () => undefined });
    registries.push(r);
    return r;
  }

  async function broker(brokerId: number, reg: Registry, logger: StorageLogger, sessionTimeoutMs = SESSION_TIMEOUT_MS): Promise<Broker> {
    const b = await Broker.start({
      brokerId, dataDir: dirs[brokerId - 1]!.path, registry: reg, timer, logger, advertisedHost: '127.0.0.1', advertisedPort: 19_000 + brokerId,
      defaults: { sessionTimeoutMs },
    });
    brokers.push(b);
    return b;
  }

  /** Creates a topic of two single-replica partitions; returns, per broker, the partition it leads. */
  async function topicLedByEach(b1: Broker, b2: Broker): Promise<Map<Broker, number>> {
    await b1.createTopic({ name: 'fenced', partitions: 2, replicationFactor: 1 });
    await eventually(() => [b1, b2].every((b) => b.listTopics().some((t) => t.name === 'fenced')), 10_000, 'both brokers to see the topic');
    return new Map([b1, b2].map((b) => [b, [0, 1].find((p) => b.leads('fenced', p))!]));
  }

  const produceTo = async (b: Broker, partition: number): Promise<number> =>
    (await b.produce('fenced', [{ partition, key: null, value: Buffer.from('x') }], { acks: 1 }))[0]!.errorCode;

  it('gives up controller and leadership after a session timeout, writes nothing as controller, and follows the registry when back', async () => {
    const log2 = recordingLogger();
    const reg2 = await registry(proxy.rewriteUrl(db.url));
    const b2 = await broker(2, reg2, log2);
    const reg1 = await registry(db.url);
    const b1 = await broker(1, reg1, recordingLogger());
    expect(b2.isController).toBe(true);

    const partition = (await topicLedByEach(b1, b2)).get(b2);
    expect(partition).toBeDefined();
    const produce = (): Promise<number> => produceTo(b2, partition!);
    expect(await produce()).toBe(0);
    const epochBefore = ControllerEpochZNode.decode(reg1.getData(KafkaPaths.controllerEpoch).data);

    const cutAt = Date.now();
    proxy.blackhole();
    await eventually(() => !b2.isController, 3 * SESSION_TIMEOUT_MS, 'broker 2 to give up the controller role');
    const fencedAfterMs = Date.now() - cutAt;
    expect(await produce()).toBe(KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code);
    expect(log2.lines.filter((l) => l.includes('not acting as controller or leader'))).toHaveLength(1);
    // Meanwhile broker 1 expires broker 2's session and takes over.
    await eventually(() => b1.isController, 10_000, 'broker 1 to become the controller');
    const epochZnode = reg1.exists(KafkaPaths.controllerEpoch)!;
    expect(ControllerEpochZNode.decode(reg1.getData(KafkaPaths.controllerEpoch).data)).toBe(epochBefore + 1);

    const healedAt = Date.now();
    proxy.heal();
    // Broker 2 learns its session is gone, registers again and is given its partition back.
    await eventually(async () => b2.leads('fenced', partition!) && (await produce()) === 0, 20_000, 'broker 2 to lead and take writes again');
    const resumedAfterMs = Date.now() - healedAt;
    console.info(`fenced ${fencedAfterMs} ms after the cut (session timeout ${SESSION_TIMEOUT_MS} ms); leading again ${resumedAfterMs} ms after the heal`);
    expect(fencedAfterMs).toBeLessThan(SESSION_TIMEOUT_MS + 1000);

    await reg1.sync();
    expect(b1.isController).toBe(true);
    expect(b2.isController).toBe(false);
    // The old controller wrote nothing: the epoch it was elected with is history.
    expect(reg1.exists(KafkaPaths.controllerEpoch)!.mzxid).toBe(epochZnode.mzxid);
    expect(log2.lines.some((l) => l.includes('registered again with session'))).toBe(true);
  });

  it('rides out a database outage longer than the session timeout: serves until fenced, then nobody is expired and the controller resumes', async () => {
    const sessionTimeoutMs = 3000;
    const reg2 = await registry(proxy.rewriteUrl(db.url));
    const log2 = recordingLogger();
    const b2 = await broker(2, reg2, log2, sessionTimeoutMs);
    const reg1 = await registry(proxy.rewriteUrl(db.url));
    const b1 = await broker(1, reg1, recordingLogger(), sessionTimeoutMs);
    const led = await topicLedByEach(b1, b2);
    const owners = [1, 2].map((id) => reg1.exists(KafkaPaths.brokerId(id))!.ephemeralOwner);
    const epochZxid = reg1.exists(KafkaPaths.controllerEpoch)!.mzxid;

    const cutAt = Date.now();
    proxy.blackhole();
    // Leaders keep taking writes with what they know.
    for (const [b, p] of led) expect(await produceTo(b, p)).toBe(0);
    // Every lease in the database runs out, and both brokers fence themselves.
    await eventually(() => !b2.isController, 2 * sessionTimeoutMs, 'broker 2 to fence itself');
    await eventually(() => Date.now() - cutAt > sessionTimeoutMs * 1.2, 10_000, 'more than a session timeout');
    for (const [b, p] of led) expect(await produceTo(b, p)).toBe(KAFKA_ERRORS.NOT_LEADER_OR_FOLLOWER.code);
    proxy.heal();

    await eventually(async () => {
      for (const [b, p] of led) if ((await produceTo(b, p)) !== 0) return false;
      return b2.isController;
    }, 20_000, 'both brokers to lead and broker 2 to control again');
    // Several renewals later, nobody was expired meanwhile.
    const healedAt = Date.now();
    await eventually(() => Date.now() - healedAt > sessionTimeoutMs * 1.5, 10_000, 'a session timeout and a half');
    await reg1.sync();
    expect([1, 2].map((id) => reg1.exists(KafkaPaths.brokerId(id))?.ephemeralOwner)).toEqual(owners);
    expect(reg1.exists(KafkaPaths.controllerEpoch)!.mzxid).toBe(epochZxid);
    expect(b2.isController).toBe(true);
    expect(b1.isController).toBe(false);
    expect(log2.lines.some((l) => l.includes('is the controller again'))).toBe(true);
  });
});
