import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from '../../test/support/cluster-rest.js';
import { REPO_ROOT } from '../../test/support/ts-child.js';

const MAIN = 'apps/gateway/src/main.ts';
/** Variables of the bench process that must not leak into the gateway's environment. */
const OWN_VARIABLES = /^(WEIR_|DATABASE_URL$)/;

/**
 * The gateway as `npm start` runs it (one broker, embedded PGlite registry, REST and Kafka
 * listeners) in its own process, from the sources (compiled by swc for Nest's decorator
 * metadata), on a data dir and ports that stay the same across restarts. `stop()` is a
 * clean SIGTERM (logs closed, manifests written), so a restart measures a clean open.
 */
export class BenchGateway {
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
  static async start(dataDir: string, env: Readonly<Record<string, string>>, nodeFlags: readonly string[], readyWithinMs: number): Promise<BenchGateway> {
    const gateway = new BenchGateway(dataDir, await freePort(), await freePort(), env, nodeFlags);
    await gateway.restart(readyWithinMs);
    return gateway;
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.kafkaPort}`;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.restPort}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops a running process cleanly, starts a new one and waits until /readyz answers; returns the ms that took from the spawn. */
  async restart(readyWithinMs: number): Promise<number> {
    await this.stop();
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OWN_VARIABLES.test(name)));
    const started = performance.now();
    const child = spawn(process.execPath, [...this.nodeFlags, '--import', 'tsx', '--import', './scripts/swc-hooks.mjs', '--conditions=weir-source', MAIN], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...inherited, NO_COLOR: '1', WEIR_LOG_LEVEL: 'warn', ...this.env,
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
    const outcome = await waitFor(`the gateway on ${this.baseUrl} ready`, async () => {
      if (exited) return 'exited';
      try {
        return (await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) })).ok && 'ready';
      } catch {
        return false;
      }
    }, readyWithinMs, 100).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${this.output}`, { cause: err });
    });
    if (outcome === 'exited') throw new Error(`the gateway exited before it was ready:\n${this.output}`);
    return performance.now() - started;
  }

  /** SIGKILL and wait: for the end of a run whose data dir is discarded anyway. */
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
