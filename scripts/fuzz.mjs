// `npm run fuzz -- <name> [args...]` runs fuzz/<name>.ts (or fuzz/<name>/main.ts)
// with the workspace packages resolved to their TypeScript sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const [name, ...args] = process.argv.slice(2);
const candidates = name ? [join(root, 'fuzz', `${name}.ts`), join(root, 'fuzz', name, 'main.ts')] : [];
const script = candidates.find((file) => existsSync(file));
if (!script) {
  const available = readdirSync(join(root, 'fuzz'))
    .filter((entry) => entry.endsWith('.ts') || existsSync(join(root, 'fuzz', entry, 'main.ts')))
    .map((entry) => entry.replace(/\.ts$/, ''));
  console.error(`usage: npm run fuzz -- <name> [args]   (available: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=weir-source', script, ...args], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
