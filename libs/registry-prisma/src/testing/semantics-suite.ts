import { MockTime, Ops, Registry, RegistryError, type RegistryStore, type Stat, type WatchedEvent } from '@weir/broker-core';
import { MockScheduler } from '../../../broker-core/src/registry/testing/mock-scheduler.js';
import { eventually } from './test-databases.js';

export interface SemanticsTarget {
  /** Opens a fresh store (one per test file). */
  openStore(): Promise<RegistryStore>;
  /** Opens a second store on the same database, as another process would (shared stores only). */
  openPeerStore?(): Promise<RegistryStore>;
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
let unique = 0;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (err) {
    if (err instanceof RegistryError) return err.code;
    throw err;
  }
}

function syncCodeOf(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (err) {
    if (err instanceof RegistryError) return err.code;
    throw err;
  }
}

/**
 * ZooKeeper semantics, run against every store. One registry per file (opening PGlite
 * costs seconds); each test works under its own fresh path.
 */
export function registrySemanticsSuite(target: SemanticsTarget): void {
  let registry: Registry;
  let store: RegistryStore;
  const time = new MockTime(Date.now(), 0);
  const scheduler = new MockScheduler(time);
  let base: string;

  beforeAll(async () => {
    store = await target.openStore();
    registry = await Registry.open({ store, time, scheduler, sweepIntervalMs: 100 });
  });
  afterAll(async () => {
    await registry?.close();
  });
  beforeEach(async () => {
    base = `/t${++unique}`;
    await registry.create(base);
  });

  /** The database's view, read back through the store (not through memory). */
  async function persisted(): Promise<Map<string, { version: number; cversion: number; data: string; owner: number }>> {
    const snapshot = await store.load();
    return new Map(snapshot.nodes.map((n) => [n.path, { version: n.version, cversion: n.cversion, data: text(n.data), owner: n.ephemeralOwner }]));
  }

  describe('versions and compare-and-set', () => {
    it('bumps version on setData and rejects a stale expected version', async () => {
      const p = `${base}/n`;
      await registry.create(p, bytes('v0'));
      expect(registry.getData(p).stat.version).toBe(0);
      const stat = await registry.setData(p, bytes('v1'), 0);
      expect(stat.version).toBe(1);
      expect(await codeOf(registry.setData(p, bytes('stale'), 0))).toBe('BADVERSION');
      await registry.setData(p, bytes('any'), -1);
      const { data, stat: after } = registry.getData(p);
      expect(text(data)).toBe('any');
      expect(after.version).toBe(2);
      expect(after.mzxid).toBeGreaterThan(after.czxid);
      expect((await persisted()).get(p)).toEqual({ version: 2, cversion: 0, data: 'any', owner: 0 });
    });

    it('deletes only at the expected version and only childless nodes', async () => {
      const p = `${base}/n`;
      await registry.create(p);
      await registry.create(`${p}/child`);
      expect(await codeOf(registry.delete(p, 5))).toBe('BADVERSION');
      expect(await codeOf(registry.delete(p))).toBe('NOTEMPTY');
      await registry.delete(`${p}/child`, 0);
      await registry.delete(p, 0);
      expect(registry.exists(p)).toBeNull();
      expect(await codeOf(registry.delete(p))).toBe('NONODE');
      expect((await persisted()).has(p)).toBe(false);
    });

    it('reports NODEEXISTS and NONODE for create', async () => {
      await registry.create(`${base}/x`);
      expect(await codeOf(registry.create(`${base}/x`))).toBe('NODEEXISTS');
      expect(await codeOf(registry.create(`${base}/missing/x`))).toBe('NONODE');
    });

    it('tracks cversion, pzxid and numChildren on the parent', async () => {
      await registry.create(`${base}/a`);
      await registry.create(`${base}/b`);
      await registry.delete(`${base}/a`);
      const stat = registry.exists(base)!;
      expect(stat.cversion).toBe(3);
      expect(stat.numChildren).toBe(1);
      expect(stat.pzxid).toBe(registry.lastZxid);
      expect(registry.getChildren(base)).toEqual(['b']);
    });
  });

  describe('sequential nodes', () => {
    it('numbers children with the parent cversion, 10 digits', async () => {
      await registry.create(`${base}/plain`);
      const first = await registry.create(`${base}/seq-`, bytes(''), { mode: 'PERSISTENT_SEQUENTIAL' });
      const second = await registry.create(`${base}/seq-`, bytes(''), { mode: 'PERSISTENT_SEQUENTIAL' });
      await registry.delete(second);
      const third = await registry.create(`${base}/`, bytes(''), { mode: 'PERSISTENT_SEQUENTIAL' });
      expect([first, second, third]).toEqual([`${base}/seq-0000000001`, `${base}/seq-0000000002`, `${base}/0000000004`]);
    });
  });

  describe('sessions and ephemeral nodes', () => {
    it('deletes ephemerals when the session expires by the injected clock, and fires their watches', async () => {
      const expired: number[] = [];
      const session = await registry.createSession(1000, { onExpired: (id) => expired.push(id) });
      const eph = await registry.create(`${base}/eph`, bytes('me'), { mode: 'EPHEMERAL', sessionId: session });
      const seq = await registry.create(`${base}/e-`, bytes(''), { mode: 'EPHEMERAL_SEQUENTIAL', sessionId: session });
      expect(registry.exists(eph)!.ephemeralOwner).toBe(session);
      const events: WatchedEvent[] = [];
      registry.getData(eph, (e) => events.push(e));
      registry.getChildren(base, (e) => events.push(e));

      // Advancing also runs the scheduled sweep; expireSessions() then waits for nothing new.
      time.advance(900);
      await registry.heartbeat(session);
      time.advance(900);
      await registry.expireSessions();
      expect(registry.exists(eph)).not.toBeNull();
      expect(expired).toEqual([]);

      time.advance(101);
      await registry.expireSessions();
      await eventually(() => registry.exists(eph) === null, 10_000, 'the session to expire');
      expect(registry.exists(seq)).toBeNull();
      expect(events).toEqual(expect.arrayContaining([{ type: 'NodeDeleted', path: eph }, { type: 'NodeChildrenChanged', path: base }]));
      expect(expired).toEqual([session]);
      expect((await persisted()).has(eph)).toBe(false);
      expect(await codeOf(registry.heartbeat(session))).toBe('SESSIONEXPIRED');
      expect(await codeOf(registry.create(`${base}/late`, bytes(''), { mode: 'EPHEMERAL', sessionId: session }))).toBe('SESSIONEXPIRED');
      expect(registry.exists(`${base}/late`)).toBeNull();
    });

    it('expires sessions from the scheduler-driven sweep', async () => {
      const session = await registry.createSession(500);
      const eph = await registry.create(`${base}/swept`, bytes(''), { mode: 'EPHEMERAL', sessionId: session });
      time.advance(600);
      await eventually(() => registry.exists(eph) === null, 10_000, 'the sweep to expire the session');
    });

    it('renews a lease that ran out until a sweep ends it, never after (the store\'s rule)', async () => {
      // Store-level: after an outage of the whole store every lease has run out; the ones
      // no sweep ended yet must still be renewable (the Registry decides whom to expire).
      const now = time.milliseconds();
      const id = await store.createSession(1000, now);
      expect(await store.expiredSessions(now + 1500)).toContain(id);
      expect(await store.renewSession(id, now + 1500)).toBe(true);
      expect(await store.expiredSessions(now + 1500)).not.toContain(id);
      expect(await store.expiredSessions(now + 2600)).toContain(id);
      await registry.closeSession(id);
      expect(await store.renewSession(id, now + 2600)).toBe(false);
    });

    it('closeSession deletes ephemerals at once', async () => {
      const session = await registry.createSession(60_000);
      const eph = await registry.create(`${base}/closing`, bytes(''), { mode: 'EPHEMERAL', sessionId: session });
      await registry.closeSession(session);
      expect(registry.exists(eph)).toBeNull();
    });

    it('refuses children under an ephemeral node, persisting nothing', async () => {
      const session = await registry.createSession(60_000);
      const eph = await registry.create(`${base}/parent`, bytes(''), { mode: 'EPHEMERAL', sessionId: session });
      const before = await persisted();
      expect(await codeOf(registry.create(`${eph}/child`))).toBe('NOCHILDRENFOREPHEMERALS');
      expect(await persisted()).toEqual(before);
      await registry.closeSession(session);
    });
  });

  describe('watches', () => {
    it('exists sets a data watch on a missing node; create fires NodeCreated once', async () => {
      const events: WatchedEvent[] = [];
      const w = (e: WatchedEvent) => events.push(e);
      expect(registry.exists(`${base}/later`, w)).toBeNull();
      await registry.create(`${base}/later`);
      await registry.setData(`${base}/later`, bytes('x'));
      expect(events).toEqual([{ type: 'NodeCreated', path: `${base}/later` }]);
    });

    it('getData watch fires NodeDataChanged once, then NodeDeleted only if set again', async () => {
      const p = `${base}/d`;
      await registry.create(p);
      const events: WatchedEvent[] = [];
      const w = (e: WatchedEvent) => events.push(e);
      registry.getData(p, w);
      registry.exists(p, w); // same watcher, same path: fires once
      await registry.setData(p, bytes('1'));
      await registry.setData(p, bytes('2'));
      registry.getData(p, w);
      await registry.delete(p);
      expect(events).toEqual([{ type: 'NodeDataChanged', path: p }, { type: 'NodeDeleted', path: p }]);
    });

    it('child watches fire on child create/delete and node delete, not on child data', async () => {
      const p = `${base}/c`;
      await registry.create(p);
      const events: WatchedEvent[] = [];
      const w = (e: WatchedEvent) => events.push(e);
      registry.getChildren(p, w);
      await registry.create(`${p}/1`);
      registry.getChildren(p, w);
      await registry.setData(`${p}/1`, bytes('x'));
      await registry.delete(`${p}/1`);
      registry.getChildren(p, w);
      await registry.delete(p);
      expect(events).toEqual([
        { type: 'NodeChildrenChanged', path: p },
        { type: 'NodeChildrenChanged', path: p },
        { type: 'NodeDeleted', path: p },
      ]);
    });

    it('failed operations fire nothing and getData on a missing node sets no watch', async () => {
      const events: WatchedEvent[] = [];
      const w = (e: WatchedEvent) => events.push(e);
      expect(syncCodeOf(() => registry.getData(`${base}/none`, w))).toBe('NONODE');
      expect(syncCodeOf(() => registry.getChildren(`${base}/none`, w))).toBe('NONODE');
      await registry.create(`${base}/none`);
      registry.getData(`${base}/none`, w);
      expect(await codeOf(registry.setData(`${base}/none`, bytes('x'), 7))).toBe('BADVERSION');
      expect(events).toEqual([]);
    });
  });

  describe('multi', () => {
    it('applies every op or none; a failing check changes nothing in memory or the database', async () => {
      await registry.create(`${base}/epoch`, bytes('1'));
      const before = await persisted();
      const zxid = registry.lastZxid;
      const events: WatchedEvent[] = [];
      registry.exists(`${base}/new`, (e) => events.push(e));
      let error: unknown;
      try {
        await registry.multi([Ops.create(`${base}/new`), Ops.setData(`${base}/epoch`, bytes('2'), 0), Ops.check(`${base}/epoch`, 3), Ops.delete(`${base}/epoch`)]);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as RegistryError).code).toBe('BADVERSION');
      expect((error as RegistryError).results!.map((r) => r.err)).toEqual(['OK', 'OK', 'BADVERSION', 'RUNTIMEINCONSISTENCY']);
      expect(registry.exists(`${base}/new`)).toBeNull();
      expect(text(registry.getData(`${base}/epoch`).data)).toBe('1');
      expect(registry.lastZxid).toBe(zxid);
      expect(await persisted()).toEqual(before);
      expect(events).toEqual([]);
    });

    it('commits a controller-election style multi with one zxid', async () => {
      await registry.create(`${base}/epoch`, bytes('1'));
      const session = await registry.createSession(60_000);
      const results = await registry.multi([
        Ops.create(`${base}/controller`, bytes('{}'), 'EPHEMERAL', session),
        Ops.setData(`${base}/epoch`, bytes('2'), 0),
        Ops.check(`${base}/epoch`, 1),
        Ops.create(`${base}/seq-`, bytes(''), 'PERSISTENT_SEQUENTIAL'),
      ]);
      expect(results[0]).toEqual({ type: 'create', path: `${base}/controller` });
      expect((results[1] as { stat: Stat }).stat.version).toBe(1);
      expect(results[3]).toEqual({ type: 'create', path: `${base}/seq-0000000002` });
      const s1 = registry.exists(`${base}/controller`)!;
      const s2 = registry.exists(`${base}/epoch`)!;
      expect(s1.czxid).toBe(s2.mzxid);
      await registry.closeSession(session);
    });

    it('creates 1,000 nodes in one multi', async () => {
      const ops = [Ops.create(`${base}/partitions`)];
      for (let i = 0; i < 1000; i++) ops.push(Ops.create(`${base}/partitions/${i}`, bytes(`{"p":${i}}`)));
      await registry.multi(ops);
      expect(registry.exists(`${base}/partitions`)!.numChildren).toBe(1000);
      const db = await persisted();
      expect(db.get(`${base}/partitions/999`)?.data).toBe('{"p":999}');
    });
  });

  describe('bad input', () => {
    it('rejects invalid paths and oversized data with BADARGUMENTS, persisting nothing', async () => {
      const before = await persisted();
      const zxid = registry.lastZxid;
      for (const path of ['', 'noslash', `${base}/`, `${base}//x`, `${base}/./x`, `${base}/../x`, `${base}/a\u0000b`]) {
        expect(await codeOf(registry.create(path))).toBe('BADARGUMENTS');
      }
      expect(syncCodeOf(() => registry.getData('relative'))).toBe('BADARGUMENTS');
      expect(await codeOf(registry.create(`${base}/big`, new Uint8Array(1024 * 1024 + 1)))).toBe('BADARGUMENTS');
      expect(await codeOf(registry.create(`${base}/eph`, bytes(''), { mode: 'EPHEMERAL' }))).toBe('BADARGUMENTS');
      expect(await codeOf(registry.delete('/'))).toBe('BADARGUMENTS');
      const multiError = await registry.multi([Ops.create(`${base}/ok`), Ops.create('bad')]).catch((e: RegistryError) => e);
      expect((multiError as RegistryError).results!.map((r) => r.err)).toEqual(['OK', 'BADARGUMENTS']);
      expect(registry.lastZxid).toBe(zxid);
      expect(await persisted()).toEqual(before);
      await registry.create(`${base}/max`, new Uint8Array(1024 * 1024));
      expect(registry.exists(`${base}/max`)!.dataLength).toBe(1024 * 1024);
    });
  });

  if (target.openPeerStore !== undefined) {
    describe('several processes on one database', () => {
      let peer: Registry;
      beforeAll(async () => {
        peer = await Registry.open({ store: await target.openPeerStore!(), time });
      });
      afterAll(async () => {
        await peer?.close();
      });

      it('delivers watches to the other process and catches its memory up', async () => {
        await peer.sync();
        const events: WatchedEvent[] = [];
        expect(peer.exists(`${base}/remote`, (e) => events.push(e))).toBeNull();
        peer.getChildren(base, (e) => events.push(e));
        await registry.create(`${base}/remote`, bytes('hello'));
        await eventually(() => events.length === 2, 10_000, 'NOTIFY to reach the peer');
        expect(events).toEqual(expect.arrayContaining([{ type: 'NodeCreated', path: `${base}/remote` }, { type: 'NodeChildrenChanged', path: base }]));
        expect(text(peer.getData(`${base}/remote`).data)).toBe('hello');
        await registry.delete(`${base}/remote`);
        await peer.sync();
        expect(peer.exists(`${base}/remote`)).toBeNull();
      });

      it('enforces CAS across processes and lets one process expire the other one\'s dead session', async () => {
        await registry.create(`${base}/cas`, bytes('0'));
        await peer.sync();
        await peer.setData(`${base}/cas`, bytes('peer'), 0);
        // `registry` has not caught up by itself, yet the write is judged on the database's state.
        expect(await codeOf(registry.setData(`${base}/cas`, bytes('stale'), 0))).toBe('BADVERSION');
        expect(text(registry.getData(`${base}/cas`).data)).toBe('peer');

        const session = await peer.createSession(1000);
        const eph = await peer.create(`${base}/peer-eph`, bytes(''), { mode: 'EPHEMERAL', sessionId: session });
        time.advance(1001);
        expect(await registry.expireSessions()).toContain(session);
        expect(registry.exists(eph)).toBeNull();
        await peer.sync();
        expect(peer.exists(eph)).toBeNull();
      });
    });
  }
}
