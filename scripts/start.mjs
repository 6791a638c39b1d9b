// `npm start`: builds what is not built yet, then runs the gateway (REST, default :8082)
// and the console (default :3000) together, and stops both when either stops or on
// Ctrl-C. `npm run dev` runs both with hot reload instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dev = process.argv.includes('--dev');
const restPort = process.env.WEIR_REST_PORT ?? '8082';
const consolePort = process.env.WEIR_CONSOLE_PORT ?? '3000';
const host = process.env.WEIR_HOST ?? '127.0.0.1';
const kafkaPort = process.env.WEIR_KAFKA_PORT ?? '9092';
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  WEIR_GATEWAY_URL: process.env.WEIR_GATEWAY_URL ?? `http://${host}:${restPort}`,
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.status !== 0) {
    console.error(`weir: \`${command} ${args.join(' ')}\` failed`);
    process.exit(result.status ?? 1);
  }
}

function newestMtimeMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.next' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function consoleNeedsBuild() {
  const buildId = join(root, 'apps/console/.next/BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return newestMtimeMs(join(root, 'apps/console')) > built || newestMtimeMs(join(root, 'libs/contracts/src')) > built;
}

const children = [];
let stopping = false;

function start(name, command, args, extraEnv = {}) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`weir: ${name} stopped (${signal ?? `exit ${code}`}); stopping the rest`);
      stopAll(code ?? 1);
    }
  });
  children.push(child);
}

function stopAll(exitCode) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  let pending = children.filter((child) => child.exitCode === null).length;
  if (pending === 0) process.exit(exitCode);
  for (const child of children) {
    child.once('exit', () => {
      pending -= 1;
      if (pending === 0) process.exit(exitCode);
    });
  }
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

const nextBin = join(root, 'node_modules/next/dist/bin/next');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
if (dev) {
  // The gateway needs decorator metadata, which only tsc/swc emit (esbuild-based runners
  // do not), so dev mode keeps `tsc -b --watch` running and restarts node on new output.
  run(process.execPath, [tsc, '-b', 'libs/contracts', 'libs/broker-core', 'libs/registry-prisma', 'apps/gateway']);
  start('compiler', process.execPath, [tsc, '-b', '--watch', '--preserveWatchOutput', 'libs/contracts', 'libs/broker-core', 'libs/registry-prisma', 'apps/gateway']);
  start('gateway', process.execPath, [...['apps/gateway', 'libs/broker-core', 'libs/registry-prisma', 'libs/contracts'].map((dir) => `--watch-path=${dir}/dist`), 'apps/gateway/dist/main.js']);
  start('console', process.execPath, [nextBin, 'dev', 'apps/console', '--port', consolePort, '--hostname', host]);
} else {
  run(process.execPath, [tsc, '-b', 'libs/contracts', 'libs/broker-core', 'libs/registry-prisma', 'apps/gateway']);
  if (consoleNeedsBuild()) run(process.execPath, [nextBin, 'build', 'apps/console']);
  start('gateway', process.execPath, ['apps/gateway/dist/main.js']);
  start('console', process.execPath, [nextBin, 'start', 'apps/console', '--port', consolePort, '--hostname', host]);
}
async function waitUntilUp(url, deadlineMs) {
  while (Date.now() < deadlineMs && !stopping) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

const deadline = Date.now() + 120_000;
const [gatewayUp, consoleUp] = await Promise.all([
  waitUntilUp(`http://${host}:${restPort}/readyz`, deadline),
  waitUntilUp(`http://${host}:${consolePort}/`, deadline),
]);
if (gatewayUp && consoleUp) {
  const kafka = kafkaPort === '0' ? 'Kafka protocol on a free port (see the gateway log)' : `Kafka bootstrap ${host}:${kafkaPort}`;
  console.log(`weir: ready. REST API http://${host}:${restPort} (docs /docs) · ${kafka} · console http://${host}:${consolePort}`);
} else if (!stopping) {
  console.error(`weir: not ready after 120 s (gateway ${gatewayUp ? 'up' : 'down'}, console ${consoleUp ? 'up' : 'down'})`);
  stopAll(1);
}
