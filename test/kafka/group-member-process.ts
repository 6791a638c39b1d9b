import { type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { spawnTs } from '../support/ts-child.js';

const CHILD = new URL('./group-member.child.ts', import.meta.url).pathname;

/** What the member process reports, one per stdout line, in the order it happened there. */
export type GroupMemberEvent =
  | { readonly kind: 'join'; readonly partitions: readonly number[] }
  | { readonly kind: 'release' }
  | { readonly kind: 'record'; readonly value: string };

/**
 * A kafkajs consumer-group member in a child process (group-member.child.ts), for tests
 * that kill a member outright. Its events reach `onEvent` in the order it wrote them.
 * Once `kill()` is called, only records still come through (those it wrote before dying
 * may have been committed, so they count as consumed); assignments do not, since its
 * ownership ends at the kill. `kill()` resolves once the last line is read. The child
 * exits when its stdin closes, so it cannot outlive this process. One test drives it.
 */
export class GroupMemberProcess {
  private readonly exit: Promise<void>;
  private readonly stdoutRead: Promise<void>;
  private stderrTail = '';
  private killed = false;

  private constructor(private readonly child: ChildProcess, onEvent: (e: GroupMemberEvent) => void) {
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000)));
    const lines = createInterface({ input: child.stdout! });
    this.stdoutRead = new Promise((resolve) => lines.once('close', () => resolve()));
    lines.on('line', (line) => {
      const event = JSON.parse(line) as GroupMemberEvent;
      if (!this.killed || event.kind === 'record') onEvent(event);
    });
  }

  static start(bootstrap: string, groupId: string, topic: string, sessionTimeoutMs: number, onEvent: (e: GroupMemberEvent) => void): GroupMemberProcess {
    const child = spawnTs(CHILD, [bootstrap, groupId, topic, String(sessionTimeoutMs)], { stdio: ['pipe', 'pipe', 'pipe'] });
    return new GroupMemberProcess(child, onEvent);
  }

  /** The end of the child's stderr, for failure messages. */
  get stderr(): string {
    return this.stderrTail;
  }

  /** SIGKILLs the member (no LeaveGroup, no commit) and waits until the process is gone. */
  async kill(): Promise<void> {
    this.killed = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exit;
    await this.stdoutRead;
  }
}
