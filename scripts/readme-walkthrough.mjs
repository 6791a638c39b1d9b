#!/usr/bin/env node
// Runs README.md's "REST in 60 seconds" walkthrough against a running gateway and checks
// what every step prints, so the README cannot drift from the API:
//
//   node scripts/readme-walkthrough.mjs http://127.0.0.1:8082 [--kafka 127.0.0.1:9092] [--data-dir <dir>] [--readme <file>]
//
// The walkthrough is every ```sh block between each `readme-walkthrough:begin` and the
// next `readme-walkthrough:end` HTML comment (the REST tour, then the Kafka clients tour). Blank lines split it into steps. Lines starting
// with `# => ` are a step's expected output, one per printed line, `...` matching any
// text; a step without them is not checked beyond its exit status. The blocks run
// unchanged, in one `bash` with `set -euo pipefail` and REST set to the base URL; each
// step's output goes to a file so it can be compared once bash is done. KAFKA is set to the
// --kafka address (default: the REST host on port 9092) for the kcat steps. WEIR_KEY is set
// to the API key in `<data dir>/admin-api-key` (the gateway's first start writes it; none
// when authentication is off), or to this process's WEIR_KEY, or to nothing, so the
// walkthrough never reads the repository's own data/ folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const BEGIN = '<!-- readme-walkthrough:begin';
const END = '<!-- readme-walkthrough:end -->';
const EXPECT = '# => ';
/** The whole walkthrough takes about a second; this only stops a hung gateway from hanging CI. */
const TIMEOUT_MS = 60_000;

function fail(message) {
  console.error(`readme-walkthrough: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const args = { baseUrl: undefined, kafka: undefined, dataDir: undefined, readme: new URL('../README.md', import.meta.url).pathname };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--readme') {
      args.readme = argv[++i] ?? fail('--readme needs a file');
    } else if (argv[i] === '--data-dir') {
      args.dataDir = argv[++i] ?? fail('--data-dir needs the gateway\'s WEIR_DATA_DIR');
    } else if (argv[i] === '--kafka') {
      args.kafka = argv[++i] ?? fail('--kafka needs host:port');
    } else if (args.baseUrl === undefined) {
      args.baseUrl = argv[i];
    } else {
      fail(`unexpected argument ${argv[i]}`);
    }
  }
  if (args.baseUrl === undefined || !/^https?:\/\/[^/]+/.test(args.baseUrl)) {
    fail('usage: node scripts/readme-walkthrough.mjs <base-url, e.g. http://127.0.0.1:8082> [--kafka host:port] [--data-dir <dir>] [--readme <file>]');
  }
  args.baseUrl = args.baseUrl.replace(/\/+$/, '');
  args.kafka ??= `${new URL(args.baseUrl).hostname}:9092`;
  return args;
}

/** The steps of the walkthrough: { line (1-based, in the README), code, expected[] }. */
function extractSteps(markdown) {
  const lines = markdown.split('\n');
  const inside = new Array(lines.length).fill(false);
  let sections = 0;
  for (let begin = lines.findIndex((l) => l.startsWith(BEGIN)); begin >= 0; ) {
    const end = lines.findIndex((l, i) => i > begin && l.startsWith(END));
    if (end < 0) fail(`the walkthrough section at line ${begin + 1} has no "${END}" line`);
    for (let i = begin + 1; i < end; i += 1) inside[i] = true;
    sections += 1;
    begin = lines.findIndex((l, i) => i > end && l.startsWith(BEGIN));
  }
  if (sections === 0) fail(`no walkthrough: expected "${BEGIN} ...-->" and "${END}" lines`);
  const steps = [];
  let inBlock = false;
  let step;
  for (let i = 0; i < lines.length; i += 1) {
    if (!inside[i]) continue;
    const line = lines[i];
    if (!inBlock) {
      if (/^```(sh|bash|shell)\s*$/.test(line)) inBlock = true;
      continue;
    }
    if (line.startsWith('```')) {
      inBlock = false;
      step = undefined;
    } else if (line.trim() === '') {
      step = undefined;
    } else {
      if (step === undefined) steps.push((step = { line: i + 1, code: [], expected: [] }));
      if (line.startsWith(EXPECT)) step.expected.push(line.slice(EXPECT.length));
      else step.code.push(line);
    }
  }
  if (inBlock) fail('the walkthrough has an unclosed ``` block');
  if (steps.length === 0) fail('the walkthrough markers enclose no ```sh block');
  return steps;
}

/** `...` matches anything; everything else literally; the whole line. */
function lineMatches(expected, actual) {
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${expected.split('...').map(escape).join('.*')}$`, 's').test(actual);
}

function printedLines(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
}

function requireCommand(command, versionFlag = '--version') {
  const probe = spawnSync(command, [versionFlag], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) fail(`\`${command}\` is not installed; the walkthrough needs it`);
}

const { baseUrl, kafka, dataDir, readme } = parseArgs(process.argv.slice(2));

/** The admin key the README's steps send (empty: the gateway runs with WEIR_AUTH=off). */
function apiKey() {
  if (dataDir === undefined) return process.env.WEIR_KEY ?? '';
  const file = join(dataDir, 'admin-api-key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}
requireCommand('bash');
requireCommand('curl');
const steps = extractSteps(readFileSync(readme, 'utf8'));
if (steps.some((step) => step.code.some((l) => /^\s*kcat\b|\|\s*kcat\b/.test(l)))) requireCommand('kcat', '-V');

const work = mkdtempSync(join(tmpdir(), 'weir-walkthrough-'));
try {
  // Step n's stdout and stderr go to n.out and n.err; `current` says which step ran last.
  const script = ['set -euo pipefail'];
  steps.forEach((step, n) => {
    script.push(`printf '%s\\n' ${n} > "$WALKTHROUGH_DIR/current"`, '{', ...step.code, `} > "$WALKTHROUGH_DIR/${n}.out" 2> "$WALKTHROUGH_DIR/${n}.err"`);
  });
  const run = spawnSync('bash', ['-c', script.join('\n')], {
    env: { ...process.env, REST: baseUrl, KAFKA: kafka, WEIR_KEY: apiKey(), WALKTHROUGH_DIR: work },
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: TIMEOUT_MS,
  });
  const reached = existsSync(join(work, 'current')) ? Number(readFileSync(join(work, 'current'), 'utf8')) : -1;

  let failed = false;
  for (let n = 0; n <= reached && n < steps.length; n += 1) {
    const step = steps[n];
    const out = printedLines(join(work, `${n}.out`));
    const err = printedLines(join(work, `${n}.err`));
    // The step's one-line explanation names it best; else its first command.
    const label = step.code.find((l) => l.startsWith('# ')) ?? step.code[0];
    const broke = n === reached && run.status !== 0;
    const mismatch = !broke && step.expected.length > 0 && (out.length !== step.expected.length || out.some((l, i) => !lineMatches(step.expected[i], l)));
    console.log(`${broke || mismatch ? 'FAIL' : 'ok  '} step ${n + 1} (${basename(readme)}:${step.line}) ${label}`);
    if (broke || mismatch) {
      failed = true;
      const why = broke ? (run.error !== undefined ? `did not finish: ${run.error.message}` : `exited with ${run.status ?? run.signal}`) : 'printed other output than the README shows';
      console.log(`     ${why}`);
      for (const l of step.expected) console.log(`     expected: ${l}`);
      for (const l of out) console.log(`     printed:  ${l}`);
      for (const l of err) console.log(`     stderr:   ${l}`);
      break;
    }
  }
  if (!failed && (run.status !== 0 || reached !== steps.length - 1)) {
    failed = true;
    console.log(`FAIL bash ${run.error !== undefined ? `did not finish: ${run.error.message}` : `exited with ${run.status ?? run.signal}`} after step ${reached + 1} of ${steps.length}`);
  }
  if (failed) process.exitCode = 1;
  else console.log(`README walkthrough: ${steps.length} steps passed against ${baseUrl}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
