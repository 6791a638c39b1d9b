// Module load hook: TypeScript sources of this repository through swc with the same
// options as the test runner (.swcrc: legacy decorators with decorator metadata). tsx
// (esbuild) cannot emit decorator metadata, which Nest's dependency injection reads, so
// the gateway's sources do not run under tsx alone. tsx still resolves `.js` to `.ts`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform, type Options } from '@swc/core';

type LoadContext = { format?: string | null | undefined };
type LoadResult = { format: string; source?: string | Buffer; shortCircuit?: boolean };
type NextLoad = (url: string, context?: LoadContext) => Promise<LoadResult>;

const root = new URL('../../', import.meta.url);
const swcOptions = readFile(new URL('.swcrc', root), 'utf8').then((text) => {
  const { $schema: _schema, ...options } = JSON.parse(text) as Options & { $schema?: string };
  return { ...options, swcrc: false } satisfies Options;
});

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
  if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  const { code } = await transform(await readFile(filename, 'utf8'), { ...(await swcOptions), filename });
  return { format: 'module', source: code, shortCircuit: true };
}
