// Registry benchmark: in-memory getData throughput, setData round trips through PGlite and
// PostgreSQL, and one multi of 1,000 creates (a 1,000-partition topic).
// Run: npm run bench -- registry. PostgreSQL figures need DATABASE_URL or TEST_DATABASE_URL.
// Prints figures against their targets; writes bench/results/registry.json.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { InMemoryRegistryStore, Ops, Registry } from '@weir/broker-core';
import { openRegistry } from '@weir/registry-prisma';

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

const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL('registry.json', resultsDir), `${JSON.stringify({
  date: new Date().toISOString(),
  getDataOpsPerSec: Math.round(getDataOps),
  pglite: { firstOpenMs: Math.round(lite.firstOpenMs), setDataOpsPerSec: Math.round(lite.setDataOpsPerSec), multi1000CreatesColdMs: Math.round(lite.multiColdMs), multi1000CreatesWarmMs: Math.round(lite.multiWarmMs) },
  postgres: pgResult && { setDataOpsPerSec: Math.round(pgResult.setDataOpsPerSec), multi1000CreatesColdMs: Math.round(pgResult.multiColdMs), multi1000CreatesWarmMs: Math.round(pgResult.multiWarmMs) },
  targets: { getDataOpsPerSec: GETDATA_TARGET_OPS, multi1000CreatesMs: MULTI_TARGET_MS },
}, null, 2)}\n`);
