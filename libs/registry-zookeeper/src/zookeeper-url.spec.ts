import { createServer, type Server, type Socket } from 'node:net';
import { openZooKeeperRegistryStore } from './open-store.js';
import { maskZooKeeperUrl, parseZooKeeperUrl } from './zookeeper-url.js';

describe('parseZooKeeperUrl', () => {
  it('reads hosts, default port and chroot', () => {
    expect(parseZooKeeperUrl('zookeeper://zk1:2181,zk2,10.0.0.3:2182/weir/prod')).toEqual({ connectString: 'zk1:2181,zk2:2181,10.0.0.3:2182', chroot: '/weir/prod' });
    expect(parseZooKeeperUrl('zookeeper://127.0.0.1:2181')).toEqual({ connectString: '127.0.0.1:2181', chroot: '/' });
    expect(parseZooKeeperUrl('zookeeper://127.0.0.1:2181/')).toEqual({ connectString: '127.0.0.1:2181', chroot: '/' });
    expect(parseZooKeeperUrl('zookeeper://[::1]:2181/w/')).toEqual({ connectString: '[::1]:2181', chroot: '/w' });
  });

  it('refuses other schemes, bad hosts, ports and chroots, masking credentials', () => {
    expect(() => parseZooKeeperUrl('postgresql://u:secret@db/x')).toThrow(/zookeeper:\/\/host:2181/);
    expect(() => parseZooKeeperUrl('postgresql://u:secret@db/x')).not.toThrow(/secret/);
    expect(() => parseZooKeeperUrl('zookeeper://u:secret@zk1:99999/')).toThrow(/bad port 99999 in registry URL "zookeeper:\/\/\*\*\*@zk1:99999\/"/);
    expect(() => parseZooKeeperUrl('zookeeper://zk1:2181,/x')).toThrow(/bad host ""/);
    expect(() => parseZooKeeperUrl('zookeeper://zk1:2181/a//b')).toThrow(/bad chroot/);
    expect(() => parseZooKeeperUrl('zookeeper://zk1:2181/a/../b')).toThrow(/bad chroot/);
    expect(maskZooKeeperUrl('zookeeper://user:pw@zk1:2181/x')).toBe('zookeeper://***@zk1:2181/x');
  });
});

describe('openZooKeeperRegistryStore errors', () => {
  it('fails within the connect timeout when nothing answers, naming the address', async () => {
    // A port that accepts TCP and never speaks ZooKeeper, then one that refuses.
    const accepted: Socket[] = [];
    const silent: Server = createServer((socket) => void accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      await expect(openZooKeeperRegistryStore({ url: `zookeeper://u:pw@127.0.0.1:${port}/x`, connectTimeoutMs: 1500 })).rejects.toThrow(
        new RegExp(`registry on ZooKeeper zookeeper://\\*\\*\\*@127\\.0\\.0\\.1:${port}/x: .*did not accept a connection within 1500 ms`),
      );
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
    await expect(openZooKeeperRegistryStore({ connectString: `127.0.0.1:${port}`, connectTimeoutMs: 1000 })).rejects.toThrow(/did not accept a connection within 1000 ms/);
  });

  it('refuses a bad URL before connecting', async () => {
    await expect(openZooKeeperRegistryStore({ url: 'zk://127.0.0.1:2181' })).rejects.toThrow(/must look like zookeeper:\/\//);
  });
});
