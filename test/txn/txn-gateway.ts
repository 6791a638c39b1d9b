import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from '../support/cluster-rest.js';
import { REPO_ROOT } from '../support/ts-child.js';

/**
 * Gateway settings for the transaction suites: groups rebalance without the initial
 * delay (readers and workers join at once), the coordinator looks for timed-out
 * transactions every 200 ms instead of every 10 s, and `__transaction_state` is small
 * (5 partitions, one replica: one broker).
 */
export const TXN_GATEWAY_ENV: Readonly<Record<string, string>> = {
  WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
  WEIR_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS: '200',
  WEIR_TRANSACTION_STATE_LOG_NUM_PARTITIONS: '5',
  WEIR_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
};

const MAIN = 'apps/gateway/src/main.ts';
/** Variables of the test process that must not leak into the gateway's environment. */
const OWN_VARIABLES = /^(WEIR_|DATABASE_URL$)/;

/**
 * A one-broker gateway as its own process, run from the sources (compiled by swc, as
 * Nest's injection needs decorator metadata), on a data dir and Kafka and REST ports
 * that stay the same across restarts, so that clients keep their addresses and a restart
 * after SIGKILL recovers what the killed process left on disk. With TXN_GATEWAY_ENV and a
 * 3 s registry session, so that a restart after SIGKILL waits out a short lease.
 * `kill()` is SIGKILL: no shutdown hook runs. One test drives it.
 */
export class TxnGatewayProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  private output = '';

  private constructor(
    readonly dataDir: string,
    readonly kafkaPort: number,
    readonly restPort: number,
  ) {}

  static async start(dataDir: string, readyWithinMs: number): Promise<TxnGatewayProcess> {
    const [kafkaPort, restPort] = [await freePort(), await freePort()];
    const gateway = new TxnGatewayProcess(dataDir, kafkaPort!, restPort!);
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

  /** Starts the process (SIGKILLing a running one first) and waits until /readyz answers. */
  async restart(readyWithinMs: number): Promise<void> {
    await this.kill();
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OWN_VARIABLES.test(name)));
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './scripts/swc-hooks.mjs', '--conditions=weir-source', MAIN], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...inherited, ...TXN_GATEWAY_ENV, NO_COLOR: '1', WEIR_LOG_LEVEL: 'warn', WEIR_SESSION_TIMEOUT_MS: '3000',
        WEIR_DATA_DIR: this.dataDir, WEIR_HOST: '127.0.0.1', WEIR_REST_PORT: String(this.restPort), WEIR_KAFKA_PORT: String(this.kafkaPort),
      },
    });
    this.child = child;
    // However this process ends (a failed hook, a jest timeout), the gateway goes with it.
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
        return (await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) })).ok && 'ready';
      }, readyWithinMs, 100);
      if (outcome === 'exited') throw new Error('the gateway exited before it was ready');
    } catch (err) {
      await this.kill();
      throw new Error(`${(err as Error).message}\n${this.output}`, { cause: err });
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await this.exit;
  }
}

/**
 * A port free right now, below Linux's ephemeral range (32768-60999), so that no
 * outgoing connection takes it while the gateway is down between a kill and its restart.
 */
async function freePort(): Promise<number> {
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
