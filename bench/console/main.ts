// Console at scale (W9). Run: npm run bench -- console [--topics N] [--partitions P] [--groups G] [--partition-mb M] [--samples S] [--page-runs R]
// Prints a table; writes bench/results/console.json and console.md.
//
// One Weir as `npm start` runs it: the gateway in its own process (one broker, embedded
// PGlite registry, from the sources; bench/console/gateway.ts) and `next start` of the
// console, built into apps/console/.next-bench. Seeded through the Kafka protocol only:
// N topics of P partitions (CreateTopics, 100 topics a request), G consumer groups with a
// committed offset each (OffsetCommit), and one partition of M MiB (1 KiB records, 1,000
// a batch, 4 Produce requests in flight). Then, each figure beside a reference of the same run:
// - topics API: p95 of S GETs of the topics list (and of the console's topic summaries
//   page when the gateway has it); reference p95 of GET /v3/clusters/{id};
// - pages in headless chromium, R fresh navigations each, median: "interactive" is from
//   the navigation's start until the page's data is visible (a table row linking to a
//   topic or group; a record for the message browser) and a control in <main> takes the
//   keyboard focus; reference: /settings, a page with no broker data;
// - the message browser opening at the newest records of the large partition; reference:
//   reading the last MiB of its segment file directly.
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs, { type Admin } from 'kafkajs';
import { chromium, type Page } from 'playwright-core';
import { ensureConsoleBuilt, startConsole } from '../../test/browser/console-server.js';
import { percentileOf } from '../groups/stats.js';
import { benchSettings } from '../support/settings.js';
import { GatewayChild } from '../../test/support/gateway-child.js';
import { commitGroups, createTopics, fillPartition, groupName } from './seed.js';

const settings = benchSettings('console', { topics: 10_000, partitions: 4, groups: 2_000, 'partition-mb': 1024, samples: 50, 'page-runs': 5, profile: 0 });
const READY_MS = 600_000;
/** Debian's chromium, as the browser suites use (test/browser/console-page.ts, which this bench cannot import: it pulls in the gateway). */
const CHROMIUM = '/usr/bin/chromium';
const BIG_TOPIC = 'bench-large';
const TARGETS = { topicsApiP95Ms: 200, pageMs: 2000, messagesMs: 1000 };
const MIB = 1024 * 1024;
const INTERACTIVE = 'from navigation start until the page data is visible (a table row linking to a topic or group, a record in the message browser) and a control in <main> holds the keyboard focus';

const median = (values: readonly number[]): number => percentileOf(values, 50);
const round = (value: number): number => Math.round(value * 10) / 10;
const log = (message: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

async function get(url: string): Promise<{ ms: number; status: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status, bytes: body.byteLength };
}

/** p50/p95 of `samples` sequential GETs of `url` after one warm-up; undefined when it does not answer 200. */
async function latency(url: string, samples: number): Promise<{ p50: number; p95: number; bytes: number } | undefined> {
  const first = await get(url);
  if (first.status !== 200) return undefined;
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push((await get(url)).ms);
  return { p50: round(median(times)), p95: round(percentileOf(times, 95)), bytes: first.bytes };
}

/** Ms from the start of a navigation to `url` until `ready` is visible and a control in <main> holds the focus. */
async function timeToInteractive(page: Page, url: string, ready: string): Promise<number> {
  await page.goto('about:blank');
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(ready).first().waitFor({ state: 'visible', timeout: 60_000 });
  const control = page.locator('main :is(a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]))').first();
  await control.focus({ timeout: 60_000 });
  await page.waitForFunction("document.activeElement !== null && document.activeElement.closest('main') !== null");
  return performance.now() - started;
}

interface PageFigure {
  readonly medianMs: number | undefined;
  readonly runsMs: number[];
  /** Why the page never became interactive, with the start of what <main> showed. */
  readonly error?: string;
}

async function pageFigure(page: Page, url: string, ready: string): Promise<PageFigure> {
  const runs: number[] = [];
  try {
    for (let i = 0; i < settings['page-runs']; i++) runs.push(round(await timeToInteractive(page, url, ready)));
  } catch (err) {
    const shown = await page.locator('main').innerText({ timeout: 1000 }).catch(() => '');
    const error = `${(err as Error).message.split('\n')[0]} (main: ${JSON.stringify(shown.slice(0, 200))})`;
    log(`  ${url}: ${error}`);
    return { medianMs: undefined, runsMs: runs, error };
  }
  return { medianMs: round(median(runs)), runsMs: runs };
}

/** Ms to read the last `bytes` (at most) of the partition's active segment straight from the file (page cache warm, as for the browser). */
function rawTailRead(dataDir: string, bytes: number): number {
  const dir = join(dataDir, 'logs', `${BIG_TOPIC}-0`);
  const segment = join(dir, readdirSync(dir).filter((name) => name.endsWith('.log')).sort().at(-1)!);
  const size = statSync(segment).size;
  // The active segment may hold less than `bytes` just after a roll.
  bytes = Math.min(bytes, size);
  const buf = Buffer.allocUnsafe(bytes);
  const times: number[] = [];
  for (let i = 0; i < settings['page-runs']; i++) {
    const started = performance.now();
    const fd = openSync(segment, 'r');
    let done = 0;
    while (done < bytes) done += readSync(fd, buf, done, bytes - done, size - bytes + done);
    closeSync(fd);
    times.push(performance.now() - started);
  }
  return round(median(times));
}

async function seed(gateway: GatewayChild): Promise<Record<string, number>> {
  const kafka = new kafkajs.Kafka({
    clientId: 'bench-console', brokers: [gateway.bootstrap], logLevel: kafkajs.logLevel.NOTHING, requestTimeout: READY_MS, connectionTimeout: 10_000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2000 },
  });
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    let started = performance.now();
    const topics = settings.topics;
    const step = Math.max(100, Math.ceil(topics / 10 / 100) * 100);
    for (let from = 0; from < topics; from += step) {
      await createTopics(admin, from, Math.min(topics, from + step), settings.partitions);
      log(`  ${Math.min(topics, from + step)} topics (${Math.min(topics, from + step) * settings.partitions} partitions), ${Math.round((performance.now() - started) / 1000)} s`);
    }
    const topicsMs = performance.now() - started;
    started = performance.now();
    // FindCoordinator (through kafkajs) creates __consumer_offsets; the commits follow on the project's client.
    await admin.describeGroups([groupName(0)]);
    await commitGroups(gateway.kafkaPort, settings.groups, topics);
    const groupsMs = performance.now() - started;
    log(`  ${settings.groups} groups, ${Math.round(groupsMs / 1000)} s`);
    await admin.createTopics({ topics: [{ topic: BIG_TOPIC, numPartitions: 1 }] });
    started = performance.now();
    const bytes = await fillPartition(gateway.kafkaPort, BIG_TOPIC, settings['partition-mb'] * MIB, 1024, 1000, 4);
    const partitionMs = performance.now() - started;
    log(`  ${Math.round(bytes / MIB)} MiB to ${BIG_TOPIC}-0, ${Math.round(partitionMs / 1000)} s`);
    return {
      topicsSeconds: round(topicsMs / 1000), msPerPartition: round(topicsMs / (topics * settings.partitions)),
      groupsSeconds: round(groupsMs / 1000), partitionSeconds: round(partitionMs / 1000), partitionMBps: round(bytes / MIB / (partitionMs / 1000)),
    };
  } finally {
    await admin.disconnect();
  }
}

const verdict = (value: number | undefined, target: number): string => (value === undefined ? 'n/a' : value < target ? 'met' : 'MISSED');
const msText = (value: number | undefined): string => (value === undefined ? 'failed' : `${value} ms`);

async function main(): Promise<void> {
  process.env['WEIR_CONSOLE_DIST_DIR'] ??= '.next-bench';
  const loadBefore = loadavg()[0]!;
  log('building the console (skipped when up to date)');
  ensureConsoleBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'weir-bench-console-'));
  const flags = settings.profile === 1 ? ['--cpu-prof', `--cpu-prof-dir=${join(dataDir, 'profile')}`] : [];
  const gateway = await GatewayChild.start(dataDir, {}, READY_MS, flags);
  let consoleServer: Awaited<ReturnType<typeof startConsole>> | undefined;
  try {
    log(`seeding ${settings.topics} topics x ${settings.partitions} partitions, ${settings.groups} groups, ${settings['partition-mb']} MiB`);
    const seeding = await seed(gateway);
    const clusterId = ((await (await fetch(`${gateway.baseUrl}/v3/clusters`)).json()) as { data: { cluster_id: string }[] }).data[0]!.cluster_id;
    const cluster = `${gateway.baseUrl}/v3/clusters/${clusterId}`;

    log('topics API');
    const samples = settings.samples;
    const api = {
      topicSummaries: await latency(`${cluster}/topic-summaries?sort_by=name&order=asc&offset=0&limit=50`, samples),
      topics: await latency(`${cluster}/topics`, samples),
      reference: await latency(cluster, samples),
      groups: await latency(`${cluster}/consumer-groups?page_size=50`, samples),
      newestRecords: await latency(`${cluster}/topics/${BIG_TOPIC}/partitions/0/records?from=newest&direction=backward&max_records=100`, samples),
    };

    log('console pages in chromium');
    consoleServer = await startConsole(gateway.baseUrl);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const base = consoleServer.url;
    let pages: Record<'topics' | 'groups' | 'messages' | 'reference', PageFigure>;
    try {
      pages = {
        topics: await pageFigure(page, `${base}/topics`, 'main table tbody tr a[href^="/topics/"]'),
        groups: await pageFigure(page, `${base}/consumer-groups`, 'main table tbody tr a[href^="/consumer-groups/"]'),
        messages: await pageFigure(page, `${base}/topics/${BIG_TOPIC}?tab=messages&partition=0&seek=newest`, 'main [data-testid="record"]'),
        reference: await pageFigure(page, `${base}/settings`, 'main h1'),
      };
    } finally {
      await browser.close();
    }
    const rawReadMs = rawTailRead(dataDir, MIB);

    log('restart with everything on disk');
    const stopStarted = performance.now();
    await gateway.stop();
    const stopMs = performance.now() - stopStarted;
    const restartMs = await gateway.restart(READY_MS);
    const afterRestart = await latency(`${cluster}/topics`, 5);

    const topicsApi = api.topicSummaries ?? api.topics;
    const rows: [string, string, string, string, string][] = [
      [api.topicSummaries ? 'topics API p95 (topic-summaries, 50 a page)' : 'topics API p95 (GET topics, all)', `${topicsApi?.p95 ?? 'n/a'} ms`, `< ${TARGETS.topicsApiP95Ms} ms`, `${api.reference?.p95} ms GET /v3/clusters/{id}`, verdict(topicsApi?.p95, TARGETS.topicsApiP95Ms)],
      ['GET topics (all, unpaged) p95', `${api.topics?.p95 ?? 'n/a'} ms`, '', `${api.topics?.bytes ?? 0} bytes`, ''],
      ['topics page interactive (median)', msText(pages.topics.medianMs), `< ${TARGETS.pageMs} ms`, `${msText(pages.reference.medianMs)} /settings`, verdict(pages.topics.medianMs, TARGETS.pageMs)],
      ['consumer groups page interactive (median)', msText(pages.groups.medianMs), `< ${TARGETS.pageMs} ms`, `${msText(pages.reference.medianMs)} /settings`, verdict(pages.groups.medianMs, TARGETS.pageMs)],
      [`message browser at newest, ${settings['partition-mb']} MiB partition (median)`, msText(pages.messages.medianMs), `< ${TARGETS.messagesMs} ms`, `${rawReadMs} ms raw read of the last MiB`, verdict(pages.messages.medianMs, TARGETS.messagesMs)],
      ['records API newest 100 p95', `${api.newestRecords?.p95 ?? 'n/a'} ms`, '', `${rawReadMs} ms raw read`, ''],
    ];
    const header: [string, string, string, string, string] = ['figure', 'measured', 'target', 'reference (same run)', ''];
    const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
    const line = (r: readonly string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
    console.log(`\nconsole bench: ${settings.topics} topics / ${settings.topics * settings.partitions} partitions / ${settings.groups} groups / ${settings['partition-mb']} MiB partition, ${cpus().length} cores`);
    console.log(`interactive = ${INTERACTIVE}`);
    console.log(line(header));
    for (const r of rows) console.log(line(r));
    console.log(`seeding: topics ${seeding.topicsSeconds} s (${seeding.msPerPartition} ms/partition), groups ${seeding.groupsSeconds} s, ${settings['partition-mb']} MiB in ${seeding.partitionSeconds} s (${seeding.partitionMBps} MiB/s)`);
    console.log(`clean stop ${Math.round(stopMs)} ms, restart until ready ${Math.round(restartMs)} ms, then GET topics p95 ${afterRestart?.p95} ms`);

    const result = {
      date: new Date().toISOString(), cores: cpus().length, loadAverage: { before: round(loadBefore), after: round(loadavg()[0]!) },
      setup: { gateway: '1 gateway process (one broker, embedded PGlite registry), run from the sources; next start of the console', ...settings },
      interactive: INTERACTIVE,
      targets: TARGETS, seeding, api, pages, rawTailReadMs: rawReadMs, restart: { stopMs: Math.round(stopMs), readyMs: Math.round(restartMs), topicsP95Ms: afterRestart?.p95 },
    };
    const results = join(process.cwd(), 'bench/results');
    mkdirSync(results, { recursive: true });
    writeFileSync(join(results, 'console.json'), `${JSON.stringify(result, null, 2)}\n`);
    const md = [
      `# Console at scale (${result.date.slice(0, 10)}, ${result.cores} cores)`, '',
      `${settings.topics} topics, ${settings.topics * settings.partitions} partitions, ${settings.groups} groups, one ${settings['partition-mb']} MiB partition; one gateway (one broker, PGlite registry).`, '',
      `Interactive: ${result.interactive}.`, '',
      `| ${header.slice(0, 4).join(' | ')} | verdict |`, '|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`), '',
      `Seeding: topics ${seeding.topicsSeconds} s (${seeding.msPerPartition} ms/partition), groups ${seeding.groupsSeconds} s, ${settings['partition-mb']} MiB in ${seeding.partitionSeconds} s.`,
      `Clean stop ${result.restart.stopMs} ms, restart until ready ${result.restart.readyMs} ms.`, '',
    ].join('\n');
    writeFileSync(join(results, 'console.md'), md);
  } finally {
    await consoleServer?.stop();
    await gateway.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
