import { readFileSync } from 'node:fs';

/** The resident set size of process `pid` in bytes (VmRSS in /proc/<pid>/status), or undefined once it is gone. */
export function processRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * This process's resident set size in bytes, after a full garbage collection when the
 * process runs with --expose-gc (npm test does). A test runner's process holds what the
 * suites before this one left, and V8 lets a large heap grow by more before it collects:
 * without the collection the figure counts garbage not yet reached, not what the broker
 * keeps.
 */
export function ownRss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage.rss();
}
