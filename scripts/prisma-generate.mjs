// `npm run db:generate` (also run by `postinstall`): generates the Prisma client from
// prisma/schema.prisma into libs/registry-prisma/src/generated/.
//
// Prisma 7's `generate` wants a schema-engine binary and tries to download one, which
// fails without internet. Generation itself never runs that engine (the client uses the
// WebAssembly query compiler and a driver adapter), so any existing file satisfies the
// check. A real engine, if one is configured, is left alone.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

let cli;
try {
  cli = require.resolve('prisma/build/index.js');
} catch {
  console.error('db:generate: the `prisma` package is not installed; run `npm install` first');
  process.exit(1);
}

const configured = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: configured && existsSync(configured) ? configured : process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};

const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error(`db:generate: prisma generate failed (exit ${result.status ?? result.signal})`);
  process.exit(result.status ?? 1);
}
