// The load hook registered by swc-hooks.mjs (hooks run on their own thread, so they
// live in their own module). `.ts` files are compiled as ES modules with .swcrc.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from '@swc/core';

const swcrc = JSON.parse(readFileSync(new URL('../.swcrc', import.meta.url), 'utf8'));
delete swcrc.$schema;

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || url.includes('/node_modules/') || !/\.[cm]?ts$/.test(new URL(url).pathname)) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcrc, filename, swcrc: false });
  return { format: 'module', source: code, shortCircuit: true };
}
