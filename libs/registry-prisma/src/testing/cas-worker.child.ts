// One of the racing processes of the concurrency test: joins a barrier, then tries
// `attempts` compare-and-set increments of /race/counter and prints its tally as JSON.
import { isRegistryError } from '@weir/broker-core';
import { openRegistry } from '../open-store.js';

const [url, schema, worker, attemptsArg] = process.argv.slice(2);
if (!url || !schema || !worker || !attemptsArg) throw new Error('usage: cas-worker <url> <schema> <worker> <attempts>');
const registry = await openRegistry({ databaseUrl: url, schema, onError: (err) => console.error(err) });
const session = await registry.createSession(30_000);
await registry.create(`/race/ready/${worker}`, new Uint8Array(0), { mode: 'EPHEMERAL', sessionId: session });
const deadline = Date.now() + 60_000;
while (registry.exists('/race/go') === null) {
  if (Date.now() > deadline) throw new Error('no go signal');
  await new Promise((resolve) => setTimeout(resolve, 5));
  await registry.sync();
}
let successes = 0;
let conflicts = 0;
for (let i = 0; i < Number(attemptsArg); i++) {
  const { data, stat } = registry.getData('/race/counter');
  const next = Number(new TextDecoder().decode(data)) + 1;
  try {
    await registry.setData('/race/counter', new TextEncoder().encode(String(next)), stat.version);
    successes++;
  } catch (err) {
    if (!isRegistryError(err, 'BADVERSION')) throw err;
    conflicts++;
  }
}
await registry.closeSession(session);
await registry.close();
console.log(JSON.stringify({ worker, successes, conflicts }));
