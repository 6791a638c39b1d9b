import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { spawnTs } from '../support/ts-child.js';

const CHILD = new URL('./eos-worker.child.ts', import.meta.url).pathname;

export interface EosWorkerArgs {
  readonly bootstrap: string;
  readonly input: string;
  readonly output: string;
  readonly groupId: string;
  readonly transactionalId: string;
  readonly transactionTimeoutMs: number;
  /** The consumer's per-partition fetch size: small, so that each fetch (one transaction per batch) holds few records. */
  readonly maxBytesPerPartition: number;
}

/** What the worker reports, one JSON line each, in the order it happened there. */
export type EosWorkerEvent =
  | { readonly kind: 'ready' }
  | { readonly kind: 'checkpoint'; readonly phase: 'sent' | 'offsets'; readonly inputs: readonly string[] }
  | { readonly kind: 'committed'; readonly inputs: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

/**
 * The consume-transform-produce worker (eos-worker.child.ts) as a child process. The
 * test sees its events through `onEvent` and answers each checkpoint with `proceed()` or
 * `kill()`. After `kill()` nothing more is reported: the process is gone (SIGKILL, no
 * clean-up of any kind) once it resolves. The child exits when its stdin closes, so it
 * cannot outlive the test process. One test drives it.
 */
export class EosWorkerProcess {
  private readonly exit: Promise<void>;
  private stderrTail = '';
  private killed = false;

  private constructor(private readonly child: ChildProcess, onEvent: (event: EosWorkerEvent) => void, onExit: (code: number | null) => void) {
    this.exit = new Promise((resolve) => child.once('exit', (code) => {
      if (!this.killed) onExit(code);
      resolve();
    }));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!this.killed) onEvent(JSON.parse(line) as EosWorkerEvent);
    });
  }

  /** `onExit` hears of an exit the test did not cause (a crash of the worker). */
  static start(args: EosWorkerArgs, onEvent: (event: EosWorkerEvent) => void, onExit: (code: number | null) => void): EosWorkerProcess {
    const child = spawnTs(CHILD, [JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'pipe'] });
    return new EosWorkerProcess(child, onEvent, onExit);
  }

  get stderr(): string {
    return this.stderrTail;
  }

  /** Lets the worker past the checkpoint it waits at. */
  proceed(): void {
    this.child.stdin!.write('go\n');
  }

  /** SIGKILL, and waits until the process is gone. */
  async kill(): Promise<void> {
    this.killed = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exit;
  }
}
