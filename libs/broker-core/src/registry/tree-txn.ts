import { depth, toStat, type DataTree } from './data-tree.js';
import { nameOf, parentOf, sequenceSuffix } from './path.js';
import { RegistryError } from './registry-error.js';
import type { Mutation } from './store.js';
import { isEphemeral, isSequential, type CreateMode, type Stat, type WatchedEvent, type ZNodeRecord } from './types.js';

/**
 * Plans one registry write against the in-memory tree without touching it: ops apply to
 * a copy-on-write overlay, in order, with ZooKeeper's checks in ZooKeeper's order. The
 * result is a Mutation for the store, the watch events to fire, and (once the store has
 * committed) `commitTo`, which makes memory match. A thrown RegistryError leaves both the
 * tree and the store untouched. Arguments are validated by the caller.
 */
export class TreeTxn {
  private readonly overlay = new Map<string, ZNodeRecord | null>();
  private readonly childOverlay = new Map<string, Set<string>>();
  private readonly checks: { path: string; version: number }[] = [];
  private readonly liveSessions = new Set<number>();
  private readonly endSessions: { id: number; ifExpiredAtMs?: number }[] = [];
  readonly events: WatchedEvent[] = [];

  constructor(
    private readonly tree: DataTree,
    readonly zxid: number,
    readonly nowMs: number,
  ) {}

  create(path: string, data: Uint8Array, mode: CreateMode, sessionId: number | undefined): string {
    const parentPath = parentOf(path.endsWith('/') ? `${path}x` : path);
    const parent = this.read(parentPath);
    if (parent === undefined) throw new RegistryError('NONODE', parentPath, `parent of ${path} does not exist`);
    const finalPath = isSequential(mode) ? path + sequenceSuffix(parent.cversion) : path;
    if (this.read(finalPath) !== undefined) throw new RegistryError('NODEEXISTS', finalPath);
    if (parent.ephemeralOwner !== 0) throw new RegistryError('NOCHILDRENFOREPHEMERALS', finalPath, `parent ${parentPath} is ephemeral`);
    const owner = isEphemeral(mode) ? sessionId! : 0;
    if (owner !== 0) this.liveSessions.add(owner);
    this.write({ ...parent, cversion: parent.cversion + 1, pzxid: this.zxid });
    this.mutableChildren(parentPath).add(nameOf(finalPath));
    this.childOverlay.set(finalPath, new Set());
    this.write({
      path: finalPath, data, version: 0, cversion: 0, czxid: this.zxid, mzxid: this.zxid, pzxid: this.zxid,
      ctime: this.nowMs, mtime: this.nowMs, ephemeralOwner: owner,
    });
    this.events.push({ type: 'NodeCreated', path: finalPath }, { type: 'NodeChildrenChanged', path: parentPath });
    return finalPath;
  }

  delete(path: string, version: number): void {
    if (path === '/') throw new RegistryError('BADARGUMENTS', path, 'the root cannot be deleted');
    const node = this.read(path);
    if (node === undefined) throw new RegistryError('NONODE', path);
    if (version !== -1 && node.version !== version) throw new RegistryError('BADVERSION', path, `expected version ${version}, found ${node.version}`);
    if (this.children(path).size > 0) throw new RegistryError('NOTEMPTY', path);
    const parentPath = parentOf(path);
    const parent = this.read(parentPath)!;
    this.write({ ...parent, cversion: parent.cversion + 1, pzxid: this.zxid });
    this.mutableChildren(parentPath).delete(nameOf(path));
    this.overlay.set(path, null);
    this.childOverlay.set(path, new Set());
    this.events.push({ type: 'NodeDeleted', path }, { type: 'NodeChildrenChanged', path: parentPath });
  }

  setData(path: string, data: Uint8Array, version: number): Stat {
    const node = this.read(path);
    if (node === undefined) throw new RegistryError('NONODE', path);
    if (version !== -1 && node.version !== version) throw new RegistryError('BADVERSION', path, `expected version ${version}, found ${node.version}`);
    const updated = { ...node, data, version: node.version + 1, mzxid: this.zxid, mtime: this.nowMs };
    this.write(updated);
    this.events.push({ type: 'NodeDataChanged', path });
    return toStat(updated, this.children(path).size);
  }

  check(path: string, version: number): void {
    const node = this.read(path);
    if (node === undefined) throw new RegistryError('NONODE', path);
    if (version !== -1 && node.version !== version) throw new RegistryError('BADVERSION', path, `expected version ${version}, found ${node.version}`);
    this.checks.push({ path, version });
  }

  /** Ends a session: deletes its ephemeral nodes (ZooKeeper's closeSession txn). */
  endSession(id: number, ifExpiredAtMs?: number): string[] {
    const paths = this.tree.ephemeralsOf(id).filter((p) => this.read(p)?.ephemeralOwner === id);
    paths.sort((a, b) => depth(b) - depth(a));
    for (const p of paths) this.delete(p, -1);
    this.endSessions.push(ifExpiredAtMs === undefined ? { id } : { id, ifExpiredAtMs });
    return paths;
  }

  get isEmpty(): boolean {
    return this.overlay.size === 0 && this.checks.length === 0 && this.endSessions.length === 0;
  }

  toMutation(): Mutation {
    const inserts: ZNodeRecord[] = [];
    const updates: { record: ZNodeRecord; expectVersion: number; expectCversion: number }[] = [];
    const deletes: { path: string; expectVersion: number; expectCversion: number }[] = [];
    for (const [path, record] of this.overlay) {
      const original = this.tree.get(path)?.record;
      if (record === null) {
        if (original !== undefined) deletes.push({ path, expectVersion: original.version, expectCversion: original.cversion });
      } else if (original === undefined) {
        inserts.push(record);
      } else {
        updates.push({ record, expectVersion: original.version, expectCversion: original.cversion });
      }
    }
    // A checked node the mutation also writes is already guarded by that write's expected
    // version; only untouched nodes need a separate check (their pre and post state agree).
    const checks = this.checks.filter((c) => !this.overlay.has(c.path));
    return {
      zxid: this.zxid, nowMs: this.nowMs, inserts, updates, deletes, checks,
      liveSessions: [...this.liveSessions], endSessions: this.endSessions,
    };
  }

  /** Makes the tree match the overlay; call only after the store committed. */
  commitTo(tree: DataTree): void {
    const puts: ZNodeRecord[] = [];
    const removals: string[] = [];
    for (const [path, record] of this.overlay) {
      if (record !== null) puts.push(record);
      else if (tree.get(path) !== undefined) removals.push(path);
    }
    puts.sort((a, b) => depth(a.path) - depth(b.path));
    for (const record of puts) tree.put(record);
    removals.sort((a, b) => depth(b) - depth(a));
    for (const path of removals) tree.removeSubtree(path);
  }

  private read(path: string): ZNodeRecord | undefined {
    const staged = this.overlay.get(path);
    if (staged !== undefined) return staged ?? undefined;
    return this.tree.get(path)?.record;
  }

  private write(record: ZNodeRecord): void {
    this.overlay.set(record.path, record);
  }

  private children(path: string): ReadonlySet<string> {
    return this.childOverlay.get(path) ?? this.tree.get(path)?.children ?? EMPTY_SET;
  }

  private mutableChildren(path: string): Set<string> {
    let set = this.childOverlay.get(path);
    if (set === undefined) {
      set = new Set(this.tree.get(path)?.children ?? []);
      this.childOverlay.set(path, set);
    }
    return set;
  }
}

const EMPTY_SET: ReadonlySet<string> = new Set();
