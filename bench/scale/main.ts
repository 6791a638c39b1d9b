// Scale (W11): one broker with many partitions, and many idle connections.
// Run: npm run bench -- scale [--partitions N] [--connections C] [--touch T] [--reference-partitions R] [--fresh 1]
// Prints a table; writes bench/results/scale.json and scale.md.
//
// One broker as `npm start` hosts it: embedded PGlite registry in the data dir, one Kafka
// listener (bench/scale/broker-child.ts, a process of its own for each run). The data dir
// (<tmpdir>/weir-bench-scale-<N>) is prepared once and kept for later runs (--fresh 1 to
// redo it): N/100 topics of 100 partitions, RF 1, created one topic at a time through
// Broker.createTopic (no bulk registry writes), ten records in every tenth partition of
// every tenth topic; then a clean stop. Measured, each in a new process:
// - cold start: from the fork until the broker serves (registry opened, Broker.start,
//   listener serving), and Broker.start alone; reference: the same with R partitions
//   (the scaling ratio), and the file-system floor (list and stat the N partition dirs);
// - first use: Metadata, Produce and Fetch on a random partition not touched since start;
// - RSS and open fds after start, and after producing to T partitions (the fd cap holds);
// - C idle connections (ApiVersions + Metadata each): RSS before them, just after they
//   connected and once idle (samples 5 s apart agree within 2%), on the N- and
//   the R-partition broker;
// - clean stop (listener, broker, registry).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_OPEN_SEGMENT_FILES } from '../../libs/broker-core/src/log/segment/open-files.js';
import { benchSettings } from '../support/settings.js';
import { BrokerProcess } from './broker-process.js';
import { firstUse, idleConnections } from './clients.js';
import { PARTITIONS_PER_TOPIC, topicName } from './layout.js';
import { writeScaleResults, type ScaleRow } from './report.js';

const settings = benchSettings('scale', { partitions: 100_000, connections: 1_000, touch: 5_000, 'reference-partitions': 1_000, fresh: 0 });

const TARGETS = { startMs: 10_000, idleRssBytes: 1024 ** 3 };
const MIB = 1024 * 1024;
const log = (message: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

interface Prepared { partitions: number; topics: number; prepareMs: number; date: string }

/** The data dir with `partitions` partitions, prepared now unless an earlier run left it. */
async function preparedDir(partitions: number, fresh: boolean): Promise<{ dir: string; prepared: Prepared }> {
  const dir = join(tmpdir(), `weir-bench-scale-${partitions}`);
  const marker = join(dir, 'prepared.json');
  if (!fresh && existsSync(marker)) return { dir, prepared: JSON.parse(readFileSync(marker, 'utf8')) as Prepared };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const topics = Math.max(1, Math.ceil(partitions / PARTITIONS_PER_TOPIC));
  log(`preparing ${topics} topics x ${PARTITIONS_PER_TOPIC} partitions in ${dir} (one Broker.createTopic each, PGlite registry)`);
  const { process: child } = await BrokerProcess.fork((done, ms) => log(`  ${done}/${topics} topics, ${(ms / 1000).toFixed(0)} s`));
  await child.send({ type: 'start', dataDir: dir });
  const { prepareMs } = await child.send({ type: 'prepare', topics, partitionsPerTopic: PARTITIONS_PER_TOPIC, filledEvery: 10 });
  await child.send({ type: 'stop' });
  await child.exit();
  const prepared: Prepared = { partitions: topics * PARTITIONS_PER_TOPIC, topics, prepareMs: prepareMs!, date: new Date().toISOString() };
  writeFileSync(marker, `${JSON.stringify(prepared)}\n`);
  log(`prepared in ${(prepareMs! / 1000).toFixed(1)} s (${(prepareMs! / prepared.partitions).toFixed(2)} ms a partition)`);
  return { dir, prepared };
}

/** Lists the log dir and stats every partition directory: what any start must at least do. */
function fileSystemFloorMs(dir: string): number {
  const began = performance.now();
  const logs = join(dir, 'logs');
  for (const name of readdirSync(logs)) statSync(join(logs, name));
  return performance.now() - began;
}

interface StartFigures { readyMs: number; loadedMs: number; registryMs: number; brokerStartMs: number; electionsMs: number; rssBytes: number; openFds: number; port: number }

async function coldStart(dir: string): Promise<{ child: BrokerProcess; figures: StartFigures }> {
  const { process: child, loadedMs } = await BrokerProcess.fork();
  const started = await child.send({ type: 'start', dataDir: dir });
  const readyMs = performance.now() - child.forkedAt;
  return {
    child,
    figures: { readyMs, loadedMs, registryMs: started.registryMs!, brokerStartMs: started.brokerStartedMs! - started.registryMs!, electionsMs: started.startMs! - started.brokerStartedMs!, rssBytes: started.rssBytes!, openFds: started.openFds!, port: started.port! },
  };
}

/**
 * RSS and heap of the broker before `settings.connections` idle connections, just after
 * they connected (the burst of first requests leaves freed memory V8 and the allocator
 * have not returned yet), and once idle: sampled every 5 s until two samples agree within
 * 2% (at most 60 s), each sample after a full collection.
 */
type Sample = Record<string, number>;

async function idleRss(child: BrokerProcess, port: number, topic: string): Promise<{ before: Sample; after: Sample; idle: Sample; idleSeconds: number }> {
  const before = await child.send({ type: 'sample' });
  const connections = await idleConnections(port, settings.connections, topic);
  try {
    const after = await child.send({ type: 'sample' });
    let idle = after;
    let idleSeconds = 0;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      idleSeconds += 5;
      const next = await child.send({ type: 'sample' });
      const settled = Math.abs(next.rssBytes! - idle.rssBytes!) <= 0.02 * idle.rssBytes!;
      idle = next;
      if ((settled && idleSeconds >= 10) || idleSeconds >= 60) break;
    }
    if (idle.connections !== settings.connections) throw new Error(`${idle.connections} of ${settings.connections} idle connections left`);
    return { before, after, idle, idleSeconds };
  } finally {
    connections.close();
  }
}

async function stop(child: BrokerProcess): Promise<number> {
  const { stopMs } = await child.send({ type: 'stop' });
  await child.exit();
  return stopMs!;
}

const { dir, prepared } = await preparedDir(settings.partitions, settings.fresh === 1);
const { dir: refDir, prepared: refPrepared } = await preparedDir(settings['reference-partitions'], settings.fresh === 1);
const topics = prepared.topics;

log(`file-system floor: listing and stating ${prepared.partitions} partition dirs`);
const floorMs = fileSystemFloorMs(dir);

log(`reference: cold start with ${refPrepared.partitions} partitions`);
const ref = await coldStart(refDir);
const refIdle = await idleRss(ref.child, ref.figures.port, topicName(0));
const refStopMs = await stop(ref.child);

log(`cold start with ${prepared.partitions} partitions`);
const main = await coldStart(dir);
const t = Math.floor(Math.random() * topics);
const p = Math.floor(Math.random() * PARTITIONS_PER_TOPIC);
const first = await firstUse(main.figures.port, topicName(t), p);
log(`first use of ${topicName(t)}-${p}: metadata ${first.metadataMs.toFixed(1)} ms, produce ${first.produceMs.toFixed(1)} ms, fetch ${first.fetchMs.toFixed(1)} ms`);
const touched = await main.child.send({ type: 'touch', topics, partitionsPerTopic: PARTITIONS_PER_TOPIC, count: Math.min(settings.touch, prepared.partitions) });
log(`touched ${Math.min(settings.touch, prepared.partitions)} partitions in ${(touched.touchMs! / 1000).toFixed(1)} s: ${touched.openFds} fds`);
const mainIdle = await idleRss(main.child, main.figures.port, topicName(0));
const { before: beforeIdle, idle: withIdle } = mainIdle;
log(`${withIdle.connections} idle connections: RSS ${(beforeIdle.rssBytes! / MIB).toFixed(0)} -> ${(withIdle.rssBytes! / MIB).toFixed(0)} MiB`);
const stopMs = await stop(main.child);

const perConnectionBytes = (withIdle.rssBytes! - beforeIdle.rssBytes!) / settings.connections;
const met = (ok: boolean): string => (ok ? 'met' : 'MISSED');
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(0)} MiB`;
/** The idle-connections figures of one broker: once idle (the target), and just after connecting. */
function idleRows(broker: string, idle: Awaited<ReturnType<typeof idleRss>>): ScaleRow[] {
  return [
    {
      figure: `RSS with ${settings.connections} idle connections, ${broker}, idle ${idle.idleSeconds} s (before them)`,
      value: `${mib(idle.idle.rssBytes!)} (${mib(idle.before.rssBytes!)})`, target: '< 1 GiB', verdict: met(idle.idle.rssBytes! < TARGETS.idleRssBytes),
    },
    { figure: '  just after they connected (memory the first requests freed, not yet returned)', value: mib(idle.after.rssBytes!), target: '', verdict: '' },
  ];
}
const rows: ScaleRow[] = [
  { figure: `cold start until serving, ${prepared.partitions} partitions (fork to ready)`, value: `${(main.figures.readyMs / 1000).toFixed(2)} s`, target: '< 10 s', verdict: met(main.figures.readyMs < TARGETS.startMs) },
  {
    figure: '  of which: process + module load / registry open / Broker.start / until every partition led',
    value: [main.figures.loadedMs, main.figures.registryMs, main.figures.brokerStartMs, main.figures.electionsMs].map((ms) => (ms / 1000).toFixed(2)).join(' / ') + ' s',
    target: '', verdict: '',
  },
  { figure: '  Broker.start until every partition led (registry open, process start excluded)', value: `${((main.figures.brokerStartMs + main.figures.electionsMs) / 1000).toFixed(2)} s`, target: '< 10 s', verdict: met(main.figures.brokerStartMs + main.figures.electionsMs < TARGETS.startMs) },
  { figure: `reference: cold start, ${refPrepared.partitions} partitions`, value: `${(ref.figures.readyMs / 1000).toFixed(2)} s`, target: `ratio ${(main.figures.readyMs / ref.figures.readyMs).toFixed(1)}x for ${(prepared.partitions / refPrepared.partitions).toFixed(0)}x partitions`, verdict: '' },
  { figure: `reference: list + stat ${prepared.partitions} partition dirs`, value: `${floorMs.toFixed(0)} ms`, target: '', verdict: '' },
  { figure: 'first use of an untouched partition: Metadata / Produce / Fetch', value: `${first.metadataMs.toFixed(1)} / ${first.produceMs.toFixed(1)} / ${first.fetchMs.toFixed(1)} ms`, target: '', verdict: '' },
  { figure: 'RSS after start', value: `${(main.figures.rssBytes / MIB).toFixed(0)} MiB`, target: '', verdict: '' },
  { figure: 'open fds after start', value: String(main.figures.openFds), target: '', verdict: '' },
  { figure: `open fds after producing to ${Math.min(settings.touch, prepared.partitions)} partitions`, value: String(touched.openFds), target: `<= cap ${DEFAULT_MAX_OPEN_SEGMENT_FILES} + start fds`, verdict: met(touched.openFds! <= DEFAULT_MAX_OPEN_SEGMENT_FILES + main.figures.openFds) },
  ...idleRows(`${prepared.partitions} partitions`, mainIdle),
  ...idleRows(`${refPrepared.partitions} partitions`, refIdle),
  {
    figure: `  per idle connection, ${prepared.partitions} partitions: RSS once idle / V8 heap used`, target: '', verdict: '',
    value: `${(perConnectionBytes / 1024).toFixed(1)} / ${((withIdle.heapUsedBytes! - beforeIdle.heapUsedBytes!) / settings.connections / 1024).toFixed(1)} KiB`,
  },
  { figure: `clean stop, ${prepared.partitions} partitions (reference ${refPrepared.partitions})`, value: `${(stopMs / 1000).toFixed(2)} s (${(refStopMs / 1000).toFixed(2)} s)`, target: '', verdict: '' },
  { figure: `preparing the data dir (once, ${prepared.date.slice(0, 10)})`, value: `${(prepared.prepareMs / 1000).toFixed(0)} s`, target: '', verdict: '' },
];
writeScaleResults(rows, {
  date: new Date().toISOString(), settings, prepared, reference: { prepared: refPrepared, start: ref.figures, idle: refIdle, stopMs: refStopMs },
  start: main.figures, firstUse: first, touch: touched, idle: { ...mainIdle, perConnectionBytes }, stopMs, fileSystemFloorMs: floorMs,
  openFilesCap: DEFAULT_MAX_OPEN_SEGMENT_FILES, targets: TARGETS,
});
