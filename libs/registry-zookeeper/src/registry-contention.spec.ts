import { Registry, RegistryError } from '@weir/broker-core';
import { eventually } from '../../registry-prisma/src/testing/test-databases.js';
import { openZooKeeperRegistryStore } from './open-store.js';
import { describeWithZooKeeper, freshChroot, zooKeeperServerPerFile } from './testing/zookeeper-test-support.js';

const WRITERS = 4;
const INCREMENTS = 25;

describeWithZooKeeper('registry on ZooKeeper: writers in several processes', () => {
  const server = zooKeeperServerPerFile();
  const chroot = freshChroot('w12-contention');
  const registries: Registry[] = [];
  afterAll(async () => {
    for (const registry of registries) await registry.close();
  });

  it('orders concurrent compare-and-set increments from 4 stores: no lost update, one zxid each, every tree converges', async () => {
    for (let i = 0; i < WRITERS; i++) {
      const store = await openZooKeeperRegistryStore({ connectString: server().connectString, chroot });
      registries.push(await Registry.open({ store }));
    }
    const [first] = registries;
    await first!.create('/counter', new TextEncoder().encode('0'));
    const zxidsSeen = new Set<number>();
    const increment = async (registry: Registry): Promise<void> => {
      for (;;) {
        await registry.sync();
        const { data, stat } = registry.getData('/counter');
        const next = String(Number(new TextDecoder().decode(data)) + 1);
        try {
          const written = await registry.setData('/counter', new TextEncoder().encode(next), stat.version);
          expect(zxidsSeen.has(written.mzxid)).toBe(false);
          zxidsSeen.add(written.mzxid);
          return;
        } catch (err) {
          if (!(err instanceof RegistryError && err.code === 'BADVERSION')) throw err;
        }
      }
    };
    await Promise.all(registries.map(async (registry) => {
      for (let i = 0; i < INCREMENTS; i++) await increment(registry);
    }));
    const total = String(WRITERS * INCREMENTS);
    for (const registry of registries) {
      await eventually(async () => {
        await registry.sync();
        return new TextDecoder().decode(registry.getData('/counter').data) === total;
      }, 10_000, 'every registry to reach the final count');
      expect(registry.getData('/counter').stat.version).toBe(WRITERS * INCREMENTS);
    }
    const snapshot = await registries[0]!.sync().then(() => openZooKeeperRegistryStore({ connectString: server().connectString, chroot }));
    try {
      const counter = (await snapshot.load()).nodes.find((n) => n.path === '/counter')!;
      expect(new TextDecoder().decode(counter.data)).toBe(total);
      expect(counter.version).toBe(WRITERS * INCREMENTS);
    } finally {
      await snapshot.close();
    }
  });
});
