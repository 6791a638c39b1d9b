import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { REPO_ROOT } from '../support/ts-child.js';

const MAIN = 'apps/gateway/src/main.ts';
/** How often /readyz is asked while waiting. */
const POLL_MS = 100;

/**
 * The gateway as its own process (`main.ts` from the sources), so a test can SIGKILL it:
 * no shutdown hook runs, no log is closed, nothing is flushed beyond what produce did.
 *
 * Compiled by swc (scripts/swc-hooks.mjs) rather than tsx's esbuild, which emits no decorator
 * metadata for Nest's constructor injection. The port is picked free beforehand, since
 * main.ts logs the configured port, not the bound one.
 */
export class GatewayProcess {
  private exit: Promise<void>;
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    child.stdout?.resume();
  }

  /** Starts a gateway on dataDir and resolves once /readyz answers, or rejects at the deadline. */
  static async start(dataDir: string, readyWithinMs: number): Promise<GatewayProcess> {
    const port = await freePort();
    // tsx resolves the sources' `.js` specifiers to `.ts`; the swc hooks, registered after it, compile them.
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './scripts/swc-hooks.mjs', '--conditions=weir-source', MAIN], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WEIR_DATA_DIR: dataDir, WEIR_REST_PORT: String(port), WEIR_KAFKA_PORT: '0', WEIR_HOST: '127.0.0.1', WEIR_LOG_LEVEL: 'warn', WEIR_AUTH: 'off' },
    });
    const gateway = new GatewayProcess(child, `http://127.0.0.1:${port}`);
    await gateway.waitUntilReady(readyWithinMs);
    return gateway;
  }

  /** Kills the process with no chance to clean up and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exit;
  }

  /** A clean stop: SIGTERM runs the gateway's shutdown hooks (the broker closes its logs). */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exit;
  }

  private async waitUntilReady(withinMs: number): Promise<void> {
    const deadline = Date.now() + withinMs;
    let exited = false;
    void this.exit.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`gateway exited before it was ready:\n${this.stderr}`);
      try {
        if ((await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) })).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await this.kill();
    throw new Error(`gateway not ready within ${withinMs} ms:\n${this.stderr}`);
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
