import { Registry } from '@weir/broker-core';
import { eventually } from '../../registry-prisma/src/testing/test-databases.js';
import { openZooKeeperRegistryStore } from './open-store.js';
import { ZooKeeperEnsemble, type ZooKeeperEnsembleHandle } from './testing/zookeeper-ensemble.js';
import { describeWithZooKeeper, freshChroot, retryWhileDisconnected } from './testing/zookeeper-test-support.js';

describeWithZooKeeper('registry on a 3-server ZooKeeper ensemble', () => {
  let ensemble: ZooKeeperEnsembleHandle | undefined;
  const registries: Registry[] = [];
  beforeAll(async () => {
    ensemble = await ZooKeeperEnsemble.start(3);
  }, 60_000);
  afterAll(async () => {
    for (const registry of registries) await registry.close();
    await ensemble?.stop();
  });

  it('keeps writing and delivering watches while any one server is down', async () => {
    const chroot = freshChroot('w12-ensemble');
    for (let i = 0; i < 2; i++) {
      const store = await openZooKeeperRegistryStore({ connectString: ensemble!.connectString, chroot, sessionTimeoutMs: 4000, onError: () => {} });
      registries.push(await Registry.open({ store, onError: () => {} }));
    }
    const [a, b] = registries as [Registry, Registry];
    await a.create('/e', new TextEncoder().encode('0'));
    await eventually(() => b.exists('/e') !== null, 20_000, 'b to see /e');
    const valueAtB = (): string | undefined => (b.exists('/e') === null ? undefined : new TextDecoder().decode(b.getData('/e').data));
    for (const [i, server] of ensemble!.servers.entries()) {
      await server.kill();
      await retryWhileDisconnected(() => a.setData('/e', new TextEncoder().encode(String(i + 1)), -1));
      // No sync(): the watch on the counter (kept or re-armed on another member) tells b.
      await eventually(() => valueAtB() === String(i + 1), 20_000, `b to see write ${i + 1} with server ${i + 1} down`);
      await retryWhileDisconnected(() => b.create(`/e/from-b-${i}`));
      await eventually(() => a.exists(`/e/from-b-${i}`) !== null, 20_000, `a to see b's write with server ${i + 1} down`);
      await server.restart();
    }
  });
});
