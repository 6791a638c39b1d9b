// The compare bench's outputs: targets as ratios, the console table, compare.md and the
// chart (compare.svg), all from one CompareResult (compare.json).
import type { ProfileFrame } from '../support/cpuprofile-top.js';
import { barChartSvg, type BarRow } from '../support/svg-bars.js';
import type { Plan } from './plan.js';
import type { PeerResult, Throughput } from './results.js';
import type { DiskReference } from './weir.js';

export interface Target {
  readonly name: string;
  readonly measured: number;
  readonly reference: number;
  readonly unit: string;
  readonly ratio: number;
  /** e.g. ">= 2" (ratio) or "< 1" (measured over reference). */
  readonly target: string;
  /** Undefined when a side did not run. */
  readonly met: boolean | undefined;
}

export interface CompareResult {
  readonly date: string;
  readonly plan: Plan;
  readonly machine: { cores: number; loadAverage: { before: number; after: number }; versions: Record<string, string> };
  readonly peers: readonly PeerResult[];
  readonly references: { readonly disk: readonly DiskReference[]; readonly loopbackMBps: number; readonly loopbackMethod: string; readonly diskNote: string };
  readonly targets: readonly Target[];
  readonly profile?: { readonly file: string; readonly top: readonly ProfileFrame[] };
  readonly elapsedSeconds: number;
}

const produceOf = (peer: PeerResult | undefined, valueBytes: number, setting = '') => peer?.produce.find((t) => t.valueBytes === valueBytes && (setting === '' || t.setting === setting));
const consumeOf = (peer: PeerResult | undefined, valueBytes: number) => peer?.consume.find((t) => t.valueBytes === valueBytes);

function ratioTarget(name: string, measured: number | undefined, reference: number | undefined, unit: string, atLeast: number): Target {
  const ok = measured !== undefined && reference !== undefined && Number.isFinite(measured) && Number.isFinite(reference);
  const ratio = ok ? measured / reference : Number.NaN;
  return { name, measured: measured ?? Number.NaN, reference: reference ?? Number.NaN, unit, ratio, target: `>= ${atLeast}`, met: ok ? ratio >= atLeast : undefined };
}

/** The issue's targets, from one run. Redis rows are checked against each Redis peer that ran. */
export function targets(peers: readonly PeerResult[], disk: readonly DiskReference[]): Target[] {
  const weir = peers.find((p) => p.name === 'Weir');
  const redises = peers.filter((p) => p.name.startsWith('Redis'));
  const nats = peers.find((p) => p.name.startsWith('NATS'));
  const weirProduce = produceOf(weir, 100, 'acks=1')?.msgsPerSec;
  const out: Target[] = [];
  for (const redis of redises) out.push(ratioTarget(`produce 100 B msgs/s, Weir acks=1 vs ${redis.name}`, weirProduce, produceOf(redis, 100)?.msgsPerSec, 'msgs/s', 2));
  out.push(ratioTarget(`produce 100 B msgs/s, Weir acks=1 vs ${nats?.name ?? 'NATS JetStream'}`, weirProduce, produceOf(nats, 100)?.msgsPerSec, 'msgs/s', 1));
  for (const redis of redises) out.push(ratioTarget(`consume 100 B msgs/s, Weir vs ${redis.name}`, consumeOf(weir, 100)?.msgsPerSec, consumeOf(redis, 100)?.msgsPerSec, 'msgs/s', 2));
  const kib = disk.find((d) => d.valueBytes === 1024);
  out.push({ ...ratioTarget('produce 1 KiB MB/s (log as stored), Weir acks=1 vs raw sequential write + fdatasync of the same bytes', kib?.weirProduceLogMBps, kib?.rawWriteMBps, 'MB/s', 0.6), ratio: kib?.produceRatio ?? Number.NaN });
  const p99 = weir?.latency?.p99Ms;
  out.push({ name: 'e2e p99 at 10,000 msgs/s (100 B), Weir', measured: p99 ?? Number.NaN, reference: 10, unit: 'ms', ratio: (p99 ?? Number.NaN) / 10, target: '< 1', met: p99 === undefined ? undefined : p99 < 10 });
  return out;
}

const PROFILE_SCOPE = 'start-up, every timed run, the untimed topic creates and deletes and the one stored-batch walk per size; idle is time waiting for clients';

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');
const pct = (share: number) => (Number.isFinite(share) ? `${Math.round(share * 100)}%` : '-');
const verdict = (t: Target) => (t.met === undefined ? 'not run' : t.met ? 'met' : 'MISSED');

function throughputRows(result: CompareResult): string[][] {
  const rows: string[][] = [];
  for (const peer of result.peers) {
    if (peer.notRun !== undefined) {
      rows.push([peer.name, '', '', `not run: ${peer.notRun}`, '', '', '', '']);
      continue;
    }
    const line = (kind: string, t: Throughput) => rows.push([peer.name, `${kind}${t.setting === '' ? '' : ` ${t.setting}`}`, `${t.valueBytes} B`, f0(t.msgsPerSec), f1(t.payloadMBps), `${pct(t.serverCpu)} / ${pct(t.clientCpu)}`, t.rounds.map(f0).join(', '), f0(t.messages)]);
    for (const t of peer.produce) line('produce', t);
    for (const t of peer.consume) line('consume', t);
  }
  return rows;
}

function latencyRows(result: CompareResult): string[][] {
  return result.peers.filter((p) => p.latency !== undefined).map((p) => {
    const l = p.latency!;
    return [p.name, f2(l.p50Ms), f2(l.p99Ms), f2(l.p999Ms), f2(l.maxMs), f0(l.achievedRate), f0(l.measured), l.method];
  });
}

function targetRows(result: CompareResult): string[][] {
  return result.targets.map((t) => [t.name, `${t.unit === 'msgs/s' ? f0(t.measured) : f2(t.measured)} ${t.unit}`, `${t.unit === 'msgs/s' ? f0(t.reference) : f2(t.reference)} ${t.unit}`, f2(t.ratio), t.target, verdict(t)]);
}

const THROUGHPUT_HEAD = ['peer', 'run', 'value', 'msgs/s', 'payload MB/s', 'CPU server / client', 'rounds msgs/s', 'messages'];
const LATENCY_HEAD = ['peer', 'p50 ms', 'p99 ms', 'p999 ms', 'max ms', 'achieved msgs/s', 'samples', 'method'];
const TARGET_HEAD = ['target', 'measured', 'reference', 'ratio', 'target', 'verdict'];

function textTable(head: readonly string[], rows: readonly string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === head.length - 1 ? 0 : (r[i] ?? '').length))));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), '-'.repeat(widths.reduce((a, b) => a + b + 2, 0)), ...rows.map(line)].join('\n');
}

function mdTable(head: readonly string[], rows: readonly string[][]): string {
  const cell = (c: string) => c.replace(/\|/g, '\\|');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function referenceLines(result: CompareResult): string[] {
  const lines = result.references.disk.map(
    (d) => `${d.valueBytes} B log (${f1(d.storedBytes / 1024 / 1024)} MiB as stored, avg batch ${f0(d.avgBatchBytes)} B): raw write + one fdatasync ${f1(d.rawWriteMBps)} MB/s, raw read (page cache) ${f1(d.rawReadMBps)} MB/s; Weir produce ${f1(d.weirProduceLogMBps)} MB/s of log (ratio ${f2(d.produceRatio)}), consume ${f1(d.weirConsumeLogMBps)} MB/s (ratio ${f2(d.consumeRatio)})`,
  );
  lines.push(`loopback TCP: ${f1(result.references.loopbackMBps)} MB/s (${result.references.loopbackMethod})`);
  return lines;
}

export function consoleReport(result: CompareResult): string {
  const out = [
    `Throughput (medians of ${result.plan.rounds} round${result.plan.rounds === 1 ? '' : 's'}${result.plan.quick ? ', --quick' : ''}; CPU as shares of one core):`,
    textTable(THROUGHPUT_HEAD, throughputRows(result)),
    '',
    `End-to-end latency at ${f0(result.plan.latency.rate)} msgs/s, ${result.plan.latency.valueBytes} B, ${result.plan.latency.seconds} s, first ${result.plan.latency.warmupSeconds} s left out:`,
    textTable(LATENCY_HEAD, latencyRows(result)),
    '',
    'Physical references (same run):',
    ...referenceLines(result).map((l) => `  ${l}`),
    '',
    'Durability as run:',
    ...result.peers.map((p) => `  ${p.name}: ${p.durability}`),
    '',
    'Targets (one run):',
    textTable(TARGET_HEAD, targetRows(result)),
  ];
  if (result.profile !== undefined) {
    out.push('', `Weir broker profile (${result.profile.file}), top self time over the broker's whole life (${PROFILE_SCOPE}):`);
    for (const f of result.profile.top) out.push(`  ${f1(f.selfMs).padStart(9)} ms ${pct(f.selfShare).padStart(4)}  ${f.frame}`);
  }
  return out.join('\n');
}

export function markdownReport(result: CompareResult): string {
  const m = result.machine;
  return [
    '# Weir beside Redis Streams and NATS JetStream',
    '',
    `Run ${result.date} with \`npm run bench -- compare${result.plan.quick ? ' --quick' : ''}\` (${f0(result.elapsedSeconds)} s); ${m.cores} cores, load average ${f2(m.loadAverage.before)} before, ${f2(m.loadAverage.after)} after. Versions: ${Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(', ')}. See docs/benchmarks.md for the method.`,
    '',
    '## Targets',
    '',
    mdTable(TARGET_HEAD, targetRows(result)),
    '',
    '## Throughput',
    '',
    `Medians of ${result.plan.rounds} round(s); CPU of server and load generator as shares of one core.`,
    '',
    mdTable(THROUGHPUT_HEAD, throughputRows(result)),
    '',
    '## End-to-end latency',
    '',
    mdTable(LATENCY_HEAD, latencyRows(result)),
    '',
    '## Durability side by side',
    '',
    mdTable(['peer', 'version', 'durability as run', 'setup'], result.peers.map((p) => [p.name, p.version, p.durability, p.setup])),
    '',
    '## Physical references',
    '',
    ...referenceLines(result).map((l) => `- ${l}`),
    `- ${result.references.diskNote}`,
    ...(result.profile === undefined ? [] : ['', '## Weir broker profile (top self time)', '', `Over the broker's whole life (${PROFILE_SCOPE}); ${result.profile.file}, not in git.`, '', mdTable(['self ms', 'share', 'frame'], result.profile.top.map((f) => [f1(f.selfMs), pct(f.selfShare), f.frame]))]),
    '',
  ].join('\n');
}

const COLORS: Record<string, string> = { Weir: '#2b6cb0', 'Redis Streams': '#c53030', 'Redis Streams (AOF everysec)': '#9b2c2c', 'NATS JetStream': '#2f855a' };
const colorOf = (name: string) => COLORS[name] ?? '#718096';

export function chartSvg(result: CompareResult): string {
  const ran = result.peers.filter((p) => p.notRun === undefined);
  const rows = (pick: (p: PeerResult) => readonly Throughput[], valueBytes: number, field: 'msgsPerSec' | 'payloadMBps'): BarRow[] =>
    ran.flatMap((p) => pick(p).filter((t) => t.valueBytes === valueBytes).map((t) => ({ label: `${p.name}${t.setting === '' ? '' : ` ${t.setting}`}`, value: t[field], text: field === 'msgsPerSec' ? `${f0(t[field])} msgs/s` : `${f1(t[field])} MB/s`, color: colorOf(p.name) })));
  const kib = result.references.disk.find((d) => d.valueBytes === 1024);
  const latency = ran.filter((p) => p.latency !== undefined).flatMap((p) =>
    (['p50Ms', 'p99Ms', 'p999Ms'] as const).map((k) => ({ label: `${p.name} ${k.slice(0, -2)}`, value: p.latency![k], text: `${f2(p.latency![k])} ms`, color: colorOf(p.name) })),
  );
  return barChartSvg(`Weir, Redis Streams, NATS JetStream: one run, ${result.date.slice(0, 10)}, ${result.machine.cores} cores`, [
    { title: 'Produce, 100 B values (msgs/s)', rows: rows((p) => p.produce, 100, 'msgsPerSec') },
    { title: 'Consume, 100 B values (msgs/s)', rows: rows((p) => p.consume, 100, 'msgsPerSec') },
    {
      title: 'Produce, 1 KiB values (payload MB/s)',
      rows: [...rows((p) => p.produce, 1024, 'payloadMBps'), ...(kib === undefined ? [] : [{ label: 'raw write + fdatasync (log bytes)', value: kib.rawWriteMBps, text: `${f1(kib.rawWriteMBps)} MB/s`, color: '#a0aec0' }])],
    },
    { title: `End-to-end latency at ${f0(result.plan.latency.rate)} msgs/s (ms, lower is better)`, rows: latency },
  ]);
}
