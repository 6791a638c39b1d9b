import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc times. */
const CLOCK_TICKS = 100;

/** utime + stime of a process in seconds (from /proc/<pid>/stat), NaN where /proc is missing. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[14 - 3]) + Number(fields[15 - 3])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
