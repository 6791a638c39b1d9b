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

/** This process's resident set size in bytes. */
export function ownRss(): number {
  return process.memoryUsage.rss();
}
