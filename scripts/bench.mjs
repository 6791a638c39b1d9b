// `npm run bench -- <name> [args...]` runs bench/<name>.ts (or bench/<name>/main.ts)
// with the workspace packages resolved to their TypeScript sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const [name, ...args] = process.argv.slice(2);
const candidates = name ? [join(root, 'bench', `${name}.ts`), join(root, 'bench', name, 'main.ts')] : [];
const script = candidates.find((file) => existsSync(file));
if (!script) {
  const available = readdirSync(join(root, 'bench'))
    .filter((entry) => entry.endsWith('.ts') || existsSync(join(root, 'bench', entry, 'main.ts')))
    .map((entry) => entry.replace(/\.ts$/, ''));
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=weir-source', '--expose-gc', script, ...args], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
