import { parentOf, StoreConflictError, type RegistryStore, type RemoteChanges, type StoreSnapshot } from '@weir/broker-core';
import type { Mutation, WriteContext } from '@weir/broker-core';
import { ZK, ZooKeeperCallError, type ZkOp, type ZooKeeperConnection } from './zookeeper-connection.js';
import { encodeZNode } from './znode-codec.js';
import { SessionLeases } from './session-leases.js';
import { TreeReader } from './tree-reader.js';

/** Change-log entries kept: a process further behind reloads the whole tree. */
export const CHANGE_LOG_ENTRIES = 1000;
/** Consistent reads retry while writers keep moving the counter; then they give up. */
const MAX_READ_ATTEMPTS = 50;

/**
 * RegistryStore on a ZooKeeper ensemble. Weir's tree maps 1:1 onto znodes under the
 * chroot (Kafka's layout is browsable with zkCli); each znode's bytes are a stat line and
 * Weir's data (znode-codec.ts). Weir's own bookkeeping lives under `<chroot>/weir-registry`,
 * hidden from the tree:
 *
 *   zxid            decimal last committed Weir zxid; its ZooKeeper version is the write token
 *   log/<zxid>      one entry per write: {"u": upserted paths, "p": parents whose children changed}
 *   sessions/s-<n>  Weir leases (session id n + 1): {"timeoutMs", "expiresAtMs"}
 *
 * A write is optimistic: read the counter, read the log since the caller's zxid, plan
 * once, then commit one multi that sets the counter at the version read plus every znode
 * change, the log entry (trimming the oldest) and the session checks. Any other writer in
 * between moves the counter, the multi fails whole, and the Registry catches up and
 * re-plans (StoreConflictError 'stale'); the counter is the cluster-wide order, as
 * registry_meta's row lock is on PostgreSQL. Called by one Registry, one write at a time.
 */
export class ZooKeeperRegistryStore implements RegistryStore {
  readonly shared = true;
  readonly conflictRetries = 50;
  private readonly counterPath: string;
  private readonly logPath: string;
  private readonly sessions: SessionLeases;
  private readonly tree: TreeReader;
  private readonly listeners: (() => void)[] = [];
  private watchArmed = false;
  private closed = false;

  constructor(
    private readonly zk: ZooKeeperConnection,
    private readonly chroot: string,
    private readonly onError: (err: unknown) => void,
  ) {
    const reserved = `${chroot === '/' ? '' : chroot}/${RESERVED_NAME}`;
    this.counterPath = `${reserved}/zxid`;
    this.logPath = `${reserved}/log`;
    this.sessions = new SessionLeases(zk, `${reserved}/sessions`);
    this.tree = new TreeReader(zk, (path) => this.zkPath(path), hiddenChildren(chroot));
    zk.onReconnect((newSession) => {
      if (newSession) this.watchArmed = false;
      if (this.listeners.length > 0 && !this.watchArmed) this.armWatch();
      this.notify();
    });
  }

  /** Creates the chroot and the reserved area when missing (idempotent, safe to race). */
  async initialize(): Promise<void> {
    await this.zk.mkdirp(this.logPath);
    await this.zk.mkdirp(this.sessions.dir);
    try {
      await this.zk.create(this.counterPath, Buffer.from('0'));
    } catch (err) {
      if (!(err instanceof ZooKeeperCallError && err.code === ZK.NODE_EXISTS)) throw err;
    }
  }

  async load(): Promise<StoreSnapshot> {
    for (let attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
      const before = await this.readCounter();
      const nodes = await this.tree.readAll();
      const after = await this.readCounter();
      if (after.version === before.version) return { zxid: before.zxid, nodes };
    }
    throw new Error(`registry load: ZooKeeper kept changing over ${MAX_READ_ATTEMPTS} attempts`);
  }

  async write<T>(sinceZxid: number, plan: (ctx: WriteContext) => { mutation: Mutation; result: T }): Promise<T> {
    const counter = await this.readCounter();
    let remote: RemoteChanges | undefined;
    if (counter.zxid > sinceZxid) {
      const changes = await this.changesFromLog(sinceZxid, counter.zxid);
      if (changes === undefined) throw new StoreConflictError('stale', `the change log no longer reaches back to zxid ${sinceZxid}`);
      remote = changes;
    }
    const zxid = counter.zxid + 1;
    const { mutation, result } = plan({ zxid, remote });
    const ops: ZkOp[] = [{ op: 'setData', path: this.counterPath, data: Buffer.from(String(zxid)), version: counter.version }];
    ops.push(...(await this.sessions.opsFor(mutation)));
    for (const d of [...mutation.deletes].sort((a, b) => depth(b.path) - depth(a.path))) ops.push({ op: 'delete', path: this.zkPath(d.path), version: -1 });
    for (const r of [...mutation.inserts].sort((a, b) => depth(a.path) - depth(b.path))) ops.push({ op: 'create', path: this.zkPath(r.path), data: encodeZNode(r) });
    for (const u of mutation.updates) ops.push({ op: 'setData', path: this.zkPath(u.record.path), data: encodeZNode(u.record), version: -1 });
    for (const c of mutation.checks) ops.push({ op: 'check', path: this.zkPath(c.path), version: -1 });
    ops.push({ op: 'create', path: this.logEntryPath(zxid), data: logEntry(mutation) });
    if (zxid - CHANGE_LOG_ENTRIES >= 1) ops.push({ op: 'delete', path: this.logEntryPath(zxid - CHANGE_LOG_ENTRIES), version: -1 });
    try {
      await this.zk.multi(ops);
    } catch (err) {
      throw translate(err);
    }
    return result;
  }

  async readChanges(sinceZxid: number): Promise<RemoteChanges | undefined> {
    for (let attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
      const before = await this.readCounter();
      if (before.zxid <= sinceZxid) return undefined;
      const changes = (await this.changesFromLog(sinceZxid, before.zxid)) ?? fullReload(await this.load());
      if (changes.zxid > before.zxid) return changes; // a full reload is consistent by itself
      const after = await this.readCounter();
      if (after.version === before.version) return changes;
    }
    throw new Error(`registry catch-up: ZooKeeper kept changing over ${MAX_READ_ATTEMPTS} attempts`);
  }

  createSession(timeoutMs: number, nowMs: number): Promise<number> {
    return this.sessions.create(timeoutMs, nowMs);
  }

  renewSession(id: number, nowMs: number): Promise<boolean> {
    return this.sessions.renew(id, nowMs);
  }

  expiredSessions(nowMs: number): Promise<number[]> {
    return this.sessions.expired(nowMs);
  }

  onRemoteChange(listener: () => void): void {
    this.listeners.push(listener);
    if (!this.watchArmed) this.armWatch();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.zk.close();
  }

  /** Weir path → znode path under the chroot. */
  private zkPath(path: string): string {
    if (this.chroot === '/') return path;
    return path === '/' ? this.chroot : this.chroot + path;
  }

  private logEntryPath(zxid: number): string {
    return `${this.logPath}/${String(zxid).padStart(12, '0')}`;
  }

  private async readCounter(): Promise<{ zxid: number; version: number }> {
    const { data, version } = await this.zk.getData(this.counterPath);
    return { zxid: Number(data.toString('latin1')), version };
  }

  /** Changes in (sinceZxid, uptoZxid] from the log; undefined when the log was trimmed past them. */
  private async changesFromLog(sinceZxid: number, uptoZxid: number): Promise<RemoteChanges | undefined> {
    if (uptoZxid - sinceZxid > CHANGE_LOG_ENTRIES) return undefined;
    const entries: { u: string[]; p: string[] }[] = [];
    try {
      const reads = [];
      for (let z = sinceZxid + 1; z <= uptoZxid; z++) reads.push(this.zk.getData(this.logEntryPath(z)));
      for (const { data } of await Promise.all(reads)) entries.push(JSON.parse(data.toString('utf8')) as { u: string[]; p: string[] });
    } catch (err) {
      if (err instanceof ZooKeeperCallError && err.code === ZK.NO_NODE) return undefined;
      throw err;
    }
    const upserted = new Set(entries.flatMap((e) => e.u));
    const parents = new Set(entries.flatMap((e) => e.p));
    const [records, children] = await Promise.all([this.tree.readNodes([...upserted]), this.tree.readChildLists([...parents])]);
    return { zxid: uptoZxid, upserts: records, children };
  }

  private armWatch(): void {
    if (this.closed) return;
    this.watchArmed = true;
    this.zk
      .getData(this.counterPath, () => {
        this.watchArmed = false;
        this.armWatch();
        this.notify();
      })
      .catch((err: unknown) => {
        this.watchArmed = false; // re-armed on reconnect
        if (!this.closed) this.onError(err);
      });
  }

  private notify(): void {
    if (this.closed) return;
    for (const listener of this.listeners) listener();
  }
}

/** The reserved child of the chroot; a Weir path of that name cannot be created. */
export const RESERVED_NAME = 'weir-registry';

function hiddenChildren(chroot: string): ReadonlySet<string> {
  // At the namespace root ZooKeeper keeps its own /zookeeper (quotas, config).
  return new Set(chroot === '/' ? [RESERVED_NAME, 'zookeeper'] : [RESERVED_NAME]);
}

function depth(path: string): number {
  return path === '/' ? 0 : path.split('/').length - 1;
}

function logEntry(m: Mutation): Buffer {
  const upserted = [...m.inserts.map((r) => r.path), ...m.updates.map((u) => u.record.path)];
  const parents = new Set([...m.inserts.map((r) => parentOf(r.path)), ...m.deletes.map((d) => parentOf(d.path))]);
  return Buffer.from(JSON.stringify({ u: upserted, p: [...parents] }));
}

function fullReload(snapshot: StoreSnapshot): RemoteChanges {
  const children = new Map<string, string[]>(snapshot.nodes.map((n) => [n.path, []]));
  for (const n of snapshot.nodes) if (n.path !== '/') children.get(parentOf(n.path))?.push(n.path);
  return { zxid: snapshot.zxid, upserts: snapshot.nodes, children };
}

const PRECONDITION_CODES: ReadonlySet<number> = new Set([ZK.BAD_VERSION, ZK.NO_NODE, ZK.NODE_EXISTS, ZK.NOT_EMPTY]);

/**
 * A failed precondition is a stale plan. A lost connection is already CONNECTIONLOSS (the
 * write may or may not have committed: the next catch-up tells).
 */
function translate(err: unknown): Error {
  if (err instanceof ZooKeeperCallError && PRECONDITION_CODES.has(err.code)) return new StoreConflictError('stale', err.message);
  return err instanceof Error ? err : new Error(String(err));
}
