import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './ts-child.js';

/** The built gateway: one broker per process (`npm run build` makes it). */
export const GATEWAY_MAIN = join(REPO_ROOT, 'apps/gateway/dist/main.js');

/** main.ts's ready line names the bound REST address (WEIR_REST_PORT=0 picks any). */
const READY_LINE = /REST API on (http:\/\/[^\s]+?:\d+) /;
// Colour codes, in case a log line carries them despite NO_COLOR.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const POLL_MS = 50;
/** Nest's start-up lines (one per route and module): left out of log tails. */
const START_UP_NOISE = /\[(RouterExplorer|RoutesResolver|InstanceLoader)\]/;
/** Variables of the test process that must not leak into a broker's environment. */
const OWN_VARIABLES = /^(WEIR_|DATABASE_URL$)/;

export type BrokerProcessState = 'running' | 'paused' | 'dead';

/** Where a broker process runs, when not on this host's loopback. */
export interface BrokerPlacement {
  /** The address clients reach its Kafka port on (its WEIR_ADVERTISED_HOST); default 127.0.0.1. */
  readonly host?: string;
  /** A command the gateway runs under, e.g. `ip netns exec <ns>` (it must exec, keeping the pid). */
  readonly commandPrefix?: readonly string[];
}

/** Every broker process group this test process started and has not seen exit. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Kills whatever broker process groups are still alive when this process exits, however
 * it exits (a failed beforeAll, a jest timeout, an uncaught error): no orphan brokers.
 * Only SIGKILL can be sent synchronously there, which is what a leftover needs anyway.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  });
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * One broker as its own OS process (`node apps/gateway/dist/main.js`), in its own process
 * group so that signals reach it and anything it starts. Identity survives restarts: the
 * broker id, data dir, Kafka port (clients and other brokers keep its address) and log
 * file stay; the REST port is chosen by the OS at every start (learned from the ready
 * line), so read `baseUrl` after a restart.
 *
 * stdout and stderr go straight to `logFile` (appended, one marker line per start), so
 * a stopped or paused broker never blocks on a full pipe and the file survives this
 * process. Callers: one test at a time; the methods wait for the state they announce.
 */
export class BrokerProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  private stateValue: BrokerProcessState = 'dead';
  private baseUrlValue: string | undefined;
  private starts = 0;
  /** How each process of this broker ended that the harness did not end itself. */
  readonly unexpectedExits: string[] = [];
  private expectingExit = false;

  constructor(
    readonly brokerId: number,
    readonly dataDir: string,
    readonly kafkaPort: number,
    readonly logFile: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly placement: BrokerPlacement = {},
  ) {}

  get state(): BrokerProcessState {
    return this.stateValue;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** `http://<host>:<rest port>` of the running process. */
  get baseUrl(): string {
    if (this.baseUrlValue === undefined || this.stateValue === 'dead') throw new Error(`broker ${this.brokerId} is not running`);
    return this.baseUrlValue;
  }

  get bootstrap(): string {
    return `${this.placement.host ?? '127.0.0.1'}:${this.kafkaPort}`;
  }

  /**
   * Starts the process and resolves once its REST door answers /readyz (the broker has
   * started: main.ts listens only after the broker module did). A broker restarted after
   * SIGKILL first waits for its previous session to expire, so allow 2 × session timeout.
   */
  async start(readyWithinMs: number): Promise<void> {
    if (this.stateValue !== 'dead') throw new Error(`broker ${this.brokerId} is already ${this.stateValue}`);
    if (!existsSync(GATEWAY_MAIN)) throw new Error(`${GATEWAY_MAIN} is missing: run \`npm run build\` before the cluster suites`);
    installExitHook();
    this.starts += 1;
    const fd = openSync(this.logFile, 'a');
    writeSync(fd, `\n==== broker ${this.brokerId} start #${this.starts} at ${new Date().toISOString()}\n`);
    const logOffset = statSync(this.logFile).size;
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OWN_VARIABLES.test(name)));
    let child: ChildProcess;
    try {
      const [command, ...args] = [...(this.placement.commandPrefix ?? []), process.execPath, GATEWAY_MAIN];
      child = spawn(command!, args, { cwd: REPO_ROOT, detached: true, stdio: ['ignore', fd, fd], env: { ...inherited, ...this.env } });
    } finally {
      closeSync(fd);
    }
    const pgid = child.pid!;
    this.child = child;
    this.stateValue = 'running';
    this.baseUrlValue = undefined;
    this.expectingExit = false;
    liveGroups.add(pgid);
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        liveGroups.delete(pgid);
        // The group may outlive its leader; nothing of it should.
        signalGroup(pgid, 'SIGKILL');
        if (!this.expectingExit) this.unexpectedExits.push(`start #${this.starts}: ${signal ?? `exit ${code}`}`);
        if (this.child === child) this.stateValue = 'dead';
        resolve();
      });
    });
    try {
      this.baseUrlValue = await this.waitUntilReady(logOffset, readyWithinMs);
    } catch (err) {
      await this.kill();
      throw err;
    }
  }

  /** SIGKILL to the process group: no shutdown hook, no flush beyond what the broker did. */
  async kill(): Promise<void> {
    await this.signalAndWait('SIGKILL');
  }

  /** SIGTERM: the gateway's shutdown hooks run (logs closed, registration removed); SIGKILL after `withinMs`. */
  async stop(withinMs = 30_000): Promise<void> {
    if (this.stateValue === 'paused') this.resume();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.signalAndWait('SIGTERM').then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), withinMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) await this.kill();
  }

  /** SIGSTOP: the process keeps its sockets and session but runs nothing until resumed. */
  pause(): void {
    if (this.stateValue !== 'running') throw new Error(`broker ${this.brokerId} cannot be paused: ${this.stateValue}`);
    signalGroup(this.child!.pid!, 'SIGSTOP');
    this.stateValue = 'paused';
  }

  /** SIGCONT after pause(). */
  resume(): void {
    if (this.stateValue !== 'paused') throw new Error(`broker ${this.brokerId} is not paused: ${this.stateValue}`);
    signalGroup(this.child!.pid!, 'SIGCONT');
    this.stateValue = 'running';
  }

  /** The last `lines` lines of the log file (all starts). */
  logTail(lines: number): string {
    if (!existsSync(this.logFile)) return '';
    const size = statSync(this.logFile).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = openSync(this.logFile, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    const text = buffer.toString('utf8').replace(ANSI, '');
    return text.split('\n').filter((line) => !START_UP_NOISE.test(line)).slice(-lines).join('\n');
  }

  private async signalAndWait(signal: NodeJS.Signals): Promise<void> {
    if (this.stateValue === 'dead') return;
    this.expectingExit = true;
    signalGroup(this.child!.pid!, signal);
    await this.exit;
  }

  private async waitUntilReady(logOffset: number, withinMs: number): Promise<string> {
    const deadline = Date.now() + withinMs;
    let baseUrl: string | undefined;
    while (Date.now() < deadline) {
      if (this.stateValue === 'dead') throw new Error(`broker ${this.brokerId} exited before it was ready:\n${this.logTail(30)}`);
      baseUrl ??= this.readyLineUrl(logOffset);
      if (baseUrl !== undefined) {
        try {
          if ((await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) })).ok) return baseUrl;
        } catch {
          // listening, not answering yet
        }
      }
      await delay(POLL_MS);
    }
    throw new Error(`broker ${this.brokerId} not ready within ${withinMs} ms:\n${this.logTail(30)}`);
  }

  private readyLineUrl(fromOffset: number): string | undefined {
    const size = statSync(this.logFile).size;
    if (size <= fromOffset) return undefined;
    const buffer = Buffer.alloc(size - fromOffset);
    const fd = openSync(this.logFile, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, fromOffset);
    } finally {
      closeSync(fd);
    }
    return READY_LINE.exec(buffer.toString('utf8').replace(ANSI, ''))?.[1];
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
