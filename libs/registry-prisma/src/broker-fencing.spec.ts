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
 * Two brokers in one process on one PostgreSQL registry; broker 2 reaches the database
 * through a proxy that cuts it off (packets vanish, nothing is closed). Broker 2 starts
 * first, so it is the controller.
 */
describePg('a broker cut off from the registry database', () => {
  let db: PgTestSchema;
  let proxy: TcpCutProxy;
  let timer: SystemTimer;
  const dirs = [tempDir('weir-fence-1'), tempDir('weir-fence-2')];
  const registries: Registry[] = [];
  const brokers: Broker[] = [];

  beforeAll(async () => {
    db = await createPgTestSchema('w12_fencing');
    const upstream = new URL(db.url);
    proxy = await TcpCutProxy.start(upstream.hostname, Number(upstream.port || 5432));
    timer = new SystemTimer();
  });
  afterAll(async () => {
    proxy.heal();
    for (const b of brokers) await b.close();
    for (const r of registries) await r.close();
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

  async function broker(brokerId: number, reg: Registry, logger: StorageLogger): Promise<Broker> {
    const b = await Broker.start({
      brokerId, dataDir: dirs[brokerId - 1]!.path, registry: reg, timer, logger, advertisedHost: '127.0.0.1', advertisedPort: 19_000 + brokerId,
      defaults: { sessionTimeoutMs: SESSION_TIMEOUT_MS },
    });
    brokers.push(b);
    return b;
  }

  it('gives up controller and leadership after a session timeout, writes nothing as controller, and follows the registry when back', async () => {
    const log2 = recordingLogger();
    const reg2 = await registry(proxy.rewriteUrl(db.url));
    const b2 = await broker(2, reg2, log2);
    const reg1 = await registry(db.url);
    const b1 = await broker(1, reg1, recordingLogger());
    expect(b2.isController).toBe(true);

    await b1.createTopic({ name: 'fenced', partitions: 2, replicationFactor: 1 });
    await eventually(() => b2.listTopics().some((t) => t.name === 'fenced'), 10_000, 'broker 2 to see the topic');
    const partition = [0, 1].find((p) => b2.leads('fenced', p));
    expect(partition).toBeDefined();
    const produce = async (): Promise<number> =>
      (await b2.produce('fenced', [{ partition: partition!, key: null, value: Buffer.from('x') }], { acks: 1 }))[0]!.errorCode;
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
});
