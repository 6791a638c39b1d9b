// Registry benchmark: in-memory getData throughput, setData round trips through PGlite,
// PostgreSQL and ZooKeeper, and one multi of 1,000 creates (a 1,000-partition topic). The
// ZooKeeper store's setData is set against a bare setData of the same server in the same
// run (what the store adds: the counter, the change log and the multi).
// Run: npm run bench -- registry. PostgreSQL figures need DATABASE_URL or TEST_DATABASE_URL;
// ZooKeeper figures start Debian's zookeeper package (skipped, saying why, without it).
// Prints figures against their targets; writes bench/results/registry.json.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { InMemoryRegistryStore, Ops, Registry } from '@weir/broker-core';
import { openRegistry } from '@weir/registry-prisma';
import { openZooKeeperRegistry } from '@weir/registry-zookeeper';
import zookeeper from 'node-zookeeper-client';
import { ZooKeeperServer } from '../libs/registry-zookeeper/src/testing/zookeeper-server.js';

const GETDATA_TARGET_OPS = 1_000_000;
const MULTI_TARGET_MS = 1000;
const SETDATA_WRITES = 500;
const PARTITIONS = 1000;
const now = () => performance.now();
const stateBytes = (i: number) => new TextEncoder().encode(`{"controller_epoch":1,"leader":${i % 3},"version":1,"leader_epoch":0,"isr":[0,1,2]}`);

async function getDataOpsPerSec(): Promise<number> {
  const registry = await Registry.open({ store: new InMemoryRegistryStore() });
  await registry.multi([Ops.create('/t'), ...Array.from({ length: PARTITIONS }, (_, i) => Ops.create(`/t/${i}`, stateBytes(i)))]);
  const paths = Array.from({ length: PARTITIONS }, (_, i) => `/t/${i}`);
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += registry.getData(paths[i % PARTITIONS]!).stat.version; // warm-up
  const iterations = 5_000_000;
  const start = now();
  for (let i = 0; i < iterations; i++) sink += registry.getData(paths[i % PARTITIONS]!).data.length;
  const opsPerSec = iterations / ((now() - start) / 1000);
  await registry.close();
  if (sink < 0) console.log(sink);
  return opsPerSec;
}

/** setData ops/s (sequential, each acknowledged) and one multi of 1,000 creates, cold and warm. */
async function writes(registry: Registry): Promise<{ setDataOpsPerSec: number; multiColdMs: number; multiWarmMs: number }> {
  const topicOps = (name: string) => [Ops.create(`/${name}`), ...Array.from({ length: PARTITIONS }, (_, i) => Ops.create(`/${name}/${i}`, stateBytes(i)))];
  let start = now();
  await registry.multi(topicOps('topic-cold'));
  const multiColdMs = now() - start;
  start = now();
  await registry.multi(topicOps('topic-warm'));
  const multiWarmMs = now() - start;
  await registry.create('/counter', new TextEncoder().encode('0'));
  for (let i = 0; i < 20; i++) await registry.setData('/counter', stateBytes(i)); // warm-up
  start = now();
  for (let i = 0; i < SETDATA_WRITES; i++) await registry.setData('/counter', stateBytes(i), registry.exists('/counter')!.version);
  return { setDataOpsPerSec: SETDATA_WRITES / ((now() - start) / 1000), multiColdMs, multiWarmMs };
}

async function pglite(): Promise<Awaited<ReturnType<typeof writes>> & { firstOpenMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-registry-'));
  try {
    const start = now();
    const registry = await openRegistry({ dataDir: dir });
    const firstOpenMs = now() - start;
    try {
      return { firstOpenMs, ...(await writes(registry)) };
    } finally {
      await registry.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(url: string): Promise<Awaited<ReturnType<typeof writes>>> {
  const schema = `bench_registry_${randomBytes(4).toString('hex')}`;
  const registry = await openRegistry({ databaseUrl: url, schema });
  try {
    return await writes(registry);
  } finally {
    await registry.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA "${schema}" CASCADE`);
    await client.end();
  }
}

/** The store on a ZooKeeper server started for the run, and a bare setData loop on the same server. */
async function onZooKeeper(): Promise<(Awaited<ReturnType<typeof writes>> & { bareSetDataOpsPerSec: number; loadMs: number }) | string> {
  if (!ZooKeeperServer.available()) return ZooKeeperServer.unavailableReason();
  const server = await ZooKeeperServer.start();
  try {
    const url = `zookeeper://${server.connectString}/bench`;
    const registry = await openZooKeeperRegistry({ url });
    let result: Awaited<ReturnType<typeof writes>>;
    try {
      result = await writes(registry);
    } finally {
      await registry.close();
    }
    let start = now();
    const again = await openZooKeeperRegistry({ url });
    const loadMs = now() - start;
    await again.close();
    const client = zookeeper.createClient(server.connectString);
    await new Promise<void>((resolve) => (client.once('connected', () => resolve()), client.connect()));
    const call = (run: (done: (err: unknown) => void) => void) => new Promise<void>((resolve, reject) => run((err) => (err ? reject(err) : resolve())));
    await call((done) => client.create('/bare', Buffer.from('0'), done));
    for (let i = 0; i < 20; i++) await call((done) => client.setData('/bare', Buffer.from(stateBytes(i)), -1, done));
    start = now();
    for (let i = 0; i < SETDATA_WRITES; i++) await call((done) => client.setData('/bare', Buffer.from(stateBytes(i)), -1, done));
    const bareSetDataOpsPerSec = SETDATA_WRITES / ((now() - start) / 1000);
    client.close();
    return { ...result, bareSetDataOpsPerSec, loadMs };
  } finally {
    await server.stop();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const getDataOps = await getDataOpsPerSec();
console.log(`getData (in-memory, 1,000 partition-state nodes): ${fmt(getDataOps)} ops/s  (target >= ${fmt(GETDATA_TARGET_OPS)}: ${(getDataOps / GETDATA_TARGET_OPS).toFixed(2)}x)`);
const lite = await pglite();
console.log(`PGlite: first open of a new data dir ${fmt(lite.firstOpenMs)} ms`);
console.log(`PGlite: setData ${fmt(lite.setDataOpsPerSec)} ops/s (sequential, each committed before the next)`);
console.log(`PGlite: multi of ${fmt(PARTITIONS)} creates ${fmt(lite.multiColdMs)} ms cold, ${fmt(lite.multiWarmMs)} ms warm  (target < ${MULTI_TARGET_MS} ms)`);
const url = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
let pgResult: Awaited<ReturnType<typeof writes>> | undefined;
if (url) {
  pgResult = await postgres(url);
  console.log(`PostgreSQL: setData ${fmt(pgResult.setDataOpsPerSec)} ops/s; multi of ${fmt(PARTITIONS)} creates ${fmt(pgResult.multiColdMs)} ms cold, ${fmt(pgResult.multiWarmMs)} ms warm`);
  console.log(`PGlite / PostgreSQL setData ratio: ${(lite.setDataOpsPerSec / pgResult.setDataOpsPerSec).toFixed(2)}`);
} else {
  console.log('PostgreSQL: skipped (set DATABASE_URL or TEST_DATABASE_URL)');
}

const zk = await onZooKeeper();
if (typeof zk === 'string') {
  console.log(`ZooKeeper: skipped (${zk})`);
} else {
  console.log(`ZooKeeper: setData ${fmt(zk.setDataOpsPerSec)} ops/s through the store vs ${fmt(zk.bareSetDataOpsPerSec)} ops/s bare on the same server: ${(zk.setDataOpsPerSec / zk.bareSetDataOpsPerSec).toFixed(2)}x`);
  console.log(`ZooKeeper: multi of ${fmt(PARTITIONS)} creates ${fmt(zk.multiColdMs)} ms cold, ${fmt(zk.multiWarmMs)} ms warm  (target < ${MULTI_TARGET_MS} ms); open and load of the ~2,000-node tree ${fmt(zk.loadMs)} ms`);
  if (pgResult !== undefined) console.log(`ZooKeeper / PostgreSQL setData ratio: ${(zk.setDataOpsPerSec / pgResult.setDataOpsPerSec).toFixed(2)}`);
}

const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL('registry.json', resultsDir), `${JSON.stringify({
  date: new Date().toISOString(),
  getDataOpsPerSec: Math.round(getDataOps),
  pglite: { firstOpenMs: Math.round(lite.firstOpenMs), setDataOpsPerSec: Math.round(lite.setDataOpsPerSec), multi1000CreatesColdMs: Math.round(lite.multiColdMs), multi1000CreatesWarmMs: Math.round(lite.multiWarmMs) },
  postgres: pgResult && { setDataOpsPerSec: Math.round(pgResult.setDataOpsPerSec), multi1000CreatesColdMs: Math.round(pgResult.multiColdMs), multi1000CreatesWarmMs: Math.round(pgResult.multiWarmMs) },
  zookeeper: typeof zk === 'string' ? { skipped: zk } : {
    setDataOpsPerSec: Math.round(zk.setDataOpsPerSec), bareSetDataOpsPerSec: Math.round(zk.bareSetDataOpsPerSec),
    multi1000CreatesColdMs: Math.round(zk.multiColdMs), multi1000CreatesWarmMs: Math.round(zk.multiWarmMs), openAndLoadMs: Math.round(zk.loadMs),
  },
  targets: { getDataOpsPerSec: GETDATA_TARGET_OPS, multi1000CreatesMs: MULTI_TARGET_MS },
}, null, 2)}\n`);
