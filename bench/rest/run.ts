// REST produce bench (W4): single-record requests/s against a bare endpoint of the same
// Nest + Fastify app answering a constant, records/s through records:batch and through a
// chunked streaming produce. The gateway runs in this process; autocannon and the
// streaming client run in a child process (load-child.ts). Prints figures against their
// targets; writes bench/results/rest.json.
import { cpus } from 'node:os';
import { writeFileSync, mkdirSync } from 'node:fs';
import { startBenchGateway } from './bench-gateway.js';
import { type LoadJob, type LoadResult, runLoad } from './load.js';
import { batchBody, recordJson } from './payloads.js';

const TOPIC = 'bench';
const PARTITIONS = 6;
const CONNECTIONS = 10;
const PIPELINING = 1;
const DURATION_SEC = 8;
const WARMUP_SEC = 2;
const BATCH_RECORDS = 1000;
const STREAM_RECORDS_PER_WRITE = 200;
const SINGLE_VS_BARE_TARGET = 0.5;
const BATCH_TARGET_RECORDS_PER_SEC = 100_000;

async function post(url: string, body: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, json: await res.json() };
}

function expectStatus(what: string, got: { status: number; json: unknown }, status: number): void {
  if (got.status !== status) throw new Error(`${what}: expected ${status}, got ${got.status} ${JSON.stringify(got.json)}`);
}

async function main(): Promise<void> {
  const gateway = await startBenchGateway();
  try {
    const base = gateway.baseUrl;
    const clusterId = gateway.broker.clusterId;
    const topicsUrl = `${base}/v3/clusters/${clusterId}/topics`;
    expectStatus('create topic', await post(topicsUrl, JSON.stringify({ topic_name: TOPIC, partitions_count: PARTITIONS })), 201);
    const urls = {
      bare: `${base}/bench/clusters/${clusterId}/topics/${TOPIC}/constant`,
      single: `${topicsUrl}/${TOPIC}/records`,
      batch: `${topicsUrl}/${TOPIC}/records:batch`,
    };

    // Each endpoint answers as the bench assumes before it is measured.
    expectStatus('bare', await post(urls.bare, recordJson(0)), 200);
    expectStatus('single record', await post(urls.single, recordJson(0)), 200);
    const batch = await post(urls.batch, batchBody(BATCH_RECORDS));
    expectStatus('records:batch', batch, 207);
    const { successes, failures } = batch.json as { successes: unknown[]; failures: unknown[] };
    if (successes.length !== BATCH_RECORDS || failures.length !== 0) throw new Error(`records:batch: ${successes.length} successes, ${failures.length} failures`);
    let acknowledged = 1 + BATCH_RECORDS;

    const jobs = (durationSec: number): Record<'bare' | 'single' | 'batch' | 'stream', LoadJob> => ({
      bare: { kind: 'bare', url: urls.bare, connections: CONNECTIONS, pipelining: PIPELINING, durationSec },
      single: { kind: 'single', url: urls.single, connections: CONNECTIONS, pipelining: PIPELINING, durationSec },
      batch: { kind: 'batch', url: urls.batch, connections: CONNECTIONS, pipelining: PIPELINING, durationSec, recordsPerRequest: BATCH_RECORDS },
      stream: { kind: 'stream', url: urls.single, connections: CONNECTIONS, durationSec, recordsPerWrite: STREAM_RECORDS_PER_WRITE },
    });
    const measure = async (job: LoadJob): Promise<LoadResult> => {
      const result = await runLoad(job);
      if (result.failed > 0) throw new Error(`${job.kind}: ${result.failed} failed requests or records`);
      if (job.kind !== 'bare') acknowledged += job.kind === 'batch' ? result.ok * job.recordsPerRequest : result.ok;
      return result;
    };

    // Warm-up: JIT, the logs' first segments, autocannon's own start.
    const warm = jobs(WARMUP_SEC);
    for (const job of Object.values(warm)) await measure(job);

    // The bare endpoint is measured before and after the single-record run, so a drift of
    // the machine's load during the run shows as a spread instead of biasing the ratio.
    const timed = jobs(DURATION_SEC);
    const bareBefore = await measure(timed.bare);
    const single = await measure(timed.single);
    const bareAfter = await measure(timed.bare);
    const batched = await measure(timed.batch);
    const streamed = await measure(timed.stream);

    const appended = gateway.broker.topicCounters().get(TOPIC)?.recordsIn ?? 0;
    // autocannon stops counting at the deadline while the last request of each connection is
    // still in flight, so the log may hold a few more records than were acknowledged, never fewer.
    if (appended < acknowledged) throw new Error(`${acknowledged} records acknowledged but only ${appended} appended`);

    const bareRps = (bareBefore.requestsPerSec + bareAfter.requestsPerSec) / 2;
    const ratio = single.requestsPerSec / bareRps;
    const row = (name: string, r: LoadResult, figure: string) =>
      console.log(`${name.padEnd(34)} ${figure.padStart(22)}   p50 ${fmtMs(r.p50Ms)}  p99 ${fmtMs(r.p99Ms)}`);
    console.log(`REST produce, ${CONNECTIONS} connections, pipelining ${PIPELINING}, ${DURATION_SEC} s each; load from a child process; ${cpus().length} cores`);
    row('bare constant endpoint (before)', bareBefore, `${fmt(bareBefore.requestsPerSec)} req/s`);
    row('single record POST /records', single, `${fmt(single.requestsPerSec)} req/s`);
    row('bare constant endpoint (after)', bareAfter, `${fmt(bareAfter.requestsPerSec)} req/s`);
    row(`records:batch (${BATCH_RECORDS} per request)`, batched, `${fmt(batched.recordsPerSec)} records/s`);
    console.log(`${'streaming (chunked, end to end)'.padEnd(34)} ${`${fmt(streamed.recordsPerSec)} records/s`.padStart(22)}   ${fmt(streamed.ok)} records in ${streamed.seconds.toFixed(1)} s`);
    console.log(`single / bare = ${ratio.toFixed(2)} (target >= ${SINGLE_VS_BARE_TARGET}) ${ratio >= SINGLE_VS_BARE_TARGET ? 'MET' : 'MISSED'}`);
    console.log(`batched = ${fmt(batched.recordsPerSec)} records/s (target >= ${fmt(BATCH_TARGET_RECORDS_PER_SEC)}) ${batched.recordsPerSec >= BATCH_TARGET_RECORDS_PER_SEC ? 'MET' : 'MISSED'}`);
    console.log(`records acknowledged ${fmt(acknowledged)}, appended ${fmt(appended)} (the rest were in flight at autocannon's deadline)`);

    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      'bench/results/rest.json',
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          cores: cpus().length,
          setup: { connections: CONNECTIONS, pipelining: PIPELINING, durationSec: DURATION_SEC, partitions: PARTITIONS, valueBytes: 100, batchRecords: BATCH_RECORDS, load: 'child process' },
          bareRequestsPerSec: { before: round(bareBefore.requestsPerSec), after: round(bareAfter.requestsPerSec) },
          singleRequestsPerSec: round(single.requestsPerSec),
          singleVsBare: Number(ratio.toFixed(3)),
          batchRecordsPerSec: round(batched.recordsPerSec),
          streamRecordsPerSec: round(streamed.recordsPerSec),
          latencyMs: { bare: bareBefore.p50Ms, single: single.p50Ms, batch: batched.p50Ms },
          targets: { singleVsBare: SINGLE_VS_BARE_TARGET, batchRecordsPerSec: BATCH_TARGET_RECORDS_PER_SEC },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await gateway.close();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms: number) => (Number.isNaN(ms) ? '   -' : `${ms.toFixed(1)} ms`);
const round = (n: number) => Math.round(n);

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
