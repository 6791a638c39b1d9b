import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc times (100 on Linux everywhere that matters). */
const CLOCK_TICKS = 100;

export interface ChildRun {
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
  /** CPU time of this process over the run, as a share of one core. */
  readonly selfCpu: number;
  /** CPU time of the child over the run, as a share of one core (NaN where /proc is not there). */
  readonly childCpu: number;
}

/** CPU seconds of this process's reaped children (cutime + cstime from /proc/self/stat), NaN without /proc. */
function reapedChildrenCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17.
    return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * Runs a load generator (kcat, redis-benchmark, ...) to completion with stdin on
 * /dev/null, timed from spawn to exit; rejects on a non-zero exit or after `timeoutMs`.
 * stdout is collected only when `keepStdout` (else it goes to /dev/null).
 */
export function timeChild(command: string, args: readonly string[], options: { timeoutMs?: number; keepStdout?: boolean } = {}): Promise<ChildRun> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const childCpu = reapedChildrenCpuSeconds();
    const child = spawn(command, args, { stdio: ['ignore', options.keepStdout === true ? 'pipe' : 'ignore', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} still running after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpu);
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString();
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ ms, stdout: Buffer.concat(out).toString(), stderr, selfCpu: (used.user + used.system) / 1000 / ms, childCpu: (reapedChildrenCpuSeconds() - childCpu) / (ms / 1000) });
    });
  });
}
