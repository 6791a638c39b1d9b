import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One measurement, run by load-child.ts. */
export type LoadJob =
  | { readonly kind: 'single' | 'bare'; readonly url: string; readonly connections: number; readonly pipelining: number; readonly durationSec: number }
  | { readonly kind: 'batch'; readonly url: string; readonly connections: number; readonly pipelining: number; readonly durationSec: number; readonly recordsPerRequest: number }
  | { readonly kind: 'stream'; readonly url: string; readonly connections: number; readonly durationSec: number; readonly recordsPerWrite: number };

export interface LoadResult {
  /** 2xx answers per second (NaN for streaming: one request per connection). */
  readonly requestsPerSec: number;
  readonly recordsPerSec: number;
  /** 2xx answers, or for streaming records reported with error_code 200. */
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const CHILD = fileURLToPath(new URL('./load-child.ts', import.meta.url));

/** Runs a job in a child Node process with this process's loader flags (tsx, source conditions). */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CHILD, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (out += text));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${job.kind} load exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
    });
  });
}
