import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * Running kcat (librdkafka's command-line client) against a Weir listener, for the wire
 * protocol tests and the wire bench. kcat is a Debian package (`.ci/run` installs it);
 * `kcatPath()` says whether this machine has it.
 */

export interface KcatRun {
  /** Exit code (null when a signal ended it). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface KcatOptions {
  /** Written to kcat's stdin, which is then closed (closed at once when absent). */
  readonly stdin?: string | Buffer;
  /** kcat is killed and the run rejected after this long (default 20 s). */
  readonly timeoutMs?: number;
}

/**
 * Jest timeout for a test that runs kcat a few times (each kcat start connects, asks
 * metadata and versions): jest's 5 s default is too tight on a loaded machine, and each
 * run has its own timeout (`KcatOptions.timeoutMs`) that names the command that hung.
 */
export const KCAT_TEST_MS = 60_000;

let resolved: string | null | undefined;

/** The kcat on PATH, or undefined when there is none. */
export function kcatPath(): string | undefined {
  if (resolved === undefined) {
    const which = spawnSync('which', ['kcat'], { encoding: 'utf8' });
    resolved = which.status === 0 && which.stdout.trim() !== '' ? which.stdout.trim() : null;
  }
  return resolved ?? undefined;
}

/**
 * Why kcat tests cannot run here, or undefined when they can. In CI (CI set) a missing
 * kcat is an error rather than a reason to skip: `.ci/run` installs it.
 */
export function kcatMissing(): string | undefined {
  if (kcatPath() !== undefined) return undefined;
  const message = 'kcat is not installed (not on PATH): the kcat wire-protocol tests are SKIPPED. Install it with `apt-get install kcat`.';
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') throw new Error(`${message} CI must have it.`);
  return message;
}

/** Starts kcat with piped stdio; the caller owns the process. */
export function spawnKcat(args: readonly string[]): ChildProcessWithoutNullStreams {
  const path = kcatPath();
  if (path === undefined) throw new Error('kcat is not installed');
  return spawn(path, args, { stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Runs kcat to completion: stdin written and closed, stdout collected as bytes. Rejects
 * when it runs longer than the timeout (after killing it), never resolves half-way.
 */
export function runKcat(args: readonly string[], options: KcatOptions = {}): Promise<KcatRun> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const child = spawnKcat(args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${Buffer.concat(err).toString()}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() });
    });
    // kcat may exit before reading all its input (an error): ignore EPIPE on stdin.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** Runs kcat and throws, with its stderr, unless it exits 0. */
export async function kcatOk(args: readonly string[], options: KcatOptions = {}): Promise<KcatRun> {
  const run = await runKcat(args, options);
  if (run.code !== 0) throw new Error(`kcat ${args.join(' ')} exited ${run.code ?? run.signal}: ${run.stderr}`);
  return run;
}

/**
 * A `-f` format whose output parses back exactly, whatever bytes keys and values hold:
 * a text line with topic, partition, offset, timestamp, key length and value length
 * (-1 for null), then exactly those key and value bytes, then the headers as kcat prints
 * them (`n=v` CSV, a null value as NULL) up to a newline. kcat prints header values as C
 * strings (cut at the first NUL byte): use -J (`parseJsonRecords`) for binary headers.
 */
export const RECORD_FORMAT = '%t %p %o %T %K %S\\n%k%s%h\\n';

export interface KcatRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** kcat's `%h` output as bytes: `name=value` pairs joined by commas (empty when none). */
  readonly headers: Buffer;
}

/** Parses the output of kcat -C -f RECORD_FORMAT. */
export function parseRecords(stdout: Buffer): KcatRecord[] {
  const records: KcatRecord[] = [];
  let pos = 0;
  const lineEnd = (from: number): number => {
    const end = stdout.indexOf(0x0a, from);
    if (end < 0) throw new Error(`kcat output truncated at byte ${from}: ${JSON.stringify(stdout.subarray(from).toString())}`);
    return end;
  };
  while (pos < stdout.length) {
    const end = lineEnd(pos);
    const fields = stdout.subarray(pos, end).toString().split(' ');
    if (fields.length !== 6) throw new Error(`unexpected kcat record line ${JSON.stringify(stdout.subarray(pos, end).toString())}`);
    const [topic, partition, offset, timestamp, keyLength, valueLength] = fields as [string, string, string, string, string, string];
    pos = end + 1;
    const take = (length: number): Buffer | null => {
      if (length < 0) return null;
      const bytes = stdout.subarray(pos, pos + length);
      pos += length;
      return Buffer.from(bytes);
    };
    const key = take(Number(keyLength));
    const value = take(Number(valueLength));
    const headersEnd = lineEnd(pos);
    const headers = Buffer.from(stdout.subarray(pos, headersEnd));
    pos = headersEnd + 1;
    records.push({ topic, partition: Number(partition), offset: Number(offset), timestamp: Number(timestamp), key, value, headers });
  }
  return records;
}

/** A record as kcat -J prints it, with its bytes restored. */
export interface KcatJsonRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestampType: 'create' | 'logappend' | 'unknown';
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** In record order, duplicates kept; a null value stays null. */
  readonly headers: readonly (readonly [string, Buffer | null])[];
}

/**
 * Parses kcat -J output (one JSON envelope per line) byte-exactly. kcat writes key,
 * payload and header values as JSON strings holding the raw bytes, escaping only
 * control characters, quotes and backslashes; read as latin1, every character is one
 * byte, so the bytes come back exactly whatever they were (UTF-8 or not).
 */
export function parseJsonRecords(stdout: Buffer): KcatJsonRecord[] {
  const bytes = (s: string | null | undefined): Buffer | null => (s === null || s === undefined ? null : Buffer.from(s, 'latin1'));
  return stdout
    .toString('latin1')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const r = JSON.parse(line) as { topic: string; partition: number; offset: number; tstype: KcatJsonRecord['timestampType']; ts: number; key: string | null; payload: string | null; headers?: (string | null)[] };
      const headers: [string, Buffer | null][] = [];
      for (let i = 0; i + 1 < (r.headers?.length ?? 0); i += 2) headers.push([bytes(r.headers![i])!.toString('utf8'), bytes(r.headers![i + 1])]);
      return { topic: bytes(r.topic)!.toString('utf8'), partition: r.partition, offset: r.offset, timestampType: r.tstype, timestamp: r.ts, key: bytes(r.key), value: bytes(r.payload), headers };
    });
}

export interface ConsumeOptions {
  readonly partition?: number;
  /** More kcat arguments (e.g. `-X` settings). */
  readonly extra?: readonly string[];
  readonly timeoutMs?: number;
}

function consumeArgs(bootstrap: string, topic: string, options: ConsumeOptions, format: readonly string[]): string[] {
  const args = ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', ...format];
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  return [...args, ...(options.extra ?? [])];
}

/** Every record of a topic (or one partition) from the beginning, without a group, through -J: byte-exact headers. */
export async function consumeJson(bootstrap: string, topic: string, options: ConsumeOptions = {}): Promise<KcatJsonRecord[]> {
  const run = await kcatOk(consumeArgs(bootstrap, topic, options, ['-J']), { timeoutMs: options.timeoutMs });
  return sortRecords(parseJsonRecords(run.stdout));
}

/** The same through -f RECORD_FORMAT (headers as kcat's `%h` text). */
export async function consumeFormatted(bootstrap: string, topic: string, options: ConsumeOptions = {}): Promise<KcatRecord[]> {
  const run = await kcatOk(consumeArgs(bootstrap, topic, options, ['-f', RECORD_FORMAT]), { timeoutMs: options.timeoutMs });
  return sortRecords(parseRecords(run.stdout));
}

/** kcat interleaves partitions: by partition, then offset. */
function sortRecords<T extends { partition: number; offset: number }>(records: T[]): T[] {
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
