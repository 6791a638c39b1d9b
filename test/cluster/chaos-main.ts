// `npm run chaos -- [--records N] [--kills K] [--brokers B] [--partitions P] [--seed S] [--keep]`
// (scripts/chaos.mjs builds the gateway, then runs this): the chaos run of
// test/cluster/chaos.e2e.ts at any size, with progress lines and a summary. Exits 1 when
// an acknowledged record is missing or out of order, 2 on bad arguments.
import { ProcessCluster } from '../support/cluster-processes.js';
import { kcatMissing } from '../support/kcat.js';
import { chaosHeld, formatChaosSummary, runChaos } from './chaos-run.js';

const USAGE = 'usage: npm run chaos -- [--records N] [--kills K] [--brokers B] [--partitions P] [--seed S] [--keep]';
const settings = { records: 1_000_000, kills: 20, brokers: 3, partitions: 6, seed: Date.now() % 1_000_000 };
let keep = false;

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  const flag = args[i]!;
  if (flag === '--keep') {
    keep = true;
    continue;
  }
  const name = flag.replace(/^--/, '');
  const value = Number(args[i + 1]);
  if (!flag.startsWith('--') || !(name in settings) || !Number.isSafeInteger(value) || value < 0) {
    console.error(`bad argument ${flag} ${args[i + 1] ?? ''}\n${USAGE}`);
    process.exit(2);
  }
  settings[name as keyof typeof settings] = value;
  i += 1;
}
if (settings.brokers < 2 || settings.partitions < 1 || settings.records < 1) {
  console.error(`need at least 2 brokers, 1 partition and 1 record\n${USAGE}`);
  process.exit(2);
}
const missing = kcatMissing();
if (missing !== undefined) {
  console.error(missing);
  process.exit(2);
}

console.log(`chaos: ${settings.brokers} broker processes, ${settings.records} records, ${settings.kills} leader kills, ${settings.partitions} partitions, seed ${settings.seed}`);
const cluster = await ProcessCluster.start({ name: 'chaos', brokers: settings.brokers, keepDir: keep });
console.log(`cluster dir ${cluster.dir}, database ${cluster.database.name}`);
let interrupted = false;
const interrupt = () => {
  if (interrupted) return;
  interrupted = true;
  console.error('interrupted: stopping the cluster');
  void cluster.close().finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

let held = false;
try {
  const result = await cluster.withLogsOnFailure(() => runChaos(cluster, { ...settings, log: (line) => console.log(line) }));
  console.log();
  console.log(formatChaosSummary(result));
  held = chaosHeld(result);
} catch (err) {
  console.error((err as Error).message);
} finally {
  await cluster.close();
}
process.exit(held ? 0 : 1);
