import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from './cluster-rest.js';
import { REPO_ROOT } from './ts-child.js';

const MAIN = 'apps/gateway/src/main.ts';
/** Variables of this process that must not leak into the gateway's environment. */
const OWN_VARIABLES = /^(WEIR_|DATABASE_URL$)/;

/**
 * A one-broker gateway as `npm start` runs it, in its own process, from the sources
 * (compiled by swc, as Nest's injection needs decorator metadata), on a data dir and Kafka
 * and REST ports that stay the same across restarts, so clients keep their addresses and a
 * restart opens what the previous process left on disk. `stop()` is SIGTERM (shutdown
 * hooks close the broker), `kill()` SIGKILL (nothing runs). However the parent ends, the
 * gateway goes with it.
 */
export class GatewayChild {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  private output = '';

  private constructor(
    readonly dataDir: string,
    readonly kafkaPort: number,
    readonly restPort: number,
    private readonly env: Readonly<Record<string, string>>,
    private readonly nodeFlags: readonly string[],
  ) {}

  /**
   * Starts the gateway with `env` added to its environment and `nodeFlags` given to node
   * (`--cpu-prof` to profile it); resolves once /readyz answers.
   */
  static async start(dataDir: string, env: Readonly<Record<string, string>>, readyWithinMs: number, nodeFlags: readonly string[] = []): Promise<GatewayChild> {
    const gateway = new GatewayChild(dataDir, await stablePort(), await stablePort(), env, nodeFlags);
    await gateway.restart(readyWithinMs);
    return gateway;
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.kafkaPort}`;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.restPort}`;
  }

  /** The running process's id (undefined before the first start). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The end of what the process wrote (both streams, all starts), for failure messages. */
  get log(): string {
    return this.output;
  }

  /**
   * Stops a running process cleanly, starts a new one and waits until /readyz answers;
   * returns the ms from the spawn until then. A start that fails is killed.
   */
  async restart(readyWithinMs: number): Promise<number> {
    await this.stop();
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OWN_VARIABLES.test(name)));
    const started = performance.now();
    const child = spawn(process.execPath, [...this.nodeFlags, '--import', 'tsx', '--import', './scripts/swc-hooks.mjs', '--conditions=weir-source', MAIN], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        // Benchmarks drive these gateways far past a person's request rate.
        ...inherited, NO_COLOR: '1', WEIR_LOG_LEVEL: 'warn', WEIR_AUTH: 'off', WEIR_RATE_LIMIT_PER_MINUTE: '10000000', ...this.env,
        WEIR_DATA_DIR: this.dataDir, WEIR_HOST: '127.0.0.1', WEIR_REST_PORT: String(this.restPort), WEIR_KAFKA_PORT: String(this.kafkaPort),
      },
    });
    this.child = child;
    const orphanGuard = (): void => void child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    this.exit = new Promise((resolve) => child.once('exit', () => {
      process.off('exit', orphanGuard);
      resolve();
    }));
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-8000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let exited = false;
    void this.exit.then(() => (exited = true));
    try {
      const outcome = await waitFor(`the gateway on ${this.baseUrl} ready`, async () => {
        if (exited) return 'exited';
        try {
          return (await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) })).ok && 'ready';
        } catch {
          return false; // not listening yet
        }
      }, readyWithinMs, 100);
      if (outcome === 'exited') throw new Error('the gateway exited before it was ready');
    } catch (err) {
      await this.kill();
      throw new Error(`${(err as Error).message}\n${this.output}`, { cause: err });
    }
    return performance.now() - started;
  }

  /** SIGKILL and wait. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM and wait: the gateway's shutdown hooks close the broker. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await this.exit;
  }
}

/**
 * A port free right now, below Linux's ephemeral range (32768-60999), so that no
 * outgoing connection takes it while the gateway is down between a stop and its restart.
 */
async function stablePort(): Promise<number> {
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 20000-32000');
}
