import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/ts-child.js';

const CONSOLE_DIR = join(REPO_ROOT, 'apps/console');
const NEXT_BIN = join(REPO_ROOT, 'node_modules/next/dist/bin/next');

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.next') || entry.name === 'dist' || entry.name.endsWith('.tsbuildinfo')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the console (and the contracts it imports) unless the last build is newer than every source. */
export function ensureConsoleBuilt(): void {
  // WEIR_CONSOLE_DIST_DIR (read by next.config.ts) gives a build of its own to a parallel run.
  const buildId = join(CONSOLE_DIR, process.env.WEIR_CONSOLE_DIST_DIR ?? '.next', 'BUILD_ID');
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (builtAt > Math.max(newestMtimeMs(CONSOLE_DIR), newestMtimeMs(join(REPO_ROOT, 'libs/contracts/src')))) return;
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  for (const args of [[join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'libs/contracts'], [NEXT_BIN, 'build', 'apps/console']]) {
    const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`console build failed (${args.join(' ')}):\n${result.stdout}\n${result.stderr}`);
  }
}

export interface RunningConsole {
  readonly url: string;
  stop(): Promise<void>;
}

/** `next start` on an ephemeral port of 127.0.0.1, talking to the given gateway. */
export async function startConsole(gatewayUrl: string): Promise<RunningConsole> {
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, 'start', CONSOLE_DIR, '--port', '0', '--hostname', '127.0.0.1'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', WEIR_GATEWAY_URL: gatewayUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Local:\s+(http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`console exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
