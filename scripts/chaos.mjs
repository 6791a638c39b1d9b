// `npm run chaos -- [--records N] [--kills K] [--brokers B] [--partitions P] [--seed S] [--keep]`:
// builds the gateway (incremental), then runs test/cluster/chaos-main.ts: broker processes
// on a fresh PostgreSQL database (TEST_DATABASE_URL's server, else 127.0.0.1:5432), a
// kafkajs producer with acks=all and leader kills; prints progress and a summary.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const tsc = `${root}node_modules/typescript/bin/tsc`;
const build = spawnSync(process.execPath, [tsc, '-b', 'libs/contracts', 'libs/broker-core', 'libs/registry-prisma', 'apps/gateway'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('chaos: the gateway build failed');
  process.exit(build.status ?? 1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=weir-source', 'test/cluster/chaos-main.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
