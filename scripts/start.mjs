// `npm start`: builds what is not built yet, then runs the gateway (REST, default :8082)
// and the console (default :3000) together, and stops both when either stops or on
// Ctrl-C. `npm run dev` runs both with hot reload instead. `--brokers N` (WEIR_BROKERS)
// hosts N brokers in the gateway process, each with its own Kafka listener.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dev = process.argv.includes('--dev');
const brokers = brokersArgument(process.argv.slice(2)) ?? process.env.WEIR_BROKERS;
const restPort = process.env.WEIR_REST_PORT ?? '8082';
const consolePort = process.env.WEIR_CONSOLE_PORT ?? '3000';
const host = process.env.WEIR_HOST ?? '127.0.0.1';
const kafkaPort = process.env.WEIR_KAFKA_PORT ?? '9092';
const dataDir = resolve(root, process.env.WEIR_DATA_DIR ?? 'data');
/** Where a browser on this machine reaches the console; the first start's login link points there. */
const consoleHost = ['0.0.0.0', '::', '[::]'].includes(host) ? '127.0.0.1' : host;
if (process.env.WEIR_REST_TLS === 'true') {
  // The console and this script reach the gateway over loopback HTTP; HTTPS is for a gateway run on its own.
  console.error('weir: npm start keeps REST on HTTP beside the console; run `node apps/gateway/dist/main.js` for WEIR_REST_TLS=true, or put a TLS proxy in front of the console');
  process.exit(2);
}
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  WEIR_GATEWAY_URL: process.env.WEIR_GATEWAY_URL ?? `http://${host}:${restPort}`,
  WEIR_CONSOLE_URL: process.env.WEIR_CONSOLE_URL ?? `http://${consoleHost}:${consolePort}`,
  ...(brokers === undefined ? {} : { WEIR_BROKERS: brokers }),
};

/** `--brokers N` or `--brokers=N`; the gateway validates the number (WEIR_BROKERS). */
function brokersArgument(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--brokers') {
      if (args[i + 1] === undefined) {
        console.error('weir: --brokers needs a number, e.g. npm start -- --brokers 3');
        process.exit(2);
      }
      return args[i + 1];
    }
    if (args[i].startsWith('--brokers=')) return args[i].slice('--brokers='.length);
  }
  return undefined;
}

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
/** The admin API key the gateway's first start wrote (authentication on), else undefined. */
function adminKeyFile() {
  const file = join(dataDir, 'admin-api-key');
  return existsSync(file) ? file : undefined;
}

/** Every hosted broker's Kafka address, as the gateway reports them (free ports included). */
async function kafkaAddresses() {
  try {
    const rest = `http://${host}:${restPort}`;
    const keyFile = adminKeyFile();
    const headers = keyFile === undefined ? {} : { authorization: `Bearer ${readFileSync(keyFile, 'utf8').trim()}` };
    const get = async (path) => (await fetch(`${rest}${path}`, { headers, signal: AbortSignal.timeout(2000) })).json();
    const clusters = await get('/v3/clusters');
    const list = await get(`/v3/clusters/${clusters.data[0].cluster_id}/brokers`);
    const hosted = list.data.filter((b) => b.hosted_here && b.port !== null).map((b) => `broker ${b.broker_id} ${b.host}:${b.port}`);
    if (hosted.length > 0) return hosted.join(', ');
  } catch {
    // fall back on the configured port below
  }
  return kafkaPort === '0' ? 'on free ports (see the gateway log)' : `${host}:${kafkaPort}`;
}

if (gatewayUp && consoleUp) {
  const keyFile = adminKeyFile();
  console.log(`weir: ready. REST API http://${host}:${restPort} (docs /docs) · Kafka ${await kafkaAddresses()} · console http://${host}:${consolePort}${keyFile === undefined ? '' : ` · admin API key in ${keyFile}`}`);
} else if (!stopping) {
  console.error(`weir: not ready after 120 s (gateway ${gatewayUp ? 'up' : 'down'}, console ${consoleUp ? 'up' : 'down'})`);
  stopAll(1);
}
