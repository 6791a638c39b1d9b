// The parent's handle on one bench/scale/broker-child.ts process: forks it with the
// bench runner's flags and sends it commands one at a time.
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildCommand } from './broker-child.js';

type Reply =
  | { type: 'ready'; sinceProcessStartMs: number }
  | { type: 'progress'; topics: number; ms: number }
  | { type: 'done'; command: string; figures: Record<string, number> }
  | { type: 'failed'; command: string; message: string };

export class BrokerProcess {
  private pending: { resolve: (figures: Record<string, number>) => void; reject: (err: Error) => void } | undefined;
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    /** performance.now() of the parent when the fork was issued. */
    readonly forkedAt: number,
    private readonly onProgress: (topics: number, ms: number) => void,
  ) {
    child.on('message', (reply: Reply) => this.onReply(reply));
    child.on('exit', (code) => {
      this.exited = true;
      this.pending?.reject(new Error(`broker child exited with code ${code}`));
      this.pending = undefined;
    });
  }

  /** Forks the child and waits until its modules are loaded (the Node + tsx floor is measured from the fork). */
  static async fork(onProgress: (topics: number, ms: number) => void = () => {}, extraExecArgv: readonly string[] = []): Promise<{ process: BrokerProcess; loadedMs: number }> {
    const forkedAt = performance.now();
    const child = fork(new URL('./broker-child.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx', '--conditions=weir-source', '--expose-gc', ...extraExecArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const loaded = new Promise<number>((resolve, reject) => {
      child.once('message', () => resolve(performance.now() - forkedAt));
      child.once('exit', (code) => reject(new Error(`broker child exited with code ${code} before it was ready`)));
    });
    const handle = new BrokerProcess(child, forkedAt, onProgress);
    return { process: handle, loadedMs: await loaded };
  }

  send(command: ChildCommand): Promise<Record<string, number>> {
    if (this.exited) return Promise.reject(new Error('broker child has exited'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(command);
    });
  }

  /** Waits for the child to exit after its `stop`. */
  async exit(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }

  private onReply(reply: Reply): void {
    if (reply.type === 'ready') return;
    if (reply.type === 'progress') return this.onProgress(reply.topics, reply.ms);
    const pending = this.pending;
    this.pending = undefined;
    if (reply.type === 'done') pending?.resolve(reply.figures);
    else pending?.reject(new Error(`broker child: ${reply.command} failed: ${reply.message}`));
  }
}
