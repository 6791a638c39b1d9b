import { readdirSync } from 'node:fs';
import { Registry } from '@weir/broker-core';
import { CopyBinaryReader } from './copy-binary.js';
import { openRegistryStore } from './open-store.js';
import { tempDir } from './testing/test-databases.js';

describe('PGlite start-up snapshot (binary COPY to a file)', () => {
  const dir = tempDir('weir-registry-snapshot');
  afterAll(() => dir.remove());

  it('reads back every znode with its data and Stat as the registry wrote them', async () => {
    const paths = ['/a', '/a/tópico-✓', '/a/bin', '/a/empty', '/seq-'];
    const registry = await Registry.open({ store: await openRegistryStore({ dataDir: dir.path }) });
    const session = await registry.createSession(60_000);
    await registry.create('/a', Buffer.from('{"version":1}'));
    await registry.create('/a/tópico-✓', Buffer.from('ünïcode'));
    await registry.create('/a/bin', Buffer.from([0, 255, 10, 13, 0x80]));
    await registry.create('/a/empty');
    await registry.create('/a/eph', Buffer.from('e'), { mode: 'EPHEMERAL', sessionId: session });
    const sequential = await registry.create('/seq-', Buffer.alloc(70_000, 7), { mode: 'PERSISTENT_SEQUENTIAL' });
    await registry.setData('/a/bin', Buffer.from([1, 2, 3]));
    const expected = [...paths.slice(0, 4), '/a/eph', sequential].map((path) => ({ path, ...registry.getData(path) }));
    await registry.close();

    const store = await openRegistryStore({ dataDir: dir.path });
    try {
      const snapshot = await store.load();
      const byPath = new Map(snapshot.nodes.map((node) => [node.path, node]));
      expect(byPath.has('/')).toBe(true);
      for (const { path, data, stat } of expected) {
        const node = byPath.get(path)!;
        expect(node).toBeDefined();
        expect(Buffer.from(node.data)).toEqual(Buffer.from(data));
        expect({ version: node.version, cversion: node.cversion, czxid: node.czxid, mzxid: node.mzxid, pzxid: node.pzxid, ctime: node.ctime, mtime: node.mtime, ephemeralOwner: node.ephemeralOwner })
          .toEqual({ version: stat.version, cversion: stat.cversion, czxid: stat.czxid, mzxid: stat.mzxid, pzxid: stat.pzxid, ctime: stat.ctime, mtime: stat.mtime, ephemeralOwner: stat.ephemeralOwner });
      }
      expect(byPath.get('/a/eph')!.ephemeralOwner).toBe(session);
      expect(snapshot.zxid).toBeGreaterThanOrEqual(Math.max(...snapshot.nodes.map((n) => n.mzxid)));
      expect(readdirSync(dir.path).filter((name) => name.startsWith('weir-'))).toEqual([]);
      // Loads again while open (the semantics suite reads the database this way), twice.
      expect((await store.load()).nodes.length).toBe(snapshot.nodes.length);
      expect((await store.load()).nodes.length).toBe(snapshot.nodes.length);
      expect(readdirSync(dir.path).filter((name) => name.startsWith('weir-'))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses data that is not binary COPY output, or is cut short', () => {
    expect(() => new CopyBinaryReader(Buffer.from('path,data\n'))).toThrow(/signature/);
    const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
    const row = Buffer.from([0, 1, 0, 0, 0, 9, 0x61]); // one field of 9 bytes, only 1 present
    const reader = new CopyBinaryReader(Buffer.concat([header, row]));
    expect(reader.nextRow()).toBe(1);
    expect(() => reader.bytes()).toThrow(/past the end/);
    expect(() => new CopyBinaryReader(header).nextRow()).toThrow(/trailer/);
  });
});
