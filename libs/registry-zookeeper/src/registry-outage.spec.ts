import { Registry, RegistryError } from '@weir/broker-core';
import { TcpCutProxy } from '../../registry-prisma/src/testing/tcp-cut-proxy.js';
import { eventually } from '../../registry-prisma/src/testing/test-databases.js';
import { openZooKeeperRegistry, openZooKeeperRegistryStore } from './open-store.js';
import { freePort } from './testing/zookeeper-server.js';
import { RESERVED_NAME } from './zookeeper-registry-store.js';
import { describeWithZooKeeper, freshChroot, retryWhileDisconnected, zooKeeperServerPerFile } from './testing/zookeeper-test-support.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);


describeWithZooKeeper('registry on ZooKeeper: restarts and cut paths', () => {
  const server = zooKeeperServerPerFile();
  const chroot = freshChroot('w12-outage');
  const registries: Registry[] = [];
  const open = async (connectString: string, sessionTimeoutMs = 4000): Promise<Registry> => {
    const store = await openZooKeeperRegistryStore({ connectString, chroot, sessionTimeoutMs, onError: () => {} });
    const registry = await Registry.open({ store, onError: () => {} });
    registries.push(registry);
    return registry;
  };
  afterAll(async () => {
    for (const registry of registries) await registry.close();
  });

  it('survives a server restart: reconnects, the counter watch fires again, a peer\'s writes are seen', async () => {
    const a = await open(server().connectString);
    const b = await open(server().connectString);
    await a.create('/restart');
    await eventually(() => b.exists('/restart') !== null, 10_000, 'the peer to see /restart');

    await server().restart();
    await retryWhileDisconnected(() => b.create('/restart/after', bytes('b')));
    // No sync(): only the re-armed watch on the zxid counter can bring it to `a`.
    await eventually(() => a.exists('/restart/after') !== null, 15_000, 'the watch to deliver the peer\'s write after the restart');
    expect(text(a.getData('/restart/after').data)).toBe('b');
    await retryWhileDisconnected(() => a.setData('/restart/after', bytes('a'), 0));
    await eventually(() => b.exists('/restart/after')?.version === 1, 10_000, 'the peer to see the write of a');
  });

  it('fails requests on a silent path with CONNECTIONLOSS within the read timeout, and recovers in a new session after heal', async () => {
    const proxy = await TcpCutProxy.start('127.0.0.1', server().port);
    try {
      const cut = await open(`127.0.0.1:${proxy.port}`, 1500);
      const peer = await open(server().connectString);
      await cut.create('/cut');

      proxy.blackhole();
      const started = Date.now();
      const error = await cut.create('/cut/lost').catch((err: unknown) => err);
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as RegistryError).code).toBe('CONNECTIONLOSS');
      expect(Date.now() - started).toBeLessThan(5000); // read timeout 1 s, checked every 250 ms
      // Stay cut past the session timeout: the server expires the store's session.
      await peer.create('/cut/while-cut');
      await eventually(() => Date.now() - started > 3000, 10_000, 'the store session to outlive its timeout');

      proxy.heal();
      await eventually(() => cut.exists('/cut/while-cut') !== null, 20_000, 'the new session to catch up');
      await peer.create('/cut/after-heal');
      await eventually(() => cut.exists('/cut/after-heal') !== null, 10_000, 'the watch of the new session');
      await retryWhileDisconnected(() => cut.create('/cut/mine'));
      await eventually(() => peer.exists('/cut/mine') !== null, 10_000, 'the peer to see the healed store\'s write');
    } finally {
      await proxy.close();
    }
  });

  it('opens again on a new connection when the one it made is lost while the tree loads', async () => {
    await (await open(server().connectString)).create('/reopen');
    const proxy = await TcpCutProxy.start('127.0.0.1', server().port);
    try {
      // The store's start creates the zxid counter (or finds it); the load then reads it:
      // the path goes silent at that read, as it does for a process whose event loop was
      // held past its client session's timeout.
      const counter = `${chroot}/${RESERVED_NAME}/zxid`;
      proxy.blackholeAfterClientSends(counter, counter);
      const retries: string[] = [];
      const registry = await openZooKeeperRegistry({
        connectString: `127.0.0.1:${proxy.port}`,
        chroot,
        sessionTimeoutMs: 1500,
        onError: () => {},
        onOpenRetry: (err, attempt) => {
          retries.push(`${attempt}: ${err.code}`);
          proxy.heal();
        },
      });
      registries.push(registry);
      expect(retries).toEqual(['1: CONNECTIONLOSS']);
      expect(registry.exists('/reopen')).not.toBeNull();
      await registry.create('/reopen/after');
    } finally {
      await proxy.close();
    }
  });

  it('does not try again when no connection can be made at all', async () => {
    const closed = await freePort('127.0.0.1');
    const retries: number[] = [];
    const error = await openZooKeeperRegistry({ connectString: `127.0.0.1:${closed}`, chroot, connectTimeoutMs: 500, onOpenRetry: (_err, attempt) => retries.push(attempt) }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/registry on ZooKeeper/);
    expect(retries).toEqual([]);
  });
});
