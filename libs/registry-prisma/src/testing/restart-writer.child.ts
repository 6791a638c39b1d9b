// The victim of the restart test: owns an ephemeral node, then writes /acked/<i> one by
// one and prints "ack <i>" only after each write was acknowledged, until it is killed.
import { openRegistry } from '../open-store.js';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: restart-writer <dataDir>');
const registry = await openRegistry({ dataDir });
const session = await registry.createSession(60_000);
await registry.create('/acked', new Uint8Array(0));
await registry.create('/alive', new Uint8Array(0), { mode: 'EPHEMERAL', sessionId: session });
console.log(`session ${session}`);
for (let i = 0; ; i++) {
  await registry.create(`/acked/${i}`, new TextEncoder().encode(`value-${i}`));
  console.log(`ack ${i}`);
}
