import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, where `tsx` and the workspace packages resolve from. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts a TypeScript file as a real child process (for crash and multi-process tests),
 * with workspace packages resolved to their sources like the tests themselves.
 */
export function spawnTs(script: string, args: string[] = [], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--conditions=weir-source', script, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
}
