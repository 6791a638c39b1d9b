import type { ChildProcess } from 'node:child_process';
import { spawnTs } from '../../../../../../test/support/ts-child.js';

export interface KilledRun {
  /** The log end offset the child printed after opening (`open <offset>`). */
  openedAt: bigint;
  /** Last offsets of the appends it reported durable (`flushed <offset>`) before the kill. */
  flushed: bigint[];
  stderr: string;
}

/**
 * Starts a writer child (`script` with `args`), waits for its `open` line and then
 * `killAfter` `flushed` lines, then SIGKILLs it. Rejects if it exits any other way.
 */
export function runUntilKilled(script: string, args: string[], killAfter: number): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawnTs(script, args);
    const result: KilledRun = { openedAt: -1n, flushed: [], stderr: '' };
    let pending = '';
    let killed = false;
    child.stderr!.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const [kind, value] = line.split(' ');
        if (kind === 'open') result.openedAt = BigInt(value!);
        if (kind === 'flushed' && !killed) result.flushed.push(BigInt(value!));
        if (!killed && result.openedAt >= 0n && result.flushed.length >= killAfter) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(result);
      else reject(new Error(`writer exited with ${code ?? signal}: ${result.stderr}`));
    });
  });
}
